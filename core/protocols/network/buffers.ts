import { checkUint } from '../codec/bounds.js';
import { ACCEPTED, rejected } from '../codec/result.js';
import type { CheckResult } from '../codec/result.js';
import {
  NETVSC_DEFAULT_RX,
  NETVSC_DEFAULT_TX,
  NETVSC_INVALID_SECTION_INDEX,
  NETVSC_MTU_MIN,
  NETVSC_RECEIVE_BUFFER_SIZE_LEGACY,
  NETVSC_RECV_SECTION_SIZE,
  NETVSC_SEND_SECTION_SIZE,
  NvspProtocolVersion,
  VRSS_CHANNEL_DEFAULT,
  VRSS_CHANNEL_MAX,
} from './constants.js';
import type { NvspMessage, ReceiveBufferSection } from './nvsp.js';

/**
 * Send/receive buffer arithmetic of netvsc and the checks both sides apply to the sections
 * (HYPERV.md rule 19). L: netvsc.c netvsc_init_buf, netvsc_send; rndis_filter.c.
 */

const PAGE = 4096;

function roundUpToPage(bytes: number): number {
  return Math.ceil(bytes / PAGE) * PAGE;
}

/** A buffer as netvsc sizes it and the host cuts it. */
export interface NetvscBufferLayout {
  /** Bytes shared through the buffer's GPADL. */
  readonly bufferBytes: number;
  readonly sectionSize: number;
  readonly sectionCount: number;
}

/**
 * The send buffer: netvsc allocates `sections × 6144` bytes rounded up to a page, the host
 * answers the section size it wants, and netvsc cuts the buffer into that many sections
 * (L: netvsc_init_buf — `send_section_cnt = buf_size / send_section_size`).
 *
 * @example
 * netvscSendBufferLayout(); // { bufferBytes: 1044480, sectionSize: 6144, sectionCount: 170 }
 */
export function netvscSendBufferLayout(
  input: { readonly sections?: number; readonly hostSectionSize?: number } = {},
): NetvscBufferLayout {
  const sections = checkUint(input.sections ?? NETVSC_DEFAULT_TX, 0xffff_ffff, 'send.sections');
  const bufferBytes = roundUpToPage(sections * NETVSC_SEND_SECTION_SIZE);
  const sectionSize = checkUint(
    input.hostSectionSize ?? NETVSC_SEND_SECTION_SIZE,
    0xffff_ffff,
    'send.hostSectionSize',
  );
  return {
    bufferBytes,
    sectionSize,
    sectionCount: sectionSize === 0 ? 0 : Math.floor(bufferBytes / sectionSize),
  };
}

/**
 * The receive buffer: `sections × 1728` bytes rounded up to a page (capped at 15 MiB for NVSP
 * ≤ 2); the host cuts it into sub-allocations of the section size it announces.
 *
 * @example
 * netvscReceiveBufferLayout(); // { bufferBytes: 16777216, sectionSize: 1728, sectionCount: 9709 }
 */
export function netvscReceiveBufferLayout(
  input: { readonly sections?: number; readonly protocolVersion?: number } = {},
): NetvscBufferLayout {
  const sections = checkUint(input.sections ?? NETVSC_DEFAULT_RX, 0xffff_ffff, 'receive.sections');
  let bufferBytes = roundUpToPage(sections * NETVSC_RECV_SECTION_SIZE);
  if ((input.protocolVersion ?? NvspProtocolVersion.V61) <= NvspProtocolVersion.V2) {
    bufferBytes = Math.min(bufferBytes, NETVSC_RECEIVE_BUFFER_SIZE_LEGACY);
  }
  const section = receiveBufferSectionFor(bufferBytes, NETVSC_RECV_SECTION_SIZE);
  return {
    bufferBytes,
    sectionSize: section.subAllocationSize,
    sectionCount: section.numSubAllocations,
  };
}

/**
 * The one section a host describes in SEND_RECV_BUF_COMPLETE ("no VSP has ever sent more
 * than 1 section", O: netvsp protocol.rs). `endOffset` — estimate: the end of the last whole
 * sub-allocation; no public source states what Hyper-V puts there and netvsc ignores it.
 */
export function receiveBufferSectionFor(
  bufferBytes: number,
  subAllocationSize: number,
): ReceiveBufferSection {
  const count = subAllocationSize === 0 ? 0 : Math.floor(bufferBytes / subAllocationSize);
  return {
    offset: 0,
    subAllocationSize,
    numSubAllocations: count,
    endOffset: count * subAllocationSize,
  };
}

/**
 * netvsc's checks on the receive buffer completion (L: netvsc_init_buf): exactly one section,
 * at offset 0, sub-allocations no smaller than the minimum MTU, all inside the buffer.
 */
export function checkReceiveBufferComplete(
  message: Extract<NvspMessage, { kind: 'sendReceiveBufferComplete' }>,
  bufferBytes: number,
): CheckResult {
  if (message.sections.length !== 1) {
    return rejected('count-out-of-range', 'netvsc.sectionCount', {
      sections: message.sections.length,
    });
  }
  const s = message.sections[0];
  if (s.offset !== 0)
    return rejected('offset-out-of-range', 'netvsc.sectionOffset', { offset: s.offset });
  if (
    s.subAllocationSize < NETVSC_MTU_MIN ||
    s.subAllocationSize * s.numSubAllocations > bufferBytes
  ) {
    return rejected('length-out-of-range', 'netvsc.sectionsOverflow', {
      size: s.subAllocationSize,
      count: s.numSubAllocations,
      bytes: bufferBytes,
    });
  }
  return ACCEPTED;
}

/**
 * The host's check of SEND_RNDIS_PKT against the send buffer: a section index inside the
 * buffer and a size that fits in one section, or 0xFFFFFFFF when the data came GPA-direct.
 */
export function checkSendBufferSection(
  message: Extract<NvspMessage, { kind: 'sendRndisPacket' }>,
  layout: NetvscBufferLayout,
): CheckResult {
  if (message.sendBufferSectionIndex === NETVSC_INVALID_SECTION_INDEX) return ACCEPTED;
  if (message.sendBufferSectionIndex >= layout.sectionCount) {
    return rejected('offset-out-of-range', 'netvsc.sectionIndex', {
      index: message.sendBufferSectionIndex,
      count: layout.sectionCount,
    });
  }
  if (message.sendBufferSectionSize > layout.sectionSize) {
    return rejected('length-out-of-range', 'netvsc.sectionSize', {
      bytes: message.sendBufferSectionSize,
      sectionSize: layout.sectionSize,
    });
  }
  return ACCEPTED;
}

/**
 * vRSS channels netvsc opens: what it asks for (default 8), bounded by online CPUs, the
 * host's receive queues and 64 (L: rndis_filter_device_add — `num_chn = min(max_chn, num_chn)`,
 * `max_chn = min(VRSS_CHANNEL_MAX, min(num_online_cpus, num_recv_que))`).
 */
export function netvscChannelCount(input: {
  readonly onlineCpus: number;
  readonly hostReceiveQueues: number;
  readonly requested?: number;
}): number {
  const possible = Math.min(input.onlineCpus, input.hostReceiveQueues);
  const max = Math.min(VRSS_CHANNEL_MAX, possible);
  return Math.max(1, Math.min(max, input.requested ?? VRSS_CHANNEL_DEFAULT));
}
