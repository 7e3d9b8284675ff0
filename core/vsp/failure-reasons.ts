/**
 * Why a VSP stopped a channel, as a stable id and its numbers beside its English words — what
 * `channel.fail` takes besides free text, and what the host says when a plugin's handler threw or
 * the sandbox stopped it. The English of each id is exactly the text the built-in VSPs and the host
 * wrote before reasons had ids (the report's `reason`, the CLI's `--log`, replays and the report's
 * hash read it unchanged); the id and numbers let a player's language say the same thing
 * (levels/vsp-failures-pt-BR.ts is typed over every id, so an id added here without its
 * Portuguese does not compile). A plugin's free-text reason stays its own words in every language.
 *
 * The set is published to plugin authors (the SDK's {@link VspFailureReason}): the `message.*` and
 * `packet.*` ids fit any VSP, the others are the built-in VSPs' own.
 */
import { checkDecodeDetail } from '../protocols/codec/decode-details.js';
import type { DecodeDetail } from '../protocols/codec/decode-details.js';
import { checkMemoryRefusal } from '../memory/isolation-details.js';
import type { MemoryRefusal } from '../memory/isolation-details.js';
import type { DecodeFailure, DecodeFailureReason } from '../protocols/codec/result.js';
import type { MessageTable, TableArgs, TableMessage } from '../simulation/message-table.js';

/**
 * A protocol a VSP speaks, as the failure reasons name it.
 *
 * @example
 * ```ts
 * const protocol: VspProtocolName = 'nvsp'; // "malformed NVSP message: …"
 * ```
 */
export type VspProtocolName = 'synthvid' | 'synthhid' | 'dynamic-memory' | 'ic' | 'nvsp';

/** What a sandboxed plugin passed that was larger than the sandbox allows. */
export type SandboxPayload =
  | 'a GPADL read'
  | 'a GPADL write'
  | 'a completion payload'
  | 'a send payload'
  | 'a transfer-page payload'
  | 'writeRanges data';

/** A channel's packet kind (`VspPacketKind`), repeated here to keep this table's imports light. */
type PacketKind = 'inband' | 'gpa-direct' | 'completion';

/** The English name of each protocol's messages, as the built-in VSPs have always written it. */
const PROTOCOL_EN: Readonly<Record<VspProtocolName, string>> = {
  synthvid: 'synthvid',
  synthhid: 'synthhid',
  'dynamic-memory': 'Dynamic Memory',
  ic: 'IC',
  nvsp: 'NVSP',
};

/** "1,048,576": the sandbox's limits as its messages have always grouped them. */
const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * A decoder's refusal as a failure reason carries it: the rejection code, the decoder's English
 * sentence, and — when the VSP passes the decoder's `message` on — the same sentence as an id and
 * its numbers (core/protocols/codec/decode-details.ts), so a player's language can say it too.
 */
export interface DecoderRefusal {
  readonly problem: DecodeFailureReason;
  readonly detail: string;
  /** The decoder's `message` (a {@link DecodeDetail}); absent, its `detail` is shown as written. */
  readonly said?: DecodeDetail;
}

/** The `rule 37: storvsp: …` prefix of storvsp's refusals. */
const r37 = (s: string): string => `rule 37: ${s}`;

