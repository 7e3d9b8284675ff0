/**
 * A VSP's only door into guest memory, bound to one partition, one channel and one actor (the
 * plugin id). Through it the VSP opens views of its channel's GPADLs and receives the grant of
 * each GPA-direct packet it handles. A handle of another channel or partition, a page outside
 * the guest, a malformed range: each is refused with a typed value and recorded in the
 * isolation fault log — never thrown (HYPERV.md rules 36–38).
 */
import { detail, memoryRefusalText } from './isolation-details.js';
import type { IsolationDetail, MemoryRefusal } from './isolation-details.js';
import type { GpadlTable } from './gpadl-table.js';
import { GpadlView } from './gpadl-view.js';
import type { FaultSite, IsolationFault } from './isolation-fault-log.js';
import type { MemoryManager } from './memory-manager.js';
import { checkGpaRanges, measureGpaRanges, PacketGrant, type GpaRange } from './packet-grant.js';
import type { Extent } from './extent-set.js';
import { appendPageRuns } from './partition-memory.js';

/** One VSP's access to guest memory on one channel. */
export class VspMemoryPort {
  readonly site: FaultSite;

  constructor(
    private readonly table: GpadlTable,
    private readonly memory: MemoryManager,
    site: FaultSite,
  ) {
    this.site = { partition: site.partition, channel: site.channel, actor: site.actor };
  }

  /**
   * A view of GPADL `handle`, which must be live and belong to this port's partition and channel.
   *
   * @example
   * ```ts
   * const port = gpadls.portFor({ partition: 1, channel: 7, actor: 'hyperkata.netvsp' });
   * const view = port.view(handle);
   * if (!view.ok) return; // refused and recorded: view.kind, view.detail
   * const header = copyOut(view, 0, 16); // copy, then validate (rule 36)
   * ```
   */
  view(handle: number): GpadlView | IsolationFault {
    const record = this.table.record(handle);
    const log = this.table.faults;
    if (record === undefined || !record.partition.alive) {
      return log.record(this.site, 'unknown-gpadl', detail('gpadl.unknown', { handle }));
    }
    if (record.partition.id !== this.site.partition) {
      return log.record(
        this.site,
        'gpadl-of-other-partition',
        detail('gpadl.otherPartition', { handle, partition: record.partition.id }),
      );
    }
    if (record.channel !== this.site.channel) {
      return log.record(
        this.site,
        'gpadl-of-other-channel',
        detail('gpadl.otherChannel', { handle, channel: record.channel }),
      );
    }
    return new GpadlView(record, this.site, log);
  }

  /** A view of the GPADL the guest named `guestId` (the id in OPENCHANNEL or an NVSP message). */
  viewByGuestId(guestId: number): GpadlView | IsolationFault {
    const handle = this.table.handleOf(this.site.partition, guestId);
    if (handle === undefined) {
      return this.table.faults.record(
        this.site,
        'unknown-gpadl',
        detail('gpadl.unknownGuestId', { guestId }),
      );
    }
    return this.view(handle);
  }

  /**
   * Grants access to the ranges of the GPA-direct packet being handled. The ranges are copied
   * and checked; the pages stay pinned until the grant is released at completion.
   *
   * @example
   * ```ts
   * const grant = port.grantPacket([{ byteOffset: 0, byteCount: 4096, pfns: [0x4001] }]);
   * if (grant.ok) {
   *   grant.write(0, sectorData);   // a read request: the host fills the guest's buffer
   *   grant.release();              // after sending the completion
   * }
   * ```
   */
  grantPacket(ranges: readonly GpaRange[]): PacketGrant | IsolationFault {
    const log = this.table.faults;
    const partition = this.memory.partition(this.site.partition);
    if (partition === undefined || !partition.alive) {
      return log.record(
        this.site,
        'pfn-outside-guest',
        detail('partition.noMemory', { partition: this.site.partition }),
      );
    }
    const checked = checkGpaRanges(partition, ranges);
    if ('kind' in checked) return log.record(this.site, checked.kind, checked.message);
    const runs: Extent[] = [];
    for (const r of checked.ranges) appendPageRuns(runs, r.pfns);
    const pin = partition.pin(runs);
    return new PacketGrant(partition, checked.ranges, checked.byteLength, pin, this.site, log);
  }

  /**
   * A bulk transfer of `bytes` through a GPA-direct packet's ranges (modelled as a check, not a
   * copy). Ranges that are malformed or point outside the guest are the guest's error: refused
   * (the VSP fails the request) but not an isolation fault. A transfer longer than the ranges
   * grant is the VSP trusting a guest-supplied length: refused AND recorded as an isolation fault.
   */
  checkTransfer(
    ranges: readonly GpaRange[],
    bytes: number,
  ): IsolationFault | TransferRefused | number {
    const log = this.table.faults;
    const partition = this.memory.partition(this.site.partition);
    if (partition === undefined || !partition.alive)
      return refused(detail('partition.noMemory', { partition: this.site.partition }), false);
    const byteLength = measureGpaRanges(partition, ranges);
    if (typeof byteLength !== 'number') return refused(byteLength.message, true);
    if (bytes > byteLength) {
      return log.record(
        this.site,
        'outside-packet-grant',
        detail('grant.transferTooLong', { bytes, granted: byteLength }),
      );
    }
    return byteLength;
  }
}

/**
 * A transfer refused without an isolation fault: the guest's own ranges are invalid, or its
 * partition has no memory. `detail` in English, `refusal` the same as an id.
 */
export interface TransferRefused {
  readonly ok: false;
  readonly detail: string;
  readonly refusal: MemoryRefusal;
}

function refused(d: IsolationDetail, invalidRanges: boolean): TransferRefused {
  const refusal = { detail: d, invalidRanges };
  return { ok: false, detail: memoryRefusalText(refusal), refusal };
}
