/**
 * The numbers both sides of the sandbox boundary agree on. The host encodes calls and decodes
 * effect lists with them; the in-sandbox bridge (realm/bridge-source.ts) has them interpolated
 * into its source, so the two can never drift apart.
 *
 * A call into the sandbox is one ArrayBuffer: a Float64 header (call kind, channel id, sequence,
 * then per-kind fields) followed by the packet payload. What the plugin asked for comes back as
 * one ArrayBuffer of Float64 records (opcode, fields, then payload bytes or UTF-16 text packed
 * into whole words).
 */

/** Which handler a call runs. */
export const Call = {
  Opened: 1,
  Packet: 2,
  DeviceCompleted: 3,
  HostEvent: 4,
  Closed: 5,
} as const;

/** Effects a handler asks for, replayed by the host in order when the call returns. */
export const Op = {
  Complete: 1,
  Send: 2,
  TransferPages: 3,
  Fail: 4,
  Charge: 5,
  Timer: 6,
  Pressure: 7,
  MemoryChange: 8,
  Heartbeat: 9,
  Log: 10,
  Submit: 11,
  Transmit: 12,
  Touch: 13,
  WriteRanges: 14,
} as const;

/**
 * Requests that need an answer during the call. Each carries the effects recorded so far, which
 * the host replays first, so effects and answers keep the order the plugin asked for them in.
 */
export const Sync = {
  Offer: 1,
  ReadGpadl: 2,
  WriteGpadl: 3,
  GpadlSize: 4,
  AssignVirtualFunction: 5,
  /** The answer of a touchRanges or writeRanges, by its index (they are applied in order). */
  Answer: 6,
  /** Apply the effects now and answer with the last one's SendResult (a send on another channel). */
  Apply: 7,
} as const;

/** Header words before per-kind fields: call kind, channel id, sequence. */
export const HEADER_WORDS = 3;

export const PACKET_KINDS = ['inband', 'gpa-direct', 'completion'] as const;
export const CLOSE_REASONS = ['closed', 'rescinded', 'failed'] as const;
export const BLOCK_OPS = ['read', 'write', 'flush'] as const;
export const HOST_EVENT_TYPES = ['frame-received', 'input', 'memory-target', 'timer'] as const;
export const INPUT_KINDS = ['key', 'pointer'] as const;
export const MEMORY_ACTIONS = ['balloon', 'unballoon', 'hot-add'] as const;

/** How many touchRanges/writeRanges answers the host keeps for late readers (a ring by index). */
export const ANSWER_WINDOW = 1024;

/** The most page ranges one memory-change report may carry. */
export const MAX_PAGE_RANGES = 4096;