/** The English of each VSP failure id. */
export const VSP_FAILURE_TEXT = {
  // ── Any VSP ──────────────────────────────────────────────────────────────────────────────────
  /** The protocol's decoder refused the guest's message; `detail` is the decoder's sentence. */
  'message.malformed': (a: { protocol: VspProtocolName } & DecoderRefusal) =>
    `malformed ${PROTOCOL_EN[a.protocol]} message: ${a.detail}`,
  /** A message only the host sends, received from the guest. */
  'message.fromHost': (a: { protocol: VspProtocolName; message: string }) =>
    a.protocol === 'nvsp'
      ? `the guest sent the host's NVSP message ${a.message}`
      : `${PROTOCOL_EN[a.protocol]} ${a.message} is a host message; the guest may not send it`,
  /** A message that needs an agreed protocol version, sent before one was. */
  'message.beforeVersion': (a: { message: string }) =>
    `${a.message} before a protocol version was agreed`,
  /** A protocol carried in-band only got another kind of packet. */
  'packet.notInband': (a: { protocol: VspProtocolName | 'heartbeat'; kind: PacketKind }) =>
    a.protocol === 'synthvid' || a.protocol === 'synthhid'
      ? `${a.protocol} carries in-band messages only, got a ${a.kind} packet`
      : `${a.protocol === 'dynamic-memory' ? 'Dynamic Memory' : a.protocol === 'heartbeat' ? 'heartbeat' : PROTOCOL_EN[a.protocol]} messages travel in-band, got a ${a.kind} packet`,

  // ── storvsp (rule 37) ────────────────────────────────────────────────────────────────────────
  'storvsp.completionFromGuest': () =>
    r37('unexpected-packet-type: a guest may not send a completion to storvsp'),
  'storvsp.packetType': (a: { type: number }) =>
    r37(
      `unexpected-packet-type: storage requests are in-band (6) or GPA-direct (9), not type ${a.type}`,
    ),
  'storvsp.notTransactional': () =>
    r37('not-transactional: storage request without VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED'),
  'storvsp.transId': (a: { transId: number }) =>
    r37(`trans_id ${String(a.transId)} cannot be echoed in a completion`),
  'storvsp.noRanges': () => r37('GPA-direct packet with no ranges'),
  /** The vstor request (not an SRB) did not decode. */
  'storvsp.malformedRequest': (a: DecoderRefusal) => r37(`${a.problem}: ${a.detail}`),
  'storvsp.malformedSrb': (a: DecoderRefusal) =>
    r37(`malformed EXECUTE_SRB: ${a.problem}: ${a.detail}`),
  'storvsp.rangeByteCount': (a: { byteCount: number }) =>
    r37(`malformed page range: byte count ${a.byteCount}`),
  'storvsp.rangeByteOffset': (a: { byteOffset: number }) =>
    r37(`malformed page range: byte offset ${a.byteOffset}`),
  'storvsp.rangeTooFewPages': (a: { pages: number; bytes: number }) =>
    r37(`malformed page range: ${a.pages} pages for ${a.bytes} bytes`),
  'storvsp.rangePageNumber': (a: { pfn: number }) =>
    r37(`malformed page range: page number ${a.pfn}`),
  'storvsp.tooManyRanges': (a: { ranges: number }) =>
    r37(`count-out-of-range: ${a.ranges} GPA ranges; storvsp accepts one`),
  /** The SRB's data_transfer_length is longer than the guest memory the packet supplied. */
  'storvsp.dataRangeTooShort': (a: { dataTransferLength: number; rangeBytes: number }) =>
    r37(
      `data-range-too-short: data_transfer_length ${a.dataTransferLength} exceeds the ${a.rangeBytes} bytes of guest memory supplied`,
    ),

  // ── netvsp ───────────────────────────────────────────────────────────────────────────────────
  'netvsp.subchannelWithoutPrimary': () => 'a vRSS subchannel opened without its primary channel',
  'netvsp.unservedChannel': () => 'a packet on a channel netvsp does not serve',
  'netvsp.transIdTooLarge': () => 'a trans_id beyond 2^53',
  'netvsp.gpaDirect': (a: { message: string }) => `a GPA-direct packet carrying NVSP ${a.message}`,
  'netvsp.ndisConfigBeforeV2': () => 'SEND_NDIS_CONFIG before NVSP 2 was agreed',
  'netvsp.ndisVersionBeforeInit': () => 'SEND_NDIS_VERSION before NVSP INIT',
  'netvsp.onSubchannel': (a: { message: string }) => `${a.message} on a subchannel`,
  'netvsp.notTransactional': (a: { message: string }) =>
    `${a.message} without asking for a completion (not transactional)`,
  'netvsp.initTwice': () => 'NVSP INIT after a version was agreed',
  'netvsp.subchannelBeforeV5': () => 'NVSP SUBCHANNEL before NVSP 5 was agreed',
  'netvsp.noSendBuffer': () => 'SEND_RNDIS_PKT names a send section before the send buffer exists',
  'netvsp.badSendSection': (a: DecoderRefusal) => `SEND_RNDIS_PKT: ${a.detail}`,
  'netvsp.noSectionNoRanges': () => 'SEND_RNDIS_PKT with neither a send section nor page ranges',
  /**
   * `detail`: why guest memory refused the ranges, in English (`touchRanges`' reason); `said`, the
   * same as an id (its `refusal`, core/memory/isolation-details.ts), for the player's language.
   */
  'netvsp.rangesRefused': (a: { detail: string; said?: MemoryRefusal }) =>
    `SEND_RNDIS_PKT page ranges refused: ${a.detail}`,
  'netvsp.notSendComplete': () => 'a completion that is not SEND_RNDIS_PKT_COMPLETE',
  'netvsp.unknownLend': (a: { transId: number }) =>
    `a completion of transfer pages the host never lent (trans_id ${a.transId})`,

  // ── synthvid ─────────────────────────────────────────────────────────────────────────────────
  'synthvid.resolutionNeedsWin10': () => 'RESOLUTION_REQUEST needs synthvid 3.5 (WIN10)',
  /** `gpa`: the guest physical address, hexadecimal (`0x…`). */
  'synthvid.vramMisaligned': (a: { gpa: string }) => `VRAM at ${a.gpa} is not page aligned`,
  'synthvid.situationBeforeVram': () => 'SITUATION_UPDATE before VRAM_LOCATION',
  'synthvid.outputCount': (a: { outputs: number }) =>
    `SITUATION_UPDATE with ${a.outputs} video outputs (the host offers 1)`,
  'synthvid.depth': (a: { bits: number }) => `a depth of ${a.bits} bits per pixel`,
  'synthvid.mode': (a: { width: number; height: number }) => `a ${a.width}×${a.height} mode`,
  'synthvid.pitch': (a: { pitch: number; width: number }) =>
    `a pitch of ${a.pitch} bytes for ${a.width} pixels`,
  'synthvid.pastVram': () => 'a mode that runs past the end of VRAM',
  'synthvid.dirtBeforeMode': () => 'SYNTHVID_DIRT before a mode was set',

  // ── synthhid ─────────────────────────────────────────────────────────────────────────────────
  'synthhid.secondProtocolRequest': () =>
    'a second SYNTH_HID_PROTOCOL_REQUEST on an initialised channel',
  'synthhid.ackWithoutInfo': () =>
    'SYNTH_HID_INITIAL_DEVICE_INFO_ACK without device info to acknowledge',

  // ── Dynamic Memory ───────────────────────────────────────────────────────────────────────────
  'dynmem.tooManyPages': (a: { pages: number; requested: number }) =>
    `the guest gave ${a.pages} pages for a balloon of ${a.requested}`,
  'dynmem.rangeTwiceOrEmpty': (a: { start: number; count: number }) =>
    `the guest gave page range ${a.start}+${a.count} twice or empty`,
  'dynmem.unexpected': (a: { message: string }) =>
    `unexpected Dynamic Memory message from the guest: ${a.message}`,

  // ── heartbeat ────────────────────────────────────────────────────────────────────────────────
  'heartbeat.notResponse': () => 'the guest sent an IC message that is not a transaction response',

  // ── The host, of any plugin ──────────────────────────────────────────────────────────────────
  /**
   * A handler threw. `thrown` is what it threw, in the plugin's words (`TypeError: x is
   * undefined`, `threw a string: "boom"`); `where`, when known, where in the plugin's code.
   */
  'plugin.threw': (a: { handler: string; thrown: string; where: string | null }) => {
    const reason = a.thrown.startsWith('threw ')
      ? `${a.handler} ${a.thrown}`
      : `${a.handler} threw ${a.thrown}`;
    return a.where === null ? reason : `${reason} (${a.where})`;
  },
  /** A channel method called outside a handler (from a stored callback). */
  'plugin.outsideHandler': (a: { where: string | null }) =>
    a.where === null
      ? 'a channel method was called outside a handler'
      : `a channel method was called outside a handler (${a.where})`,
  /** The VSP's own packet can never fit the ring the guest chose. */
  'plugin.sendTooLarge': (a: {
    packet: 'completion' | 'message' | 'transfer-page packet';
    bytes: number;
    ringBytes: number;
  }) =>
    `sent a ${a.packet} of ${String(a.bytes)} bytes: more than the guest's ring of ${String(a.ringBytes)} bytes can hold`,
  /** `call`: the handler (or `create`, `loading`); `at`: ` (at …)` where it was stopped, or ''. */
  'sandbox.cpuBudget': (a: { ticks: number; call: string; at: string }) =>
    `exceeded its CPU budget of ${grouped(a.ticks)} ticks (calls and branches) in ${a.call}${a.at}`,
  'sandbox.memoryLimit': (a: { mib: number; call: string }) =>
    `exceeded its memory limit of ${grouped(a.mib)} MiB in ${a.call}`,
  /** `what`: the buffer (`a GPADL read`, `a completion payload`). */
  'sandbox.payloadTooLarge': (a: { what: SandboxPayload; bytes: number; max: number }) =>
    `passed ${a.what} of ${grouped(a.bytes)} bytes; the sandbox allows at most ${grouped(a.max)}`,
  /** `why`: what the host found wrong, in English. */
  'sandbox.broken': (a: { call: string; why: string }) =>
    `broke its sandbox in ${a.call} (${a.why}); the plugin is stopped`,
  /** A structured reason `channel.fail` could not use (an unknown id, arguments that are not data). */
  'plugin.badReason': (a: { problem: string }) => `channel.fail was given ${a.problem}`,
} as const satisfies MessageTable;

