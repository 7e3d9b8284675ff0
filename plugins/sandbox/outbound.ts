/**
 * Applying what a sandboxed plugin asked for. The effect list comes out of the sandbox as Float64
 * records (wire.ts); nothing in it is trusted: every opcode, channel id, number, length and text
 * is checked before the host's real channel, device and host object see it, and anything
 * malformed or oversized fails the call. The checks mirror the bridge's, so a plugin meets them
 * there first with a message naming the method; meeting them here means the bridge was bypassed.
 */
import type { SendResult, VspChannel, VspFailureReason, VspHost } from '../../core/vsp/types.js';
import { payloadTooLarge, sandboxBroken } from './errors.js';
import { MAX_PAYLOAD_BYTES, MAX_TEXT_UNITS } from './limits.js';
import { MAX_TRANSFER_RANGES } from './realm/bridge-source.js';
import { ANSWER_WINDOW, BLOCK_OPS, MAX_PAGE_RANGES, MEMORY_ACTIONS, Op } from './wire.js';
import type { SandboxCallSite } from './errors.js';
import type { SandboxPayload } from '../../core/vsp/failure-reasons.js';
import type { MemoryRefusal } from '../../core/memory/isolation-details.js';

/**
 * A touchRanges or writeRanges answer as the sandbox keeps it: the bytes, or why not — in English,
 * with the same refusal as an id when guest memory gave one (so a sandboxed plugin can pass it on
 * in `netvsp.rangesRefused`'s `said`, as a native one does).
 */
export type RangeAnswer =
  number | string | { readonly reason: string; readonly refusal: MemoryRefusal };

/** What replaying needs from the sandboxed handlers. */
export interface ReplayTarget {
  readonly pluginId: string;
  readonly host: VspHost;
  /** The channel with this id among the plugin's channels; throws when there is none. */
  channel(id: number): VspChannel;
  /**
   * touchRanges (`data` undefined) or writeRanges on the packet with sequence `seq` — only the
   * packet being handled; anything else is refused. Returns the bytes, or why not.
   */
  access(
    channel: VspChannel,
    seq: number,
    op: { bytes: number; write: boolean } | { offset: number; data: Uint8Array },
  ): RangeAnswer;
}

/** Answers of touchRanges/writeRanges calls, kept for a plugin that reads one late. */
export class Answers {
  private readonly ids = new Float64Array(ANSWER_WINDOW).fill(-1);
  private readonly values: RangeAnswer[] = new Array<RangeAnswer>(ANSWER_WINDOW).fill('');

  put(index: number, value: RangeAnswer): void {
    const slot = index % ANSWER_WINDOW;
    this.ids[slot] = index;
    this.values[slot] = value;
  }

  get(index: number): RangeAnswer {
    const slot = index % ANSWER_WINDOW;
    return this.ids[slot] === index
      ? this.values[slot]
      : 'that answer is no longer known (read it in the call that asked for it)';
  }
}

/** Reads and checks one effect list. */
class EffectReader {
  private pos = 1;
  private readonly u8: Uint8Array;
  private readonly u16: Uint16Array;

  constructor(
    private readonly w: Float64Array,
    private readonly pluginId: string,
    private readonly where: SandboxCallSite,
  ) {
    this.u8 = new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
    this.u16 = new Uint16Array(w.buffer, w.byteOffset, w.byteLength / 2);
  }

  /** How many records the list holds (its first word). */
  records(): number {
    const n = this.w.length > 0 ? this.w[0] : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 0) throw this.bad(`the record count is ${n}`);
    return n;
  }

  bad(what: string): Error {
    return sandboxBroken(this.pluginId, this.where, `its effect list is malformed: ${what}`);
  }

  word(what: string): number {
    if (this.pos >= this.w.length) throw this.bad(`${what} is missing`);
    return this.w[this.pos++];
  }

  count(what: string): number {
    const v = this.word(what);
    if (!Number.isSafeInteger(v) || v < 0) throw this.bad(`${what} is ${v}`);
    return v;
  }

  integer(what: string): number {
    const v = this.word(what);
    if (!Number.isSafeInteger(v)) throw this.bad(`${what} is ${v}`);
    return v;
  }

  finite(what: string): number {
    const v = this.word(what);
    if (!Number.isFinite(v)) throw this.bad(`${what} is ${v}`);
    return v;
  }

  /** `n` payload bytes packed into whole words (a view: the host copies what it keeps). */
  bytes(what: SandboxPayload): Uint8Array {
    const n = this.count(`${what} length`);
    if (n > MAX_PAYLOAD_BYTES) throw payloadTooLarge(this.pluginId, what, n);
    const words = Math.ceil(n / 8);
    if (this.pos + words > this.w.length) throw this.bad(`${what} runs past the end`);
    const view = this.u8.subarray(this.pos * 8, this.pos * 8 + n);
    this.pos += words;
    return view;
  }

  /** UTF-16 text packed four code units to a word. */
  text(what: string): string {
    const n = this.count(`${what} length`);
    if (n > MAX_TEXT_UNITS) throw this.bad(`${what} is ${n} characters long`);
    const words = Math.ceil(n / 4);
    if (this.pos + words > this.w.length) throw this.bad(`${what} runs past the end`);
    const units = this.u16.subarray(this.pos * 4, this.pos * 4 + n);
    this.pos += words;
    let s = '';
    for (const u of units) s += String.fromCharCode(u);
    return s;
  }

  choice<T>(values: readonly T[], what: string): T {
    const i = this.count(what);
    if (i >= values.length) throw this.bad(`${what} is ${i}`);
    return values[i];
  }

  end(): void {
    if (this.pos !== this.w.length) throw this.bad('it has trailing words');
  }
}

