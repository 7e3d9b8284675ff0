/**
 * hv_balloon: the guest's Dynamic Memory driver (a VSC). It negotiates the protocol version
 * (2.0, then 1.0, then 0.3 as the last attempt), reports its capabilities (balloon, hot-add in
 * 128 MiB-aligned chunks), then posts a status report every second from its kernel thread:
 * available and committed pages, where committed counts the workload's working set, the pages
 * it holds for the host, hot-added pages not online and, on Linux, a floor below which it must
 * not be ballooned. The host answers pressure with
 *
 * - DM_BALLOON_REQUEST: the guest takes pages from its own allocator — never below its floor or
 *   into its working set — and lists them in one or more DM_BALLOON_RESPONSEs (more_pages = 1
 *   until the last);
 * - DM_UNBALLOON_REQUEST: the guest frees the listed pages back to its allocator and, after the
 *   last request (more_pages = 0), sends DM_UNBALLOON_RESPONSE;
 * - DM_MEM_HOT_ADD_REQUEST: the guest adds the region (installed memory grows and never shrinks,
 *   rule 34), onlines the page range and answers DM_MEM_HOT_ADD_RESPONSE with the pages onlined.
 *
 * The driver changes nothing in the partition's memory itself: the host unmaps, backs and grows
 * when the responses reach it. Host messages it cannot decode are ignored.
 *
 * L: drivers/hv/hv_balloon.c. HYPERV.md rules 33–34.
 */
import type { EventType, Ns, SimEngine } from '../../engine/index.js';
import { CostMeter, WorkClass } from '../../host/cpu.js';
import type { HostCpu } from '../../host/cpu.js';
import {
  ExtentSet,
  guestStatusReport,
  HOT_ADD_CHUNK_PAGES,
  linuxBalloonFloorPages,
  mibToPages,
} from '../../memory/index.js';
import type { PartitionMemory } from '../../memory/index.js';
import {
  BALLOON_VERSION_PREFERENCE,
  DM_STATUS_REPORT_INTERVAL_NS,
  decodeDmMessage,
  encodeDmMessage,
  hotAddAlignmentFor,
  LINUX_HOT_ADD_CHUNK_BYTES,
} from '../../protocols/index.js';
import type { DmMessage, DmPageRange } from '../../protocols/index.js';
import type { VpId } from '../../scheduler/index.js';
import type { IncomingPacket } from '../../vmbus/ring/index.js';
import { InbandOutbox } from '../integration-services/inband-outbox.js';
import type { ChannelDriver, GuestChannel } from '../vmbus/guest-channel.js';
import {
  BALLOON_ALLOC_UNIT_PAGES,
  BALLOON_RESPONSE_MAX_RANGES,
  chooseBalloonPages,
  removeOverlap,
  toAllocationUnits,
} from './balloon-pages.js';
import { narrate } from '../../simulation/narration-messages.js';
import type { NarrationMessage } from '../../simulation/narration-messages.js';
import type { Reason } from '../../simulation/narration-reasons.js';

// L: hv_balloon.c — dm_ring_size = VMBUS_RING_SIZE(16 * 1024): 16 KiB of data plus the header page.
export const BALLOON_RING_BYTES = 20 * 1024;
// estimate: guest CPU to take one Dynamic Memory message in the channel callback.
export const BALLOON_MESSAGE_NS: Ns = 3_000;
// estimate: one 2 MiB alloc_pages + split_page in balloon_up.
export const BALLOON_ALLOC_NS_PER_UNIT: Ns = 2_000;
// estimate: free_balloon_pages frees page by page (__free_page), ~20 ns each.
export const BALLOON_FREE_NS_PER_PAGE: Ns = 20;
// estimate: add_memory + creating the memory block for one 128 MiB hot-add chunk.
export const HOT_ADD_NS_PER_CHUNK: Ns = 1_000_000;
// estimate: hv_online_page per page brought online.
export const HOT_ADD_ONLINE_NS_PER_PAGE: Ns = 40;
// estimate: post_status — si_mem_available and vm_memory_committed.
export const STATUS_REPORT_NS: Ns = 5_000;
// estimate: Linux waits 45 s (pressure_report_delay) before its first report; like the boot
// (GUEST_BOOT_NS), the model compresses the wait to one report interval so short levels see
// Dynamic Memory act. Windows guests report from the start.
export const FIRST_STATUS_REPORT_DELAY_NS: Ns = DM_STATUS_REPORT_INTERVAL_NS;

