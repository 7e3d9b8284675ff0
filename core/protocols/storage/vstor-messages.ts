import { badWindow, checkTarget, checkU16, checkU32, checkU8, truncated } from '../codec/bounds.js';
import { ProtocolEncodeError } from '../codec/errors.js';
import { readU16, readU32, writeU16, writeU32, zero } from '../codec/le.js';
import { decoded, rejected } from '../codec/result.js';
import type { DecodeResult } from '../codec/result.js';
import {
  VMSTORAGE_CHANNEL_PROPERTIES_SIZE,
  VMSTORAGE_PROTOCOL_VERSION_SIZE,
  VSTOR_OPERATION_MAXIMUM,
  VSTOR_PACKET_HEADER_SIZE,
  VmstorProtocolVersion,
  VstorOperation,
} from './constants.js';
import { vmscsiRequestSize, vstorPacketSize } from './sizes.js';
import { createVmscsiRequest, readVmscsiRequestInto, writeVmscsiRequest } from './srb.js';
import type { VmscsiRequest } from './srb.js';
import type { VstorCodecOptions } from './vstor-srb-packet.js';

/**
 * Every `struct vstor_packet` as plain data, split by direction: what a guest's storvsc sends
 * (parsed by the VSP, O: storvsp `parse_packet`) and what the host sends back.
 */

/** `struct vmstorage_channel_properties` (the QUERY_PROPERTIES answer). */
export interface VmstorageChannelProperties {
  /** Sub-channels the host will create at most (`max_channel_cnt`). */
  readonly maxChannelCount: number;
  /** {@link STORAGE_CHANNEL_SUPPORTS_MULTI_CHANNEL}. */
  readonly flags: number;
  /** Largest single transfer the host accepts. */
  readonly maxTransferBytes: number;
}

/** A packet a guest sends to the storage VSP. */
export type VstorRequest =
  | { readonly kind: 'beginInitialization'; readonly flags: number }
  | { readonly kind: 'endInitialization'; readonly flags: number }
  | {
      readonly kind: 'queryProtocolVersion';
      readonly flags: number;
      /** major << 8 | minor, e.g. 0x0602. */
      readonly majorMinor: number;
      /** "only used on the windows side. Just set it to 0." (L) */
      readonly revision: number;
    }
  | { readonly kind: 'queryProperties'; readonly flags: number }
  | { readonly kind: 'createSubChannels'; readonly flags: number; readonly subChannelCount: number }
  | { readonly kind: 'executeSrb'; readonly flags: number; readonly srb: VmscsiRequest }
  | { readonly kind: 'resetLun'; readonly flags: number }
  | { readonly kind: 'resetAdapter'; readonly flags: number }
  /** storvsc puts the path id in `vm_srb.path_id` (L: storvsc_host_reset_handler). */
  | { readonly kind: 'resetBus'; readonly flags: number; readonly pathId: number };

/** What a COMPLETE_IO carries, which depends on the request it completes. */
export type VstorCompletionResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'srb'; readonly srb: VmscsiRequest }
  | { readonly kind: 'channelProperties'; readonly properties: VmstorageChannelProperties }
  | { readonly kind: 'protocolVersion'; readonly majorMinor: number; readonly revision: number };

/** A packet the host sends to the guest's storvsc. */
export type VstorHostMessage =
  | {
      readonly kind: 'completeIo';
      readonly flags: number;
      /** NTSTATUS ({@link VstorNtStatus}). */
      readonly status: number;
      readonly result: VstorCompletionResult;
    }
  /** Unsolicited (trans_id 0): a LUN went away; storvsc rescans (L: storvsc_on_receive). */
  | { readonly kind: 'removeDevice'; readonly flags: number; readonly status: number }
  /** Unsolicited: LUNs changed; storvsc rescans the bus. */
  | { readonly kind: 'enumerateBus'; readonly flags: number; readonly status: number };

/** Options for decoding host messages: the guest knows which request a completion answers. */
export interface VstorHostDecodeOptions extends VstorCodecOptions {
  /** How to read a COMPLETE_IO payload. Default `'srb'`. */
  readonly completes?: VstorCompletionResult['kind'];
}

