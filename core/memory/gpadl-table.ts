/**
 * The host's table of GPADLs. A guest grants a list of its own pages to a channel
 * (GPADL_HEADER + GPADL_BODY → GPADL_CREATED, HYPERV.md rule 12); the host copies the list,
 * checks it, pins the pages (they cannot be ballooned or freed while shared) and counts them
 * against the host-wide cap on memory shared through GPADLs (rule 14). Teardown releases all of
 * it. VSPs reach GPADLs only through a {@link VspMemoryPort} bound to their channel.
 */
import { detail } from './isolation-details.js';
import { inject, injectable } from 'inversify';
import type { HostOs } from '../model/scenario.js';
import { GpadlRecord } from './gpadl.js';
import type { IsolationFaultLog } from './isolation-fault-log.js';
import { type FaultSite } from './isolation-fault-log.js';
import type { MemoryManager } from './memory-manager.js';
import { sortedPageRuns } from './partition-memory.js';
import { MEMORY_TOKENS } from './tokens.js';
import { VspMemoryPort } from './vsp-memory-port.js';
import { PAGE_SIZE } from './units.js';

/**
 * Host-wide cap on guest memory shared through GPADLs, MiB, by host OS (HYPERV.md rule 14:
 * ~1280 MB on WS2019 and later, ~384 MB before).
 */
export const GPADL_CAP_MIB: Readonly<Record<HostOs, number>> = {
  ws2016: 384,
  ws2019: 1280,
  ws2022: 1280,
};

/** The GPADL cap of a host OS, bytes. */
export function gpadlCapBytes(os: HostOs): number {
  return GPADL_CAP_MIB[os] * 1024 * 1024;
}

/** Largest page number a GPADL entry can carry (40-bit PFNs, L: hv_balloon.c / hyperv.h). */
const MAX_PFN = 2 ** 40 - 1;

/** Why a GPADL was refused. */
export type GpadlRejectionKind =
  | 'unknown-partition'
  | 'empty-page-list'
  | 'malformed-pfn'
  | 'pfn-outside-guest'
  | 'malformed-gpadl-id'
  | 'duplicate-gpadl-id'
  | 'gpadl-cap-exceeded';

/** A refused GPADL (the VMBus server answers the guest with a failure status). */
export interface GpadlRejection {
  readonly ok: false;
  readonly kind: GpadlRejectionKind;
  readonly detail: string;
}

/** A created GPADL. */
export interface GpadlCreated {
  readonly ok: true;
  /** Host-wide unique handle. */
  readonly handle: number;
  readonly byteLength: number;
}

/** Options of {@link GpadlTable.create}. */
export interface GpadlCreateOptions {
  /** The id the guest chose in GPADL_HEADER (unique per partition while live). */
  readonly guestId?: number;
  /** Who asks, for the fault log; default `vmbus`. */
  readonly actor?: string;
}

/** What one GPADL holds (for metrics, reports and the VMBus server). */
export interface GpadlInfo {
  readonly handle: number;
  readonly partition: number;
  readonly channel: number;
  readonly guestId: number | undefined;
  readonly pages: number;
  readonly byteLength: number;
  readonly contiguous: boolean;
}

/** Every live GPADL of the host, the cap, and the ports VSPs use. */
@injectable()
export class GpadlTable {
  /** The cap on bytes shared through GPADLs, for this host's OS (rule 14). */
  readonly capBytes: number;
  private readonly gpadls = new Map<number, GpadlRecord>();
  private readonly byGuestId = new Map<number, number>();
  private nextHandle = 1;
  private inUse = 0;

  constructor(
    @inject(MEMORY_TOKENS.memoryManager) private readonly memory: MemoryManager,
    @inject(MEMORY_TOKENS.isolationFaultLog) readonly faults: IsolationFaultLog,
  ) {
    this.capBytes = gpadlCapBytes(memory.hostOs);
    memory.onPartitionDestroyed((partition) => {
      this.tearDownPartition(partition);
    });
  }

  /** Bytes shared through live GPADLs, host-wide. */
  get bytesInUse(): number {
    return this.inUse;
  }

  /** Live GPADLs. */
  get count(): number {
    return this.gpadls.size;
  }