/**
 * The id of a kind of VSP failure (`storvsp.dataRangeTooShort`, `message.malformed`…).
 *
 * @example
 * ```ts
 * const id: VspFailureId = 'message.beforeVersion'; // "… before a protocol version was agreed"
 * ```
 */
export type VspFailureId = keyof typeof VSP_FAILURE_TEXT;

/**
 * The arguments a failure of kind `I` carries.
 *
 * @example
 * ```ts
 * const args: VspFailureArgs<'message.beforeVersion'> = { message: 'VRAM_LOCATION' };
 * channel.fail({ id: 'message.beforeVersion', args });
 * ```
 */
export type VspFailureArgs<I extends VspFailureId> = TableArgs<typeof VSP_FAILURE_TEXT, I>;

/**
 * One structured failure reason: an id and its arguments, plain data — what `channel.fail` takes
 * besides free text. The game says it in the player's language; its English is the same in every
 * report. Your own words (`channel.fail('…')`) are shown as they are, in every language.
 *
 * @example
 * ```ts
 * onPacket(channel, packet) {
 *   if (packet.kind !== 'inband') {
 *     // An id the game translates; its English: "synthvid carries in-band messages only, …"
 *     channel.fail({
 *       id: 'packet.notInband',
 *       args: { protocol: 'synthvid', kind: packet.kind },
 *     });
 *     return;
 *   }
 *   channel.complete(packet.transId, answer);
 * },
 * ```
 */