const DEFAULT_VERSION = VmstorProtocolVersion.WIN10;
const H = VSTOR_PACKET_HEADER_SIZE;

function writeHeader(t: Uint8Array, o: number, op: number, flags: number, status: number): void {
  writeU32(t, o, op);
  writeU32(t, o + 4, checkU32(flags, 'vstor_packet.flags'));
  writeU32(t, o + 8, checkU32(status, 'vstor_packet.status'));
}

/** Starts a packet: checks room, zero-fills the whole packet, returns its size. */
function begin(target: Uint8Array, offset: number, options?: VstorCodecOptions): number {
  const size = vstorPacketSize(options?.protocolVersion ?? DEFAULT_VERSION);
  checkTarget(target, offset, size, 'vstor_packet');
  zero(target, offset, offset + size);
  return size;
}

/**
 * Encodes a guest→host storage packet, zero-padded to the version's packet size, as storvsc
 * does for every operation (L: `vmbus_sendpacket(..., sizeof(struct vstor_packet), ...)`).
 * Returns the bytes written.
 *
 * @example
 * encodeVstorRequest({ kind: 'beginInitialization', flags: REQUEST_COMPLETION_FLAG }, buf, 0);
 */
export function encodeVstorRequest(
  message: VstorRequest,
  target: Uint8Array,
  offset: number,
  options?: VstorCodecOptions,
): number {
  const size = begin(target, offset, options);
  const o = offset;
  switch (message.kind) {
    case 'beginInitialization':
      writeHeader(target, o, VstorOperation.BEGIN_INITIALIZATION, message.flags, 0);
      break;
    case 'endInitialization':
      writeHeader(target, o, VstorOperation.END_INITIALIZATION, message.flags, 0);
      break;
    case 'queryProtocolVersion':
      writeHeader(target, o, VstorOperation.QUERY_PROTOCOL_VERSION, message.flags, 0);
      writeU16(target, o + H, checkU16(message.majorMinor, 'version.major_minor'));
      writeU16(target, o + H + 2, checkU16(message.revision, 'version.revision'));
      break;
    case 'queryProperties':
      writeHeader(target, o, VstorOperation.QUERY_PROPERTIES, message.flags, 0);
      break;
    case 'createSubChannels':
      writeHeader(target, o, VstorOperation.CREATE_SUB_CHANNELS, message.flags, 0);
      writeU16(target, o + H, checkU16(message.subChannelCount, 'sub_channel_count'));
      break;
    case 'executeSrb':
      writeHeader(target, o, VstorOperation.EXECUTE_SRB, message.flags, 0);
      writeVmscsiRequest(target, o + H, message.srb, size - H);
      break;
    case 'resetLun':
      writeHeader(target, o, VstorOperation.RESET_LUN, message.flags, 0);
      break;
    case 'resetAdapter':
      writeHeader(target, o, VstorOperation.RESET_ADAPTER, message.flags, 0);
      break;
    case 'resetBus':
      writeHeader(target, o, VstorOperation.RESET_BUS, message.flags, 0);
      target[o + H + 5] = checkU8(message.pathId, 'vm_srb.path_id');
      break;
  }
  return size;
}

/**
 * Decodes a guest→host storage packet as the VSP must (HYPERV.md rule 37): truncated
 * packets, operations no version defines, and operations a guest may not send (COMPLETE_IO,
 * REMOVE_DEVICE, ENUMERATE_BUS, and FCHBA_DATA which this host does not emulate) are
 * rejected. The VMBus-level checks live in {@link checkVstorRequestDescriptor}.
 * @example
 * const r = decodeVstorRequest(payload, 0, payload.length, { protocolVersion: 0x0602 });
 * if (!r.ok) stopChannel(r.reason); // HYPERV.md rule 38
 */
