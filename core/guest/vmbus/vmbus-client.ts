/**
 * The guest's VMBus driver (hv_vmbus / vmbus.sys), part of the integration components. It makes
 * contact with the host (INITIATE_CONTACT → VERSION_RESPONSE), asks for offers (REQUESTOFFERS →
 * OFFERCHANNEL… → ALLOFFERS_DELIVERED), hands each offer to the driver for its class GUID, and
 * opens channels: it allocates the ring buffers, describes them to the host in a GPADL
 * (GPADL_HEADER + GPADL_BODY… → GPADL_CREATED), then sends OPENCHANNEL with the target VP
 * (→ OPENCHANNEL_RESULT). A RESCIND_CHANNELOFFER kills the channel at any time (rule 13).
 * On the data path it test-and-clears the event flags of its VPs and runs the channels' callbacks.
 *
 * L: drivers/hv/connection.c, channel_mgmt.c, channel.c, vmbus_drv.c.
 */
import type { WaitClock } from '../../metrics/wait-clock.js';
import type { EventType, SimEngine } from '../../engine/index.js';
import type { CostMeter, HostCpu } from '../../host/cpu.js';
import type { SintHandler } from '../../host/interrupts.js';
import type { MemoryManager } from '../../memory/index.js';
import {
  ChannelMessageType,
  decodeChannelMessage,
  encodeChannelMessage,
  guestInitiateContact,
  guestSignalPlan,
  LINUX_VMBUS_VERSIONS,
  messageConnectionIdFor,
  splitGpadl,
  VMBUS_MESSAGE_SINT,
} from '../../vmbus/control/index.js';
import type { ChannelMessage, OfferChannelMessage } from '../../vmbus/control/index.js';
import type { MonitorPages, MonitoredChannel } from '../../vmbus/monitor.js';
import { HV_INSUFFICIENT_BUFFERS } from '../../vmbus/synic-io.js';
import type { SynicIo } from '../../vmbus/synic-io.js';
import {
  HV_PAGE_SIZE,
  VmbusRingMemory,
  VmbusRingReader,
  VmbusRingWriter,
} from '../../vmbus/ring/index.js';
import { GuestChannel } from './guest-channel.js';
import { TargetVpChooser } from './target-vp.js';
import type { ChannelDriver, GpadlCreatedSink, GuestTransport } from './guest-channel.js';
import { because } from '../../simulation/narration-reasons.js';
import type { Reason } from '../../simulation/narration-reasons.js';

// estimate: guest CPU to handle one VMBus control message.
export const GUEST_CONTROL_MESSAGE_NS = 3_000;
// estimate: a monitor-page bit is one locked memory write: no exit, no hypercall.
export const MONITOR_TRIGGER_NS = 50;
const POST_RETRY_NS = 50_000;
// L: channel.c — next_gpadl_handle starts at 0xE1E10.
const FIRST_GPADL_HANDLE = 0xe1e10;

/** What a guest driver says when it takes an offer. */
export interface Binding {
  readonly driver: ChannelDriver;
  /** Ring size per direction in bytes, header page included. */
  readonly ringBytes: number;
  /** Low-latency channels signal by hypercall even when a monitor page is allocated (rule 8). */
  readonly lowLatency: boolean;
  /** The channel is open: the driver starts its protocol. */
  opened(channel: GuestChannel, meter: CostMeter): void;
  /**
   * The channel will never open: the guest had no memory for its ring, the host refused the
   * ring's GPADL or the open, or rescinded the offer first. A driver that waits for a set of
   * channels to open counts this one as settled (L: netvsc_sc_open counts a subchannel whose
   * vmbus_open failed, so rndis_set_subchannel's wait ends).
   */
  notOpened?(meter: CostMeter): void;
}

/** The guest OS decides which driver takes an offer (by class and instance GUID). */
export interface OfferBinder {
  bind(offer: OfferChannelMessage): Binding | null;
  /** The host rescinded or killed a channel. */
  lost(offer: OfferChannelMessage, reason: Reason): void;
  /** All offers are delivered and every bound channel has been asked to open. */
  offersDone(): void;
}

/** A GPADL a driver asked for on one of its channels, by GPADL handle. */
interface DriverGpadl {
  readonly relid: number;
  readonly sink: GpadlCreatedSink;
}