export type VspFailureReason = TableMessage<typeof VSP_FAILURE_TEXT>;

/** Every failure id, sorted (for tests and translation tables). */
export const VSP_FAILURE_IDS: readonly VspFailureId[] = Object.freeze(
  (Object.keys(VSP_FAILURE_TEXT) as VspFailureId[]).sort(),
);

/**
 * A failure reason of kind `id` with `args`.
 *
 * @example
 * channel.fail(vspFailure('storvsp.transId', { transId: packet.transId }));
 */
export function vspFailure<I extends VspFailureId>(
  id: I,
  args: VspFailureArgs<I>,
): VspFailureReason {
  return { id, args } as VspFailureReason;
}

/**
 * A decoder's rejection as the arguments of `message.malformed` and the other ids that quote a
 * decoder: its code, its English sentence and the same sentence as an id.
 *
 * @example
 * const decoded = decodeNvspMessage(payload, 0, payload.length);
 * if (!decoded.ok)
 *   channel.fail(vspFailure('message.malformed', { protocol: 'nvsp', ...decoderRefusal(decoded) }));
 */
export function decoderRefusal(failure: DecodeFailure): DecoderRefusal {
  return { problem: failure.reason, detail: failure.detail, said: failure.message };
}

/**
 * The English words of a failure reason.
 *
 * @example
 * vspFailureText(vspFailure('storvsp.noRanges', {})); // "rule 37: GPA-direct packet with no ranges"
 */