export function decodeVstorRequest(
  bytes: Uint8Array,
  offset: number,
  length: number,
  options?: VstorCodecOptions,
): DecodeResult<VstorRequest> {
  const window = badWindow(bytes, offset, length);
  if (window !== undefined) return window;
  if (length < H) return truncated('vstor_packet header', H, length);
  const operation = readU32(bytes, offset);
  const flags = readU32(bytes, offset + 4);
  const o = offset + H;
  const body = length - H;
  switch (operation) {
    case VstorOperation.BEGIN_INITIALIZATION:
      return decoded({ kind: 'beginInitialization', flags });
    case VstorOperation.END_INITIALIZATION:
      return decoded({ kind: 'endInitialization', flags });
    case VstorOperation.QUERY_PROPERTIES:
      return decoded({ kind: 'queryProperties', flags });
    case VstorOperation.RESET_LUN:
      return decoded({ kind: 'resetLun', flags });
    case VstorOperation.RESET_ADAPTER:
      return decoded({ kind: 'resetAdapter', flags });
    case VstorOperation.RESET_BUS:
      if (body < 6) return truncated('RESET_BUS vm_srb.path_id', H + 6, length);
      return decoded({ kind: 'resetBus', flags, pathId: bytes[o + 5] });
    case VstorOperation.QUERY_PROTOCOL_VERSION:
      if (body < VMSTORAGE_PROTOCOL_VERSION_SIZE) {
        return truncated('QUERY_PROTOCOL_VERSION', H + VMSTORAGE_PROTOCOL_VERSION_SIZE, length);
      }
      return decoded({
        kind: 'queryProtocolVersion',
        flags,
        majorMinor: readU16(bytes, o),
        revision: readU16(bytes, o + 2),
      });
    case VstorOperation.CREATE_SUB_CHANNELS:
      if (body < 2) return truncated('CREATE_SUB_CHANNELS', H + 2, length);
      return decoded({ kind: 'createSubChannels', flags, subChannelCount: readU16(bytes, o) });
    case VstorOperation.EXECUTE_SRB: {
      const srbSize = vmscsiRequestSize(options?.protocolVersion ?? DEFAULT_VERSION);
      if (body < srbSize) return truncated('EXECUTE_SRB', H + srbSize, length);
      const srb = createVmscsiRequest();
      const failure = readVmscsiRequestInto(bytes, o, srbSize, srb);
      if (failure !== undefined) return failure;
      return decoded({ kind: 'executeSrb', flags, srb });
    }
    case VstorOperation.COMPLETE_IO:
    case VstorOperation.REMOVE_DEVICE:
    case VstorOperation.ENUMERATE_BUS:
    case VstorOperation.FCHBA_DATA:
      return rejected('unsupported-type', 'vstor.notGuestRequest', { operation });
    default:
      return rejected('unknown-type', 'vstor.unknownOperation', {
        operation,
        max: VSTOR_OPERATION_MAXIMUM,
      });
  }
}

function writeProperties(t: Uint8Array, o: number, p: VmstorageChannelProperties): void {
  writeU16(t, o + 4, checkU16(p.maxChannelCount, 'max_channel_cnt'));
  writeU32(t, o + 8, checkU32(p.flags, 'channel_properties.flags'));
  writeU32(t, o + 12, checkU32(p.maxTransferBytes, 'max_transfer_bytes'));
}

/** Encodes a host→guest storage packet, zero-padded like storvsp does (O: send_vmbus_packet). */
export function encodeVstorHostMessage(
  message: VstorHostMessage,
  target: Uint8Array,
  offset: number,
  options?: VstorCodecOptions,
): number {
  const size = begin(target, offset, options);
  const o = offset;
  switch (message.kind) {
    case 'removeDevice':
      writeHeader(target, o, VstorOperation.REMOVE_DEVICE, message.flags, message.status);
      return size;
    case 'enumerateBus':
      writeHeader(target, o, VstorOperation.ENUMERATE_BUS, message.flags, message.status);
      return size;
    case 'completeIo':
      writeHeader(target, o, VstorOperation.COMPLETE_IO, message.flags, message.status);
      break;
  }
  const result = message.result;
  switch (result.kind) {
    case 'none':
      break;
    case 'srb':
      writeVmscsiRequest(target, o + H, result.srb, size - H);
      break;
    case 'channelProperties':
      writeProperties(target, o + H, result.properties);
      break;
    case 'protocolVersion':
      writeU16(target, o + H, checkU16(result.majorMinor, 'version.major_minor'));
      writeU16(target, o + H + 2, checkU16(result.revision, 'version.revision'));
      break;
    default:
      throw new ProtocolEncodeError('completeIo.result', 'unknown result kind');
  }
  return size;
}