/**
 * Applies one effect list, in order, through the real host object and channels. Returns what the
 * last send, completion or transfer-page send answered (a send on another channel needs it).
 */
export function replayEffects(
  effects: Float64Array,
  target: ReplayTarget,
  answers: Answers,
  where: SandboxCallSite,
): SendResult | undefined {
  let last: SendResult | undefined;
  const r = new EffectReader(effects, target.pluginId, where);
  const host = target.host;
  const records = r.records();
  for (let i = 0; i < records; i++) {
    const op = r.word('an opcode');
    switch (op) {
      case Op.Complete: {
        const ch = target.channel(r.integer('channel'));
        const transId = r.integer('transId');
        last = ch.complete(transId, r.bytes('a completion payload'));
        break;
      }
      case Op.Send: {
        const ch = target.channel(r.integer('channel'));
        const transId = r.integer('transId');
        const completionRequested = r.word('completionRequested') === 1;
        last = ch.send(r.bytes('a send payload'), { transId, completionRequested });
        break;
      }
      case Op.TransferPages: {
        const ch = target.channel(r.integer('channel'));
        const pageSetId = r.count('pageSetId');
        const transId = r.integer('transId');
        const n = r.count('the range count');
        if (n > MAX_TRANSFER_RANGES) throw r.bad(`${n} transfer ranges`);
        const ranges: { byteOffset: number; byteCount: number }[] = [];
        for (let k = 0; k < n; k++)
          ranges.push({ byteOffset: r.count('byteOffset'), byteCount: r.count('byteCount') });
        last = ch.sendTransferPages(pageSetId, ranges, r.bytes('a transfer-page payload'), transId);
        break;
      }
      case Op.Fail: {
        const ch = target.channel(r.integer('channel'));
        ch.fail(failureReason(r.text('the failure reason')));
        break;
      }
      case Op.Charge:
        host.cpu.charge(r.finite('ns'));
        break;
      case Op.Timer: {
        const ch = target.channel(r.integer('channel'));
        const delayNs = r.finite('delayNs');
        host.setTimer(ch, delayNs, r.finite('tag'));
        break;
      }
      case Op.Pressure: {
        const ch = target.channel(r.integer('channel'));
        const pressurePercent = r.finite('pressurePercent');
        const committedPages = r.count('pages');
        const available = r.integer('availablePages');
        host.reportMemoryPressure(
          ch,
          available < 0
            ? { pressurePercent, committedPages }
            : { pressurePercent, committedPages, availablePages: available },
        );
        break;
      }
      case Op.MemoryChange: {
        const ch = target.channel(r.integer('channel'));
        const action = r.choice(MEMORY_ACTIONS, 'action');
        const pages = r.count('pages');
        const tag = r.finite('tag');
        const k = r.integer('the range count');
        if (k > MAX_PAGE_RANGES) throw r.bad(`${k} page ranges`);
        const ranges: { startPage: number; pageCount: number }[] = [];
        for (let i = 0; i < k; i++)
          ranges.push({ startPage: r.count('startPage'), pageCount: r.count('pageCount') });
        host.reportMemoryChange(
          ch,
          k < 0 ? { action, pages, tag } : { action, pages, tag, ranges },
        );
        break;
      }
      case Op.Heartbeat: {
        const ch = target.channel(r.integer('channel'));
        host.reportHeartbeat(ch, r.finite('sequence'));
        break;
      }
      case Op.Log:
        host.log(r.text('the log line'));
        break;
      case Op.Submit: {
        const ch = target.channel(r.integer('channel'));
        const op = r.choice(BLOCK_OPS, 'op');
        const offsetBytes = r.count('offsetBytes');
        const bytes = r.count('bytes');
        const tag = r.finite('tag');
        const device = host.device;
        if (device.kind !== 'block') throw r.bad('device.submit on a device that is not a disk');
        device.submit(ch, { op, offsetBytes, bytes, tag });
        break;
      }
      case Op.Transmit: {
        const ch = target.channel(r.integer('channel'));
        const bytes = r.count('bytes');
        const tag = r.finite('tag');
        const device = host.device;
        if (device.kind !== 'network') throw r.bad('device.transmit on a device that is not a NIC');
        device.transmit(ch, bytes, tag);
        break;
      }
      case Op.Touch: {
        const ch = target.channel(r.integer('channel'));
        const seq = r.integer('packet');
        const bytes = r.count('bytes');
        const write = r.word('write') === 1;
        answers.put(r.count('answer index'), target.access(ch, seq, { bytes, write }));
        break;
      }
      case Op.WriteRanges: {
        const ch = target.channel(r.integer('channel'));
        const seq = r.integer('packet');
        const offset = r.count('offset');
        const index = r.count('answer index');
        answers.put(index, target.access(ch, seq, { offset, data: r.bytes('writeRanges data') }));
        break;
      }
      default:
        throw r.bad(`unknown opcode ${op}`);
    }
  }
  r.end();
  return last;
}

/**
 * A failure reason as the bridge sent it: free text, or a structured `{ id, args }` as JSON after
 * a NUL — parsed, not trusted: the channel checks it (core/vsp/failure-reasons.ts), and JSON
 * that does not parse is passed on as nothing, which the channel refuses as the plugin's misuse.
 */
function failureReason(text: string): string | VspFailureReason {
  if (text.charCodeAt(0) !== 0) return text;
  try {
    return JSON.parse(text.slice(1)) as VspFailureReason;
  } catch {
    return null as unknown as VspFailureReason;
  }
}