interface Pending {
  readonly offer: OfferChannelMessage;
  readonly binding: Binding;
  readonly gpadl: number;
  readonly outboundPages: number;
  readonly bytes: Uint8Array;
  readonly targetVp: number;
  /** The ring GPADL's GPADL_HEADER went out and GPADL_CREATED has not come back yet. */
  gpadlPending: boolean;
  /** The openid of the OPENCHANNEL sent and not yet answered, or null when no open is pending. */
  openPending: number | null;
  channel: GuestChannel | null;
}

export interface VmbusClientDeps {
  readonly engine: SimEngine;
  readonly cpu: HostCpu;
  readonly io: SynicIo;
  readonly memory: MemoryManager;
  readonly monitor: MonitorPages;
  readonly partitionId: number;
  readonly vpCount: number;
  readonly binder: OfferBinder;
  readonly afterPacket: EventType<GuestChannel>;
  /** The VM's union of send waits (its metrics' `sendWait`), handed to each channel. */
  readonly sendWait?: WaitClock;
}

export class VmbusClient implements SintHandler {
  /** `unloading`: the guest shuts down and its UNLOAD waits for UNLOAD_RESPONSE; `off`: halted. */
  state: 'idle' | 'contacting' | 'connected' | 'unloading' | 'failed' | 'off' = 'idle';
  /** Called when UNLOAD_RESPONSE ends the guest's shutdown of VMBus. */
  private unloaded: (() => void) | null = null;
  /** Index into the versions the guest tries, newest first (L: vmbus_connect). */
  private versionIndex = 0;
  private messageConnection = 4;
  /** Bound offers by relid, until the guest releases the relid. */
  private readonly offers = new Map<number, Pending>();
  /** Open (and died, not yet released) channels by relid: where the relid's event flag goes. */
  private readonly channelsByRelid: (GuestChannel | undefined)[] = [];
  /** Channels whose relid was released: dead, kept for what they did (metrics). */
  private readonly released: GuestChannel[] = [];
  /** Relids offered by the host and not yet released by this guest (L: relid2channel). */
  private readonly offered = new Set<number>();
  /** GPADLs drivers asked for on open channels (NetVSC buffers), waiting for GPADL_CREATED. */
  private readonly driverGpadls = new Map<number, DriverGpadl>();
  private nextGpadl = FIRST_GPADL_HANDLE;
  private readonly targetVps: TargetVpChooser;
  private readonly incoming = new Uint8Array(240);
  private readonly outbox: Uint8Array[] = [];
  private retryScheduled = false;
  private readonly retry: EventType<null>;
  private readonly ownMeter: CostMeter;
  controlMessages = 0;
  /** The VMBus protocol version agreed with the host. */
  negotiated = 0;

  constructor(
    private readonly deps: VmbusClientDeps,
    meterFactory: () => CostMeter,
  ) {
    this.ownMeter = meterFactory();
    this.targetVps = new TargetVpChooser(deps.vpCount);
    this.retry = deps.engine.define<null>(`vmbus-client:${deps.partitionId}:retry`, () => {
      this.retryScheduled = false;
      this.flush(this.ownMeter);
      deps.cpu.charge(deps.cpu.vp(deps.partitionId, 0), this.ownMeter.take());
    });
  }

  /**
   * Every channel this guest opened: those holding a relid, by relid, then the dead ones whose
   * relid was released (the host may have given it to another channel since, rule 15).
   */
  channels(): GuestChannel[] {
    const holding = this.channelsByRelid.filter((c): c is GuestChannel => c !== undefined);
    return this.released.length === 0 ? holding : holding.concat(this.released);
  }

  /** Starts VMBus: INITIATE_CONTACT at the newest version the guest knows (rule 11). */
  connect(meter: CostMeter): void {
    this.state = 'contacting';
    const version = LINUX_VMBUS_VERSIONS[this.versionIndex];
    this.messageConnection = messageConnectionIdFor(version);
    this.send(
      guestInitiateContact({
        version,
        targetVcpu: 0,
        monitorPage1: 0x7000n,
        monitorPage2: 0x8000n,
      }),
      meter,
    );
  }