export type BalloonPhase = 'version' | 'capabilities' | 'ready' | 'failed' | 'dead';

/** What the driver needs from its guest. */
export interface BalloonGuest {
  readonly engine: SimEngine;
  readonly cpu: HostCpu;
  /** The VP the driver's kernel thread (dm_thread_func) runs on. */
  readonly threadVp: VpId;
  /** Unique name for the driver's events (the VM name). */
  readonly name: string;
  readonly family: 'windows' | 'linux';
  /** The guest's own view of its memory: installed, backed, allocated. */
  readonly memory: () => PartitionMemory | undefined;
  /** What the guest's workload commits now, MiB (its working set). */
  readonly committedMiB: () => number;
  readonly log: (message: NarrationMessage) => void;
}

export class HvBalloon implements ChannelDriver {
  phase: BalloonPhase = 'version';
  /** The protocol version agreed with the host (0 before). */
  version = 0;
  /** Pages the driver holds for the host (its balloon). */
  readonly held = new ExtentSet();
  /** Status reports posted. */
  statusReports = 0;
  /** Pages hot-added as new installed memory, and pages brought online, since boot. */
  pagesAdded = 0;
  pagesOnlined = 0;
  /** Host messages that could not be decoded or made no sense (ignored). */
  ignored = 0;
  private versionIndex = 0;
  private transactionId = 0;
  private channel: GuestChannel | null = null;
  private readonly outbox = new InbandOutbox();
  private readonly scratch = new Uint8Array(4096);
  private readonly threadMeter = new CostMeter();
  /** The host message decided on in `onPacket`, acted on in `afterPacket`. */
  private received: DmMessage | null = null;
  private ticking = false;
  private postPending = false;
  private readonly tickEvent: EventType<null>;
  private readonly postEvent: EventType<null>;

  constructor(private readonly guest: BalloonGuest) {
    this.tickEvent = guest.engine.define<null>(`balloon:${guest.name}:status-timer`, () => {
      this.onTick();
    });
    this.postEvent = guest.engine.define<null>(`balloon:${guest.name}:post-status`, () => {
      this.postStatus();
    });
  }

  get ready(): boolean {
    return this.phase === 'ready';
  }

  get dead(): boolean {
    return this.phase === 'dead' || this.phase === 'failed';
  }

  /** The channel is open: start the handshake (L: balloon_probe). */
  start(channel: GuestChannel, meter: CostMeter): void {
    this.channel = channel;
    this.sendVersionRequest(meter);
  }

  // ── ChannelDriver ───────────────────────────────────────────────────────────────────────────

  onPacket(_channel: GuestChannel, packet: IncomingPacket, meter: CostMeter): void {
    meter.add(BALLOON_MESSAGE_NS);
    const decoded = decodeDmMessage(packet.data, packet.payloadOffset, packet.payloadLength);
    if (decoded.ok) this.received = decoded.value;
    else this.ignored++;
  }

  afterPacket(channel: GuestChannel, meter: CostMeter): void {
    const m = this.received;
    this.received = null;
    if (m === null || this.dead) return;
    switch (m.kind) {
      case 'versionResponse':
        this.onVersionResponse(m.isAccepted, meter);
        return;
      case 'capabilitiesResponse':
        this.onCapabilitiesResponse(m.isAccepted);
        return;
      case 'balloonRequest':
        if (this.phase === 'ready') this.balloonUp(channel, m.numPages, meter);
        return;
      case 'unballoonRequest':
        if (this.phase === 'ready') this.balloonDown(m.ranges, m.morePages, meter);
        return;
      case 'hotAddRequest':
        if (this.phase === 'ready') this.hotAdd(m.range, m.region, meter);
        return;
      case 'infoMessage':
        return;
      default:
        this.ignored++; // a message only a guest sends
        return;
    }
  }

  onWritable(channel: GuestChannel, meter: CostMeter): void {
    this.outbox.flush(channel, meter);
  }

  onDead(_channel: GuestChannel, reason: Reason): void {
    this.phase = 'dead';
    this.outbox.clear();
    this.guest.log(narrate('balloon.stopped', { reason }));
  }

