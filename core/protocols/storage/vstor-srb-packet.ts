import { badWindow, checkTarget, checkU32, truncated } from '../codec/bounds.js';
import { ProtocolEncodeError } from '../codec/errors.js';
import { readU32, writeU32, zero } from '../codec/le.js';
import { ACCEPTED, rejected } from '../codec/result.js';
import type { CheckResult } from '../codec/result.js';
import {
  VSTOR_OPERATION_MAXIMUM,
  VSTOR_PACKET_HEADER_SIZE,
  VmstorProtocolVersion,
  VstorOperation,
} from './constants.js';
import { vmscsiRequestSize, vstorPacketSize } from './sizes.js';
import { createVmscsiRequest, readVmscsiRequestInto, writeVmscsiRequest } from './srb.js';
import type { VmscsiRequest } from './srb.js';

/**
 * The storage fast path: a `struct vstor_packet` carrying a `vmscsi_request`, i.e. an
 * EXECUTE_SRB from the guest or the COMPLETE_IO that answers it (HYPERV.md rule 17).
 * Layout: operation u32 @0, flags u32 @4, status u32 @8, vm_srb @12 (L: storvsc_drv.c).
 */
export interface VstorSrbPacket {
  /** {@link VstorOperation.EXECUTE_SRB} or {@link VstorOperation.COMPLETE_IO}. */
  operation: number;
  /** {@link REQUEST_COMPLETION_FLAG} on requests. */
  flags: number;
  /** NTSTATUS from the host (0 in requests). */
  status: number;
  readonly srb: VmscsiRequest;
}

/** Options shared by the storage codecs. */
export interface VstorCodecOptions {
  /** Negotiated storage protocol version; decides the packet size. Default 6.2. */
  readonly protocolVersion?: number;
}

const DEFAULT_VERSION = VmstorProtocolVersion.WIN10;

/** A reusable packet for {@link decodeVstorSrbInto}. */
export function createVstorSrbPacket(fields: Partial<VstorSrbPacket> = {}): VstorSrbPacket {
  return {
    operation: VstorOperation.EXECUTE_SRB,
    flags: 0,
    status: 0,
    ...fields,
    srb: createVmscsiRequest(fields.srb),
  };
}

/**
 * Encodes an EXECUTE_SRB or COMPLETE_IO packet at the size storvsc sends for the negotiated
 * version (64 bytes, 48 before 5.1) and returns the bytes written.
 *
 * @example
 * const n = encodeVstorSrbPacket(packet, ringScratch, 0); // 64
 */
export function encodeVstorSrbPacket(
  packet: VstorSrbPacket,
  target: Uint8Array,
  offset: number,
  options?: VstorCodecOptions,
): number {
  const version = options?.protocolVersion ?? DEFAULT_VERSION;
  const size = vstorPacketSize(version);
  checkTarget(target, offset, size, 'vstor_packet');
  if (
    packet.operation !== VstorOperation.EXECUTE_SRB &&
    packet.operation !== VstorOperation.COMPLETE_IO
  ) {
    throw new ProtocolEncodeError(
      'vstor_packet.operation',
      `an SRB packet is EXECUTE_SRB (3) or COMPLETE_IO (1), got ${packet.operation}`,
    );
  }
  writeU32(target, offset, packet.operation);
  writeU32(target, offset + 4, checkU32(packet.flags, 'vstor_packet.flags'));
  writeU32(target, offset + 8, checkU32(packet.status, 'vstor_packet.status'));
  writeVmscsiRequest(
    target,
    offset + VSTOR_PACKET_HEADER_SIZE,
    packet.srb,
    vmscsiRequestSize(version),
  );
  return size;
}

/**
 * Decodes an EXECUTE_SRB or COMPLETE_IO packet into `out` without allocating. Returns the
 * shared {@link ACCEPTED} answer or a rejection (then `out` keeps its previous contents).
 * Rejects other operations (use the general decoders for those), truncated packets, CDB and
 * sense lengths that do not fit and undefined directions. An unknown SCSI opcode is not a
 * decode error: the VSP answers it with CHECK CONDITION (see `scsi/`).
 *
 * @example
 * const scratch = createVstorSrbPacket();
 * const r = decodeVstorSrbInto(payload, 0, payload.length, scratch);
 * if (r.ok) handleSrb(scratch.srb);
 */
export function decodeVstorSrbInto(
  bytes: Uint8Array,
  offset: number,
  length: number,
  out: VstorSrbPacket,
  options?: VstorCodecOptions,
): CheckResult {
  const window = badWindow(bytes, offset, length);
  if (window !== undefined) return window;
  const srbSize = vmscsiRequestSize(options?.protocolVersion ?? DEFAULT_VERSION);
  const need = VSTOR_PACKET_HEADER_SIZE + srbSize;
  if (length < 4) return truncated('vstor_packet.operation', 4, length);
  const operation = readU32(bytes, offset);
  if (operation !== VstorOperation.EXECUTE_SRB && operation !== VstorOperation.COMPLETE_IO) {
    return operation >= 1 && operation <= VSTOR_OPERATION_MAXIMUM
      ? rejected('unsupported-type', 'vstor.noSrb', { operation })
      : rejected('unknown-type', 'type.unknown', { protocol: 'vstor', code: String(operation) });
  }
  if (length < need) return truncated('vstor_packet with vmscsi_request', need, length);
  const failure = readVmscsiRequestInto(bytes, offset + VSTOR_PACKET_HEADER_SIZE, srbSize, out.srb);
  if (failure !== undefined) return failure;
  out.operation = operation;
  out.flags = readU32(bytes, offset + 4);
  out.status = readU32(bytes, offset + 8);
  return ACCEPTED;
}

/** Zero-fills `[offset + used, offset + size)`; the codecs pad every packet to full size. */
export function padVstorPacket(
  target: Uint8Array,
  offset: number,
  used: number,
  size: number,
): void {
  zero(target, offset + used, offset + size);
}
