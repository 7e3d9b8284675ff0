/**
 * The host side of GPADL creation (rule 12): GPADL_HEADER and GPADL_BODY messages in, a complete
 * page list or a typed rejection out. Modelled on openvmm's server (O: vmbus_server channels.rs
 * handle_gpadl_header / handle_gpadl_body / Gpadl::append):
 * - the header opens a GPADL of range_buflen / 8 words; bodies append in arrival order (one
 *   guest's messages reach the host's port in order; the body's msgnumber is ignored — Linux
 *   leaves it 0 and openvmm calls it `rsvd`);
 * - the GPADL is complete when the words reach range_buflen; words past that in the completing
 *   message are ignored (some senders, e.g. UEFI, always send full 240-byte messages);
 * - a body for a GPADL id not in progress is refused without an answer (its channel is unknown);
 *   any other failure drops the GPADL and names the channel so the host can answer
 *   GPADL_CREATED with a failure status;
 * - stricter than openvmm: range_buflen must match the ranges exactly (no unused words).
 * Whether the pages belong to the guest, and the GPADL-id uniqueness among live GPADLs, are the
 * memory layer's checks (GpadlTable.create).
 */
import { VmbusControlError } from './errors.js';
import { parseGpaRanges, type GpaRange, type GpaRangeProblem } from './gpa-ranges.js';
import { GPADL_WORD_BYTES } from './gpadl-limits.js';
import { ChannelMessageType } from './message-types.js';
import type { GpadlBodyMessage, GpadlHeaderMessage } from './messages.js';

/** A GPADL whose page list arrived in full. */
export interface AssembledGpadl {
  readonly childRelid: number;
  readonly gpadl: number;
  readonly ranges: readonly GpaRange[];
  /** Every page of every range, in order (what GpadlTable.create takes). */
  readonly pfns: readonly number[];
}

/** Why the assembler refused a message. */
export type GpadlAssemblyRejectionReason =
  | GpaRangeProblem
  /** A GPADL_HEADER for an id already in progress (O: DuplicateGpadlId). */
  | 'duplicate-gpadl'
  /** A GPADL_BODY for an id not in progress — never opened, already complete or dropped (O: UnknownGpadlId). */
  | 'unknown-gpadl'
  /** More GPADLs in progress than the host keeps. */
  | 'too-many-in-progress';

/** A refused GPADL message. */
export interface GpadlAssemblyRejection {
  readonly status: 'rejected';
  readonly reason: GpadlAssemblyRejectionReason;
  readonly detail: string;
  readonly gpadl: number;
  /** The channel to answer GPADL_CREATED(failure) on; undefined when it is unknown (no answer). */
  readonly childRelid: number | undefined;
}

/** What one message did. */
export type GpadlAssemblyResult =
  | { readonly status: 'incomplete'; readonly childRelid: number; readonly gpadl: number }
  | { readonly status: 'complete'; readonly value: AssembledGpadl }
  | GpadlAssemblyRejection;

/** Options of {@link GpadlAssembler}. */
export interface GpadlAssemblerOptions {
  /**
   * GPADLs that may be in progress at once. estimate: openvmm sets no limit; bounded here so a
   * guest that opens headers without bodies cannot grow host memory without end (64 KiB each).
   */
  readonly maxInProgress?: number;
}

/** Default {@link GpadlAssemblerOptions.maxInProgress}. */
export const GPADL_ASSEMBLER_MAX_IN_PROGRESS = 256;

interface PendingGpadl {
  readonly childRelid: number;
  readonly gpadl: number;
  readonly rangeCount: number;
  readonly first: { readonly byteCount: number; readonly byteOffset: number };
  /** Range-buffer words after range[0]'s header that are still expected. */
  remaining: number;
  readonly words: number[];
}

/**
 * Collects one VMBus connection's GPADL messages on the host.
 *
 * @example
 * ```ts
 * const assembler = new GpadlAssembler();
 * for (const m of splitGpadl({ childRelid: 7, gpadl: 0xe1e10, pfns })) {
 *   const r = assembler.accept(m);
 *   if (r.status === 'complete') gpadls.create(partition, 7, r.value.pfns, { guestId: r.value.gpadl });
 *   if (r.status === 'rejected' && r.childRelid !== undefined) {
 *     // answer GPADL_CREATED { childRelid, gpadl, creationStatus: VMBUS_STATUS_UNSUCCESSFUL }
 *   }
 * }
 * ```
 */