  // ── Handshake (L: balloon_probe, version_resp, cap_resp) ────────────────────────────────────

  private sendVersionRequest(meter: CostMeter): void {
    const version = BALLOON_VERSION_PREFERENCE[this.versionIndex];
    this.send(
      {
        kind: 'versionRequest',
        transactionId: this.nextTransactionId(),
        version,
        isLastAttempt: this.versionIndex === BALLOON_VERSION_PREFERENCE.length - 1,
      },
      meter,
    );
  }

  private onVersionResponse(accepted: boolean, meter: CostMeter): void {
    if (this.phase !== 'version') return;
    if (!accepted) {
      this.versionIndex++;
      if (this.versionIndex >= BALLOON_VERSION_PREFERENCE.length) {
        this.fail('no Dynamic Memory protocol version in common with the host');
        return;
      }
      this.sendVersionRequest(meter);
      return;
    }
    this.version = BALLOON_VERSION_PREFERENCE[this.versionIndex];
    this.phase = 'capabilities';
    this.send(
      {
        kind: 'capabilitiesReport',
        transactionId: this.nextTransactionId(),
        balloon: true,
        hotAdd: true,
        // L: "Specify 128MB alignment" — ilog2(128 MiB / 1 MiB) = 7.
        hotAddAlignment: hotAddAlignmentFor(LINUX_HOT_ADD_CHUNK_BYTES),
        // L: "Currently the host does not use these values": 0 and -1 as the Windows driver does;
        // -1 does not fit the codec's safe integers, so the model sends the largest safe one.
        minPageCount: 0,
        maxPageNumber: Number.MAX_SAFE_INTEGER,
      },
      meter,
    );
  }

  private onCapabilitiesResponse(accepted: boolean): void {
    if (this.phase !== 'capabilities') return;
    if (!accepted) {
      this.fail('the host did not accept the balloon driver’s capabilities');
      return;
    }
    this.phase = 'ready';
    this.guest.log(
      narrate('balloon.ready', { major: this.version >>> 16, minor: this.version & 0xffff }),
    );
    if (!this.ticking) {
      this.ticking = true;
      this.guest.engine.after(FIRST_STATUS_REPORT_DELAY_NS, this.tickEvent, null);
    }
  }

  private fail(reason: string): void {
    this.phase = 'failed';
    this.guest.log(narrate('balloon.failed', { reason }));
  }

  // ── Status reports, once a second (L: dm_thread_func, post_status) ──────────────────────────

  private onTick(): void {
    if (this.phase !== 'ready') {
      this.ticking = false;
      return;
    }
    this.guest.engine.after(DM_STATUS_REPORT_INTERVAL_NS, this.tickEvent, null);
    // The kernel thread posts when its VP runs; a starved guest does not pile reports up.
    if (this.postPending) return;
    this.postPending = true;
    this.guest.cpu.run(
      this.guest.threadVp,
      STATUS_REPORT_NS,
      WorkClass.Thread,
      this.postEvent,
      null,
    );
  }

  private postStatus(): void {
    this.postPending = false;
    const memory = this.guest.memory();
    const channel = this.channel;
    if (this.phase !== 'ready' || memory === undefined || channel === null) return;
    const committedPages = mibToPages(this.guest.committedMiB());
    const report = guestStatusReport({
      family: this.guest.family,
      committedPages,
      availablePages: this.availablePages(memory, committedPages),
      balloonedPages: this.held.size,
      unbackedPages: Math.max(0, this.pagesAdded - this.pagesOnlined),
      totalRamPages: memory.visiblePages,
    });
    const meter = this.threadMeter;
    const sent = this.send(
      {
        kind: 'statusReport',
        transactionId: this.nextTransactionId(),
        numAvailable: report.numAvail,
        numCommitted: report.numCommitted,
        pageFileSize: 0,
        zeroFree: 0,
        pageFileWrites: 0,
        ioDiff: 0,
      },
      meter,
    );
    if (sent) this.statusReports++;
    this.guest.cpu.charge(this.guest.threadVp, meter.take(), WorkClass.Thread);
  }

  // ── Ballooning (L: balloon_up, balloon_down) ────────────────────────────────────────────────