  /**
   * The guest shuts VMBus down (its shutdown, rules 12 and 15): each open channel is closed
   * (CLOSECHANNEL) and its ring GPADL torn down (GPADL_TEARDOWN), then UNLOAD ends the connection;
   * `done` runs when UNLOAD_RESPONSE comes back (L: vmbus_close for every device, then
   * vmbus_initiate_unload, which waits for the response). Not connected: `done` at once.
   */
  unload(meter: CostMeter, done: () => void): void {
    if (this.state !== 'connected') {
      done();
      return;
    }
    this.state = 'unloading';
    this.unloaded = done;
    for (const [relid, p] of this.offers) {
      const channel = p.channel;
      if (channel?.state !== 'open') continue;
      channel.close();
      this.send({ type: ChannelMessageType.CLOSECHANNEL, childRelid: relid }, meter);
      this.send(
        { type: ChannelMessageType.GPADL_TEARDOWN, childRelid: relid, gpadl: p.gpadl },
        meter,
      );
    }
    this.send({ type: ChannelMessageType.UNLOAD }, meter);
  }

  /** The partition is gone: nothing more is sent, every channel is closed where it stands. */
  halt(): void {
    this.state = 'off';
    this.unloaded = null;
    this.outbox.length = 0;
    if (this.retryScheduled) this.deps.engine.cancel(this.retry, null);
    this.retryScheduled = false;
    for (const channel of this.channelsByRelid) channel?.close();
  }

  onSint(partitionId: number, vpIndex: number, meter: CostMeter): void {
    const io = this.deps.io;
    if (vpIndex === 0) {
      for (let n = 0; n < 64; n++) {
        const m = io.takeMessage(partitionId, 0, VMBUS_MESSAGE_SINT, this.incoming, meter);
        if (m === null) break;
        meter.add(GUEST_CONTROL_MESSAGE_NS);
        this.controlMessages++;
        const decoded = decodeChannelMessage(this.incoming, 0, m.length, { from: 'host' });
        if (decoded.ok) this.onMessage(decoded.value, meter);
      }
    }
    const channels = this.channelsByRelid;
    for (
      let relid = io.takeEventFlag(partitionId, vpIndex, VMBUS_MESSAGE_SINT, 0);
      relid >= 0;
      relid = io.takeEventFlag(partitionId, vpIndex, VMBUS_MESSAGE_SINT, relid + 1)
    )
      channels[relid]?.onInterrupt(meter);
  }

  private onMessage(m: ChannelMessage, meter: CostMeter): void {
    switch (m.type) {
      case ChannelMessageType.VERSION_RESPONSE:
        // L: channel_mgmt.c vmbus_onversion_response — the answer completes the INITIATE_CONTACT
        // waiting for it; with none pending, nobody takes it (rule 11).
        if (this.state !== 'contacting') return;
        if (!m.versionSupported) {
          // The host is older: try the next version down (rule 11).
          this.versionIndex++;
          if (this.versionIndex >= LINUX_VMBUS_VERSIONS.length) {
            this.state = 'failed';
            return;
          }
          this.connect(meter);
          return;
        }
        this.negotiated = LINUX_VMBUS_VERSIONS[this.versionIndex];
        this.state = 'connected';
        this.send({ type: ChannelMessageType.REQUESTOFFERS }, meter);
        return;
      case ChannelMessageType.OFFERCHANNEL:
        this.onOffer(m, meter);
        return;
      case ChannelMessageType.ALLOFFERS_DELIVERED:
        this.deps.binder.offersDone();
        return;
      case ChannelMessageType.GPADL_CREATED: {
        // Rule 12. L: channel_mgmt.c vmbus_ongpadl_created — the answer completes the
        // GPADL_HEADER still waiting with the same child_relid and gpadl; one that matches none
        // (a repeat, another channel's, one nobody asked for) is dropped: a refusal must not
        // cost an open channel its device, a success must not open it a second time.
        const driver = this.driverGpadls.get(m.gpadl);
        if (driver !== undefined) {
          if (driver.relid !== m.childRelid) return;
          this.driverGpadls.delete(m.gpadl);
          driver.sink.gpadlCreated(m.gpadl, m.creationStatus === 0, meter);
          return;
        }
        const p = this.offers.get(m.childRelid);
        if (p?.gpadl !== m.gpadl || !p.gpadlPending) return;
        p.gpadlPending = false;
        if (m.creationStatus !== 0) {
          this.deps.binder.lost(
            p.offer,
            `GPADL refused by the host (status 0x${m.creationStatus.toString(16)})`,
          );
          p.binding.notOpened?.(meter);
          return;
        }
        // L: vmbus_open — Linux uses the relid as the openid.
        p.openPending = m.childRelid;
        this.send(
          {
            type: ChannelMessageType.OPENCHANNEL,
            childRelid: m.childRelid,
            openId: m.childRelid,
            ringBufferGpadlHandle: p.gpadl,
            targetVp: p.targetVp,
            downstreamRingBufferPageOffset: p.outboundPages,
            userData: new Uint8Array(120),
          },
          meter,
        );
        return;
      }
      case ChannelMessageType.OPENCHANNEL_RESULT: {
        // Rule 12. L: channel_mgmt.c vmbus_onopen_result — the result completes the pending
        // OPENCHANNEL with the same child_relid and openid; one nobody waits for is dropped
        // (a failure must not cost an open channel its device, a success must not open it twice).
        const p = this.offers.get(m.childRelid);
        if (p?.openPending !== m.openId) return;
        p.openPending = null;
        if (m.status !== 0) {
          this.deps.binder.lost(
            p.offer,
            `the host refused to open the channel (status 0x${m.status.toString(16)})`,
          );
          p.binding.notOpened?.(meter);
          return;
        }
        this.openChannel(p, meter);
        return;
      }
      case ChannelMessageType.RESCIND_CHANNELOFFER:
        this.onRescind(m.childRelid, meter);
        return;
      case ChannelMessageType.UNLOAD_RESPONSE: {
        // L: vmbus_unload_response — completes the UNLOAD the guest is waiting on; else dropped.
        if (this.state !== 'unloading') return;
        this.state = 'idle';
        const done = this.unloaded;
        this.unloaded = null;
        done?.();
        return;
      }
      default:
        return;
    }
  }