export function vspFailureText(reason: VspFailureReason): string {
  const format = VSP_FAILURE_TEXT[reason.id] as (args: VspFailureReason['args']) => string;
  return format(reason.args);
}

/**
 * What one argument may hold: text, a finite number, text or null, one of a few words, or a
 * decoder's detail (core/protocols/codec/decode-details.ts) or guest memory's refusal
 * (core/memory/isolation-details.ts), each or nothing.
 */
type ArgKind =
  | 'text'
  | 'number'
  | 'text-or-null'
  | 'decode-detail-or-absent'
  | 'memory-refusal-or-absent'
  | readonly string[];

const PROTOCOLS: readonly VspProtocolName[] = [
  'synthvid',
  'synthhid',
  'dynamic-memory',
  'ic',
  'nvsp',
];
const PROBLEMS: readonly DecodeFailureReason[] = [
  'bad-window',
  'truncated',
  'unknown-type',
  'unsupported-type',
  'length-out-of-range',
  'count-out-of-range',
  'offset-out-of-range',
  'reserved-value',
  'not-transactional',
  'unexpected-packet-type',
  'data-range-too-short',
];
const SANDBOX_PAYLOADS: readonly SandboxPayload[] = [
  'a GPADL read',
  'a GPADL write',
  'a completion payload',
  'a send payload',
  'a transfer-page payload',
  'writeRanges data',
];
const DECODED = {
  problem: PROBLEMS,
  detail: 'text',
  said: 'decode-detail-or-absent',
} as const;

/**
 * Every argument of every id and what it may hold: checked at run time on what a plugin passes
 * (its types are not checked in a sandbox or in JavaScript). Mapped over each id's arguments, so an
 * argument added to {@link VSP_FAILURE_TEXT} without its kind here does not compile.
 */
const ARG_KINDS: {
  readonly [I in VspFailureId]: { readonly [K in keyof VspFailureArgs<I>]-?: ArgKind };
} = {
  'message.malformed': { protocol: PROTOCOLS, ...DECODED },
  'message.fromHost': { protocol: PROTOCOLS, message: 'text' },
  'message.beforeVersion': { message: 'text' },
  'packet.notInband': {
    protocol: [...PROTOCOLS, 'heartbeat'],
    kind: ['inband', 'gpa-direct', 'completion'],
  },
  'storvsp.completionFromGuest': {},
  'storvsp.packetType': { type: 'number' },
  'storvsp.notTransactional': {},
  'storvsp.transId': { transId: 'number' },
  'storvsp.noRanges': {},
  'storvsp.malformedRequest': DECODED,
  'storvsp.malformedSrb': DECODED,
  'storvsp.rangeByteCount': { byteCount: 'number' },
  'storvsp.rangeByteOffset': { byteOffset: 'number' },
  'storvsp.rangeTooFewPages': { pages: 'number', bytes: 'number' },
  'storvsp.rangePageNumber': { pfn: 'number' },
  'storvsp.tooManyRanges': { ranges: 'number' },
  'storvsp.dataRangeTooShort': { dataTransferLength: 'number', rangeBytes: 'number' },
  'netvsp.subchannelWithoutPrimary': {},
  'netvsp.unservedChannel': {},
  'netvsp.transIdTooLarge': {},
  'netvsp.gpaDirect': { message: 'text' },
  'netvsp.ndisConfigBeforeV2': {},
  'netvsp.ndisVersionBeforeInit': {},
  'netvsp.onSubchannel': { message: 'text' },
  'netvsp.notTransactional': { message: 'text' },
  'netvsp.initTwice': {},
  'netvsp.subchannelBeforeV5': {},
  'netvsp.noSendBuffer': {},
  'netvsp.badSendSection': DECODED,
  'netvsp.noSectionNoRanges': {},
  'netvsp.rangesRefused': { detail: 'text', said: 'memory-refusal-or-absent' },
  'netvsp.notSendComplete': {},
  'netvsp.unknownLend': { transId: 'number' },
  'synthvid.resolutionNeedsWin10': {},
  'synthvid.vramMisaligned': { gpa: 'text' },
  'synthvid.situationBeforeVram': {},
  'synthvid.outputCount': { outputs: 'number' },
  'synthvid.depth': { bits: 'number' },
  'synthvid.mode': { width: 'number', height: 'number' },
  'synthvid.pitch': { pitch: 'number', width: 'number' },
  'synthvid.pastVram': {},
  'synthvid.dirtBeforeMode': {},
  'synthhid.secondProtocolRequest': {},
  'synthhid.ackWithoutInfo': {},
  'dynmem.tooManyPages': { pages: 'number', requested: 'number' },
  'dynmem.rangeTwiceOrEmpty': { start: 'number', count: 'number' },
  'dynmem.unexpected': { message: 'text' },
  'heartbeat.notResponse': {},
  'plugin.threw': { handler: 'text', thrown: 'text', where: 'text-or-null' },
  'plugin.outsideHandler': { where: 'text-or-null' },
  'plugin.sendTooLarge': {
    packet: ['completion', 'message', 'transfer-page packet'],
    bytes: 'number',
    ringBytes: 'number',
  },
  'sandbox.cpuBudget': { ticks: 'number', call: 'text', at: 'text' },
  'sandbox.memoryLimit': { mib: 'number', call: 'text' },
  'sandbox.payloadTooLarge': { what: SANDBOX_PAYLOADS, bytes: 'number', max: 'number' },
  'sandbox.broken': { call: 'text', why: 'text' },
  'plugin.badReason': { problem: 'text' },
};

