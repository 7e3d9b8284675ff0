/**
 * Byte-exact codecs for the messages that travel inside VMBus packets between guest VSCs and
 * root VSPs: synthetic storage (vstor/SRB + SCSI), network (NVSP + RNDIS), Dynamic Memory,
 * integration-services heartbeat framing, synthetic video and synthetic input.
 *
 * Every codec is a pair of plain functions over `Uint8Array` windows with plain-data messages,
 * usable from core and from sandboxed plugins alike:
 *
 * - `encodeX(message, target, offset)` writes the message and returns the bytes written; it
 *   throws {@link ProtocolEncodeError} only for messages that cannot exist on the wire.
 * - `decodeX(bytes, offset, length)` never throws and never reads outside
 *   `[offset, offset + length)`: it returns `{ ok: true, value }` or a typed rejection
 *   `{ ok: false, reason, detail }` (HYPERV.md rules 36–38).
 *
 * @example
 * import { decodeVstorRequest, checkVstorRequestDescriptor, checkSrbDataRange } from './index.js';
 * const desc = checkVstorRequestDescriptor({ type: 9, flags: 1 });
 * const req = decodeVstorRequest(payload, 0, payload.length);
 * if (!desc.ok || !req.ok) stopChannel(); // rule 38
 */
export * from './codec/index.js';
export * from './storage/index.js';
export * from './network/index.js';
export * from './dynamic-memory/index.js';
export * from './ic/index.js';
export * from './video/index.js';
export * from './input/index.js';