export class GpadlAssembler {
  private readonly pending = new Map<number, PendingGpadl>();
  private readonly maxInProgress: number;

  constructor(options: GpadlAssemblerOptions = {}) {
    const max = options.maxInProgress ?? GPADL_ASSEMBLER_MAX_IN_PROGRESS;
    if (!Number.isInteger(max) || max < 1) {
      throw new VmbusControlError(`maxInProgress must be a positive integer, got ${max}`);
    }
    this.maxInProgress = max;
  }

  /** GPADLs whose header arrived but not all of their bodies. */
  get inProgress(): number {
    return this.pending.size;
  }

  /** Feeds one decoded GPADL_HEADER or GPADL_BODY. */
  accept(message: GpadlHeaderMessage | GpadlBodyMessage): GpadlAssemblyResult {
    return message.type === ChannelMessageType.GPADL_HEADER
      ? this.acceptHeader(message)
      : this.acceptBody(message);
  }

  /** Drops the in-progress GPADLs of a channel (closed, rescinded or released). Returns how many. */
  dropChannel(childRelid: number): number {
    let dropped = 0;
    for (const [gpadl, p] of this.pending) {
      if (p.childRelid === childRelid) {
        this.pending.delete(gpadl);
        dropped++;
      }
    }
    return dropped;
  }

  /** Forgets every in-progress GPADL (UNLOAD or a new INITIATE_CONTACT). */
  reset(): void {
    this.pending.clear();
  }

  private acceptHeader(m: GpadlHeaderMessage): GpadlAssemblyResult {
    if (this.pending.has(m.gpadl)) {
      return rejected(
        'duplicate-gpadl',
        `GPADL ${m.gpadl} is already being created`,
        m.gpadl,
        m.childRelid,
      );
    }
    if (this.pending.size >= this.maxInProgress) {
      return rejected(
        'too-many-in-progress',
        `${this.pending.size} GPADLs already in progress`,
        m.gpadl,
        m.childRelid,
      );
    }
    const totalWords = Math.floor(m.rangeBufLen / GPADL_WORD_BYTES);
    const expected = Math.max(0, totalWords - 1);
    const p: PendingGpadl = {
      childRelid: m.childRelid,
      gpadl: m.gpadl,
      rangeCount: m.rangeCount,
      first: { byteCount: m.byteCount, byteOffset: m.byteOffset },
      remaining: expected,
      words: [],
    };
    append(p, m.pfns);
    if (p.remaining > 0) {
      this.pending.set(m.gpadl, p);
      return { status: 'incomplete', childRelid: m.childRelid, gpadl: m.gpadl };
    }
    return finish(p);
  }

  private acceptBody(m: GpadlBodyMessage): GpadlAssemblyResult {
    const p = this.pending.get(m.gpadl);
    if (p === undefined) {
      return rejected('unknown-gpadl', `no GPADL ${m.gpadl} is being created`, m.gpadl, undefined);
    }
    append(p, m.pfns);
    if (p.remaining > 0) return { status: 'incomplete', childRelid: p.childRelid, gpadl: p.gpadl };
    this.pending.delete(m.gpadl);
    return finish(p);
  }
}

/** Copies as many words as the GPADL still expects (O: Gpadl::append clamps to capacity). */
function append(p: PendingGpadl, words: readonly number[]): void {
  const take = Math.min(words.length, p.remaining);
  for (let i = 0; i < take; i++) p.words.push(words[i]);
  p.remaining -= take;
}

function finish(p: PendingGpadl): GpadlAssemblyResult {
  const parsed = parseGpaRanges(p.rangeCount, p.first, p.words);
  if (!parsed.ok) return rejected(parsed.problem, parsed.detail, p.gpadl, p.childRelid);
  const pfns: number[] = [];
  for (const range of parsed.ranges) for (const pfn of range.pfns) pfns.push(pfn);
  return {
    status: 'complete',
    value: { childRelid: p.childRelid, gpadl: p.gpadl, ranges: parsed.ranges, pfns },
  };
}

function rejected(
  reason: GpadlAssemblyRejectionReason,
  detail: string,
  gpadl: number,
  childRelid: number | undefined,
): GpadlAssemblyRejection {
  return { status: 'rejected', reason, detail, gpadl, childRelid };
}