  /**
   * Rule 13. L: channel_mgmt.c vmbus_onoffer_rescind — a rescind of a relid the guest does not
   * hold (relid2channel finds nothing) is ignored. Otherwise the channel dies, whatever waited on
   * it gives up (vmbus_rescind_cleanup: its open result or GPADL_CREATED is moot), and the guest
   * forgets the relid before it releases it (hv_process_channel_removal unmaps it, then sends
   * RELID_RELEASED): the host may offer it again for another channel (rule 15).
   */
  private onRescind(relid: number, meter: CostMeter): void {
    if (!this.offered.delete(relid)) return;
    const p = this.offers.get(relid);
    const channel = this.channelsByRelid[relid];
    channel?.die(because('guest.channelRescinded', {}));
    if (p !== undefined) this.deps.binder.lost(p.offer, because('guest.offerRescinded', {}));
    // A rescind that comes before the open answer (GPADL_CREATED or OPENCHANNEL_RESULT) ends it.
    if (p !== undefined && p.channel === null && (p.gpadlPending || p.openPending !== null))
      p.binding.notOpened?.(meter);
    this.offers.delete(relid);
    if (channel !== undefined) {
      this.channelsByRelid[relid] = undefined;
      this.released.push(channel);
    }
    for (const [gpadl, waiting] of this.driverGpadls)
      if (waiting.relid === relid) this.driverGpadls.delete(gpadl);
    this.send({ type: ChannelMessageType.RELID_RELEASED, childRelid: relid }, meter);
  }

  private onOffer(offer: OfferChannelMessage, meter: CostMeter): void {
    // L: every offer becomes a channel (relid2channel finds it), with or without a driver.
    this.offered.add(offer.childRelid);
    const binding = this.deps.binder.bind(offer);
    if (binding === null) return;
    // Each direction: the header page plus data pages, ring_size bytes in all (rule 9).
    const outboundPages = Math.max(2, Math.ceil(binding.ringBytes / HV_PAGE_SIZE));
    const pages = 2 * outboundPages;
    const alloc = this.deps.memory.allocate(this.deps.partitionId, pages, { backing: 'dense' });
    if (!alloc.ok || alloc.value.bytes === null) {
      this.deps.binder.lost(offer, 'the guest could not allocate ring buffer memory');
      binding.notOpened?.(meter);
      return;
    }
    const bytes = alloc.value.bytes;
    new VmbusRingMemory(bytes.subarray(0, outboundPages * HV_PAGE_SIZE)).resetHeader();
    new VmbusRingMemory(bytes.subarray(outboundPages * HV_PAGE_SIZE)).resetHeader();
    const gpadl = this.nextGpadl++;
    const targetVp = this.targetVps.choose(offer.offer);
    this.offers.set(offer.childRelid, {
      offer,
      binding,
      gpadl,
      outboundPages,
      bytes,
      targetVp,
      gpadlPending: true,
      openPending: null,
      channel: null,
    });
    const pfns: number[] = [];
    for (let i = 0; i < pages; i++) pfns.push(alloc.value.pfn + i);
    for (const message of splitGpadl({ childRelid: offer.childRelid, gpadl, pfns }))
      this.send(message, meter);
  }