function decodeCompletion(
  bytes: Uint8Array,
  offset: number,
  length: number,
  options: VstorHostDecodeOptions | undefined,
): DecodeResult<VstorHostMessage> {
  const flags = readU32(bytes, offset + 4);
  const status = readU32(bytes, offset + 8);
  const o = offset + H;
  const body = length - H;
  const completes = options?.completes ?? 'srb';
  switch (completes) {
    case 'none':
      return decoded({ kind: 'completeIo', flags, status, result: { kind: 'none' } });
    case 'protocolVersion':
      if (body < VMSTORAGE_PROTOCOL_VERSION_SIZE) {
        return truncated('COMPLETE_IO version', H + VMSTORAGE_PROTOCOL_VERSION_SIZE, length);
      }
      return decoded({
        kind: 'completeIo',
        flags,
        status,
        result: {
          kind: 'protocolVersion',
          majorMinor: readU16(bytes, o),
          revision: readU16(bytes, o + 2),
        },
      });
    case 'channelProperties':
      if (body < VMSTORAGE_CHANNEL_PROPERTIES_SIZE) {
        return truncated(
          'COMPLETE_IO channel properties',
          H + VMSTORAGE_CHANNEL_PROPERTIES_SIZE,
          length,
        );
      }
      return decoded({
        kind: 'completeIo',
        flags,
        status,
        result: {
          kind: 'channelProperties',
          properties: {
            maxChannelCount: readU16(bytes, o + 4),
            flags: readU32(bytes, o + 8),
            maxTransferBytes: readU32(bytes, o + 12),
          },
        },
      });
    case 'srb': {
      const srbSize = vmscsiRequestSize(options?.protocolVersion ?? DEFAULT_VERSION);
      if (body < srbSize) return truncated('COMPLETE_IO srb', H + srbSize, length);
      const srb = createVmscsiRequest();
      const failure = readVmscsiRequestInto(bytes, o, srbSize, srb);
      if (failure !== undefined) return failure;
      return decoded({ kind: 'completeIo', flags, status, result: { kind: 'srb', srb } });
    }
  }
}

/**
 * Decodes a host→guest storage packet (the guest side; a guest also distrusts what it reads).
 * `options.completes` says how to read a COMPLETE_IO, since that depends on the request.
 * @example
 * const r = decodeVstorHostMessage(payload, 0, payload.length, { completes: 'channelProperties' });
 */
export function decodeVstorHostMessage(
  bytes: Uint8Array,
  offset: number,
  length: number,
  options?: VstorHostDecodeOptions,
): DecodeResult<VstorHostMessage> {
  const window = badWindow(bytes, offset, length);
  if (window !== undefined) return window;
  if (length < H) return truncated('vstor_packet header', H, length);
  const operation = readU32(bytes, offset);
  switch (operation) {
    case VstorOperation.COMPLETE_IO:
      return decodeCompletion(bytes, offset, length, options);
    case VstorOperation.REMOVE_DEVICE:
    case VstorOperation.ENUMERATE_BUS:
      return decoded({
        kind: operation === VstorOperation.REMOVE_DEVICE ? 'removeDevice' : 'enumerateBus',
        flags: readU32(bytes, offset + 4),
        status: readU32(bytes, offset + 8),
      });
    default:
      return operation >= 1 && operation <= VSTOR_OPERATION_MAXIMUM
        ? rejected('unsupported-type', 'vstor.notFromHost', { operation })
        : rejected('unknown-type', 'type.unknown', { protocol: 'vstor', code: String(operation) });
  }
}