/** Longest text argument a structured reason may carry (the sandbox's text limit is longer). */
const MAX_ARG_TEXT = 2000;

function fits(kind: ArgKind, v: unknown): boolean {
  if (typeof kind !== 'string') return typeof v === 'string' && kind.includes(v);
  if (kind === 'decode-detail-or-absent') return v === undefined || checkDecodeDetail(v) !== null;
  if (kind === 'memory-refusal-or-absent') return v === undefined || checkMemoryRefusal(v) !== null;
  if (kind === 'number') return typeof v === 'number' && Number.isFinite(v);
  if (v === null) return kind === 'text-or-null';
  return typeof v === 'string' && v.length <= MAX_ARG_TEXT;
}

const isPlain = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a structured reason from a plugin (untrusted: a sandboxed or a JavaScript plugin's types
 * are not checked): a known id, and arguments that are exactly the id's, each of its kind. Returns
 * a copy of the reason, or what is wrong with it in words (for `plugin.badReason`).
 *
 * @example
 * checkVspFailure({ id: 'storvsp.noRanges', args: {} }); // { id: 'storvsp.noRanges', args: {} }
 * checkVspFailure({ id: 'nope', args: {} }); // 'an unknown failure id "nope"'
 */
export function checkVspFailure(value: unknown): VspFailureReason | string {
  if (!isPlain(value)) return 'a reason that is neither text nor { id, args }';
  const { id, args } = value;
  if (typeof id !== 'string' || !Object.prototype.hasOwnProperty.call(ARG_KINDS, id))
    return `an unknown failure id ${JSON.stringify(String(id)).slice(0, 80)}`;
  if (!isPlain(args)) return `failure ${id} without an args record`;
  const kinds = ARG_KINDS[id as VspFailureId] as Readonly<Record<string, ArgKind>>;
  const copy: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(kinds)) {
    const v = Object.prototype.hasOwnProperty.call(args, name) ? args[name] : undefined;
    if (!fits(kind, v)) return `failure ${id} with a wrong or missing argument ${name}`;
    if (kind === 'decode-detail-or-absent') {
      if (v !== undefined) copy[name] = checkDecodeDetail(v);
    } else if (kind === 'memory-refusal-or-absent') {
      if (v !== undefined) copy[name] = checkMemoryRefusal(v);
    } else copy[name] = v;
  }
  for (const name of Object.keys(args))
    if (!(name in kinds)) return `failure ${id} with an unknown argument ${name.slice(0, 40)}`;
  return { id, args: copy } as VspFailureReason;
}