  /**
   * A guest grants `pfns` (pages of its own GPA space) to `channel`. The list is copied first
   * and checked on the copy (rule 36). Duplicate or repeated pages are accepted, as openvmm's
   * gparange parser and Linux do: each page is still the guest's own, and the cap counts every
   * entry. A page outside the guest is also recorded as an isolation fault.
   *
   * @example
   * ```ts
   * const ring = memory.allocate(1, 66);           // 2 × (header + 128 KiB)
   * if (!ring.ok) throw ring.error;
   * const pfns = Array.from({ length: 66 }, (_, i) => ring.value.pfn + i);
   * const g = gpadls.create(1, 7, pfns, { guestId: 0xe1e10 });
   * if (g.ok) gpadls.portFor({ partition: 1, channel: 7, actor: 'hyperkata.storvsp' }).view(g.handle);
   * ```
   */
  create(
    partition: number,
    channel: number,
    pfns: readonly number[],
    options: GpadlCreateOptions = {},
  ): GpadlCreated | GpadlRejection {
    const p = this.memory.partition(partition);
    if (p === undefined || !p.alive)
      return reject('unknown-partition', `no partition ${partition}`);
    const copy = pfns.slice();
    if (copy.length === 0) return reject('empty-page-list', 'a GPADL needs at least one page');
    const { guestId } = options;
    if (
      guestId !== undefined &&
      (!Number.isSafeInteger(guestId) || guestId < 0 || guestId > 0xffffffff)
    ) {
      return reject('malformed-gpadl-id', `GPADL id ${guestId}`);
    }
    const guestKey =
      options.guestId === undefined ? undefined : guestIdKey(partition, options.guestId);
    if (guestKey !== undefined && this.byGuestId.has(guestKey)) {
      return reject(
        'duplicate-gpadl-id',
        `partition ${partition} already has GPADL id ${options.guestId}`,
      );
    }
    for (const pfn of copy) {
      if (!Number.isSafeInteger(pfn) || pfn < 0 || pfn > MAX_PFN) {
        return reject('malformed-pfn', `page number ${pfn}`);
      }
    }
    const runs = sortedPageRuns(copy);
    for (const run of runs) {
      if (!p.isBacked(run.start, run.count)) {
        const site: FaultSite = { partition, channel, actor: options.actor ?? 'vmbus' };
        const fault = this.faults.record(
          site,
          'pfn-outside-guest',
          detail('gpadl.pagesOutsideGuest', { start: run.start, count: run.count }),
        );
        return reject('pfn-outside-guest', fault.detail);
      }
    }
    const bytes = copy.length * PAGE_SIZE;
    if (this.inUse + bytes > this.capBytes) {
      return reject(
        'gpadl-cap-exceeded',
        `${bytes} more bytes would pass the host's GPADL cap of ${this.capBytes} (${this.inUse} in use)`,
      );
    }
    const handle = this.nextHandle++;
    const record = new GpadlRecord(handle, p, channel, options.guestId, copy, p.pin(runs));
    this.gpadls.set(handle, record);
    if (guestKey !== undefined) this.byGuestId.set(guestKey, handle);
    this.inUse += bytes;
    return { ok: true, handle, byteLength: bytes };
  }

  /** Tears a GPADL down (GPADL_TEARDOWN → GPADL_TORNDOWN): unpins its pages, frees its share of the cap. */
  tearDown(handle: number): boolean {
    const record = this.gpadls.get(handle);
    if (record === undefined) return false;
    record.live = false;
    record.partition.unpin(record.pinToken);
    this.gpadls.delete(handle);
    if (record.guestId !== undefined)
      this.byGuestId.delete(guestIdKey(record.partition.id, record.guestId));
    this.inUse -= record.byteLength;
    return true;
  }

  /** Tears down every GPADL of a channel (close or rescind). Returns how many. */
  tearDownChannel(partition: number, channel: number): number {
    return this.tearDownWhere((r) => r.partition.id === partition && r.channel === channel);
  }

  /** Tears down every GPADL of a partition (it is being deleted). Returns how many. */
  tearDownPartition(partition: number): number {
    return this.tearDownWhere((r) => r.partition.id === partition);
  }

  private tearDownWhere(match: (r: GpadlRecord) => boolean): number {
    const handles: number[] = [];
    for (const [handle, record] of this.gpadls) if (match(record)) handles.push(handle);
    for (const handle of handles) this.tearDown(handle);
    return handles.length;
  }

  /** The handle of the live GPADL the guest named `guestId`, if any. */
  handleOf(partition: number, guestId: number): number | undefined {
    return this.byGuestId.get(guestIdKey(partition, guestId));
  }

  /** A live GPADL's description. */
  info(handle: number): GpadlInfo | undefined {
    const r = this.gpadls.get(handle);
    if (r === undefined) return undefined;
    return {
      handle,
      partition: r.partition.id,
      channel: r.channel,
      guestId: r.guestId,
      pages: r.pfns.length,
      byteLength: r.byteLength,
      contiguous: r.contiguous !== null,
    };
  }

  /** Live GPADLs, by handle. */
  list(): GpadlInfo[] {
    const out: GpadlInfo[] = [];
    for (const handle of this.gpadls.keys()) {
      const info = this.info(handle);
      if (info !== undefined) out.push(info);
    }
    return out;
  }

  /** The live record (for the port; not part of the public surface). */
  record(handle: number): GpadlRecord | undefined {
    return this.gpadls.get(handle);
  }

  /**
   * The memory port of one VSP on one channel: the only way that VSP touches guest memory.
   * Build it once when the channel opens; it allocates nothing per access.
   */
  portFor(site: FaultSite): VspMemoryPort {
    return new VspMemoryPort(this, this.memory, site);
  }
}

function reject(kind: GpadlRejectionKind, detail: string): GpadlRejection {
  return { ok: false, kind, detail };
}

/** Map key of (partition, guest GPADL id): ids are 32-bit. */
function guestIdKey(partition: number, guestId: number): number {
  return partition * 4294967296 + (guestId >>> 0);
}