  /** Gives up to `requested` pages: never below the floor, never into the working set. */
  private balloonUp(channel: GuestChannel, requested: number, meter: CostMeter): void {
    const memory = this.guest.memory();
    let pages = requested;
    if (memory !== undefined) {
      const available = this.availablePages(memory, mibToPages(this.guest.committedMiB()));
      const floor = this.guest.family === 'linux' ? linuxBalloonFloorPages(memory.visiblePages) : 0;
      if (available < pages || available - pages < floor) {
        // L: "Balloon request will be partially fulfilled" — keep the 2 MiB granularity.
        pages = available > floor ? available - floor : 0;
        pages -= pages % BALLOON_ALLOC_UNIT_PAGES;
      }
    } else pages = 0;
    const given = memory === undefined ? [] : chooseBalloonPages(memory, this.held, pages);
    for (const e of given) this.held.add(e.start, e.count);
    const ranges = toAllocationUnits(given);
    meter.add(ranges.length * BALLOON_ALLOC_NS_PER_UNIT);
    let next = 0;
    do {
      const part = ranges.slice(next, next + BALLOON_RESPONSE_MAX_RANGES);
      next += part.length;
      this.send(
        {
          kind: 'balloonResponse',
          transactionId: this.nextTransactionId(),
          morePages: next < ranges.length,
          ranges: part,
        },
        meter,
      );
    } while (next < ranges.length && channel.state === 'open');
  }

  /** Takes back the listed pages it holds; answers after the host's last request. */
  private balloonDown(ranges: readonly DmPageRange[], morePages: boolean, meter: CostMeter): void {
    let freed = 0;
    for (const r of ranges) freed += removeOverlap(this.held, r.startPage, r.pageCount);
    meter.add(freed * BALLOON_FREE_NS_PER_PAGE);
    if (morePages) return;
    this.send({ kind: 'unballoonResponse', transactionId: this.nextTransactionId() }, meter);
  }

  /**
   * Memory the guest could give up (L: si_mem_available): what it has online, less its working
   * set and the pages its balloon already holds (whether or not the host has unmapped them yet).
   */
  private availablePages(memory: PartitionMemory, committedPages: number): number {
    const online = memory.visiblePages - Math.max(0, this.pagesAdded - this.pagesOnlined);
    return Math.max(0, online - committedPages - this.held.size);
  }

  // ── Hot-add (L: hot_add_req, process_hot_add) ───────────────────────────────────────────────

  /**
   * Adds `region` at the top of installed memory (when the host names one) and onlines `range`.
   * A request that does not fit what the guest has is answered with 0 pages and result 0 (a
   * transient failure the host may retry).
   */
  private hotAdd(range: DmPageRange, region: DmPageRange | undefined, meter: CostMeter): void {
    const memory = this.guest.memory();
    const regionPages = region?.pageCount ?? 0;
    const installed = memory?.visiblePages ?? 0;
    const notOnline = Math.max(0, this.pagesAdded - this.pagesOnlined);
    const fits =
      memory !== undefined &&
      (region === undefined || region.startPage === installed) &&
      range.pageCount > 0 &&
      range.pageCount <= notOnline + regionPages &&
      range.startPage + range.pageCount <= installed + regionPages;
    const pageCount = fits ? range.pageCount : 0;
    if (fits) {
      this.pagesAdded += regionPages;
      this.pagesOnlined += pageCount;
      meter.add(
        Math.ceil(regionPages / HOT_ADD_CHUNK_PAGES) * HOT_ADD_NS_PER_CHUNK +
          pageCount * HOT_ADD_ONLINE_NS_PER_PAGE,
      );
    }
    this.send(
      {
        kind: 'hotAddResponse',
        transactionId: this.nextTransactionId(),
        pageCount,
        result: pageCount > 0 ? 1 : 0,
      },
      meter,
    );
  }

  // ── Sending ─────────────────────────────────────────────────────────────────────────────────

  /** Sends (or queues while the ring is full); false when there is no open channel. */
  private send(message: DmMessage, meter: CostMeter): boolean {
    const channel = this.channel;
    if (channel === null) return false;
    const length = encodeDmMessage(message, this.scratch, 0);
    // L: the driver sends every message in-band with requestid 0.
    return this.outbox.send(channel, this.scratch, length, 0, meter);
  }

  /** L: atomic_inc_return(&trans_id). */
  private nextTransactionId(): number {
    this.transactionId = (this.transactionId + 1) >>> 0;
    return this.transactionId;
  }
}