  private openChannel(p: Pending, meter: CostMeter): void {
    const { io, cpu, engine, partitionId, monitor } = this.deps;
    const split = p.outboundPages * HV_PAGE_SIZE;
    const outbound = new VmbusRingMemory(p.bytes.subarray(0, split));
    const writer = new VmbusRingWriter(outbound);
    const reader = new VmbusRingReader(new VmbusRingMemory(p.bytes.subarray(split)));
    const plan = guestSignalPlan(p.offer, p.binding.lowLatency);
    const relid = p.offer.childRelid;
    const connectionId = p.offer.connectionId;
    const targetVp = p.targetVp;
    const monitored: MonitoredChannel = {
      monitorFired: () => {
        // The hypervisor signals the host's port for the guest: the guest makes no hypercall
        // (L: vmbus_setevent only sets the monitor bit) and pays nothing more.
        io.monitorSignal(partitionId, connectionId, 0);
      },
    };
    const transport: GuestTransport = {
      id: relid,
      partitionId,
      targetVp: cpu.vp(partitionId, targetVp),
      targetVpIndex: targetVp,
      writer,
      reader,
      outbound,
      signalHost: (m: CostMeter, _necessary: boolean, fromVp: number = targetVp) => {
        if (plan.viaMonitorPage) {
          m.add(MONITOR_TRIGGER_NS);
          monitor.trigger(monitored);
        } else {
          // Rule 4: the VP that wrote (or read) makes the hypercall; `targetVp` is only where the
          // host's interrupts for this channel land (L: vmbus_setevent on the current CPU).
          io.signalEvent(partitionId, fromVp, connectionId, 0, m);
        }
      },
      createGpadl: (pfns: readonly number[], m: CostMeter, sink: GpadlCreatedSink) =>
        this.createGpadl(relid, pfns, m, sink),
    };
    const channel = new GuestChannel(
      transport,
      p.binding.driver,
      cpu,
      engine,
      this.deps.afterPacket,
      this.deps.sendWait ?? null,
    );
    p.channel = channel;
    this.channelsByRelid[relid] = channel;
    p.binding.opened(channel, meter);
  }

  /** A driver shares more pages on channel `relid` (rule 12: header + body messages). */
  private createGpadl(
    relid: number,
    pfns: readonly number[],
    meter: CostMeter,
    sink: GpadlCreatedSink,
  ): number {
    const gpadl = this.nextGpadl++;
    this.driverGpadls.set(gpadl, { relid, sink });
    for (const message of splitGpadl({ childRelid: relid, gpadl, pfns })) this.send(message, meter);
    return gpadl;
  }

  // ── Posting to the host ─────────────────────────────────────────────────────────────────────

  private send(message: ChannelMessage, meter: CostMeter): void {
    const bytes = new Uint8Array(240);
    const length = encodeChannelMessage(message, bytes, 0);
    this.outbox.push(bytes.subarray(0, length));
    this.flush(meter);
  }

  private flush(meter: CostMeter): void {
    const { io, partitionId, engine } = this.deps;
    while (this.outbox.length > 0) {
      const bytes = this.outbox[0];
      const status = io.postMessage(
        partitionId,
        0,
        this.messageConnection,
        bytes,
        bytes.length,
        meter,
      );
      if (status === HV_INSUFFICIENT_BUFFERS) {
        if (!this.retryScheduled) {
          this.retryScheduled = true;
          engine.after(POST_RETRY_NS, this.retry, null);
        }
        return;
      }
      this.outbox.shift();
    }
  }
}
