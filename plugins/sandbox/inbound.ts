/**
 * Encoding calls into the sandbox: one ArrayBuffer per call, a Float64 header (wire.ts) and the
 * packet's payload after it, so a call costs one copy into the sandbox however many fields it has.
 */
import type { DeviceCompletion, VspHostEvent, VspPacket } from '../../core/vsp/types.js';
import {
  Call,
  CLOSE_REASONS,
  HEADER_WORDS,
  HOST_EVENT_TYPES,
  INPUT_KINDS,
  MEMORY_ACTIONS,
  PACKET_KINDS,
} from './wire.js';

const PACKET_FIELDS = 5; // kind, transId, completionRequested, payload bytes, range count

/** A packet call: header, the GPA ranges (byteCount, byteOffset, pfn count, pfns…), payload. */
export function encodePacket(channelId: number, seq: number, packet: VspPacket): ArrayBuffer {
  let words = HEADER_WORDS + PACKET_FIELDS;
  for (const r of packet.ranges) words += 3 + r.pfns.length;
  const bytes = packet.payload.length;
  const out = new ArrayBuffer(words * 8 + Math.ceil(bytes / 8) * 8);
  const w = new Float64Array(out, 0, words);
  w[0] = Call.Packet;
  w[1] = channelId;
  w[2] = seq;
  w[3] = PACKET_KINDS.indexOf(packet.kind);
  w[4] = packet.transId;
  w[5] = packet.completionRequested ? 1 : 0;
  w[6] = bytes;
  w[7] = packet.ranges.length;
  let p = HEADER_WORDS + PACKET_FIELDS;
  for (const r of packet.ranges) {
    w[p] = r.byteCount;
    w[p + 1] = r.byteOffset;
    w[p + 2] = r.pfns.length;
    p += 3;
    for (const pfn of r.pfns) w[p++] = pfn;
  }
  new Uint8Array(out, words * 8, bytes).set(packet.payload);
  return out;
}

export function encodeOpened(channelId: number): ArrayBuffer {
  return fixed(Call.Opened, channelId, 0, 0, 0, 0);
}

export function encodeDeviceCompleted(channelId: number, c: DeviceCompletion): ArrayBuffer {
  return fixed(Call.DeviceCompleted, channelId, c.tag, c.status === 'ok' ? 0 : 1, c.bytes, 0);
}

export function encodeHostEvent(channelId: number, e: VspHostEvent): ArrayBuffer {
  const type = HOST_EVENT_TYPES.indexOf(e.type);
  switch (e.type) {
    case 'frame-received':
      return fixed(Call.HostEvent, channelId, type, e.bytes, e.tag, 0);
    case 'input':
      return fixed(Call.HostEvent, channelId, type, INPUT_KINDS.indexOf(e.kind), e.tag, 0);
    case 'memory-target':
      return fixed(
        Call.HostEvent,
        channelId,
        type,
        MEMORY_ACTIONS.indexOf(e.action),
        e.pages,
        e.tag,
        [e.startPage ?? -1, e.region?.startPage ?? -1, e.region?.pageCount ?? 0],
      );
    case 'timer':
      return fixed(Call.HostEvent, channelId, type, e.tag, 0, 0);
  }
}

export function encodeClosed(
  channelId: number,
  reason: 'closed' | 'rescinded' | 'failed',
): ArrayBuffer {
  return fixed(Call.Closed, channelId, CLOSE_REASONS.indexOf(reason), 0, 0, 0);
}

function fixed(
  kind: number,
  channelId: number,
  a: number,
  b: number,
  c: number,
  d: number,
  more: readonly number[] = [],
): ArrayBuffer {
  const out = new Float64Array(HEADER_WORDS + 4 + more.length);
  out[0] = kind;
  out[1] = channelId;
  out[2] = 0;
  out[3] = a;
  out[4] = b;
  out[5] = c;
  out[6] = d;
  out.set(more, 7);
  return out.buffer;
}
