/**
 * The VMBus server in the root partition: it answers each child's contact (rule 11), offers one
 * channel per routed device and subchannels when a VSP asks (rules 11, 13, 16), assembles GPADLs
 * from header and body messages and registers them (rules 12, 14), opens channels by mapping the
 * ring buffer and handing its host end to the VSP, closes, tears down and rescinds them, and on
 * the data path turns event flags set by guests into drains of the right channel.
 *
 * Everything the server tells a guest goes as a SynIC message through HvCallPostMessage (rule 10);
 * everything a guest tells it arrives in root VP 0's SINT2 slot. Ports and connections are made
 * through WinHv at partition creation, as the VID does.
 */
import type { EventType, SimEngine } from '../../engine/index.js';
import { CostMeter } from '../../host/cpu.js';
import type { HostCpu } from '../../host/cpu.js';
import type { SintHandler } from '../../host/interrupts.js';
import { HvPortType, HvStatus } from '../../hypervisor/index.js';
import type { WinHv } from '../../hypervisor/index.js';
import type { GpadlTable, MemoryManager } from '../../memory/index.js';
import { IDE_ACCELERATOR_CLASS_GUID } from '../../model/index.js';
import { SuspendReason } from '../../scheduler/index.js';
import type { ChannelFaultLog } from '../../vsp/plugin-faults.js';
import type { HostTransport } from '../../vsp/transport.js';
import {
  ChannelMessageType,
  decodeChannelMessage,
  encodeChannelMessage,
  GpadlAssembler,
  hostVersionResponse,
  HOST_MAX_VMBUS_VERSION,
  MAX_CHILD_RELID,
  VMBUS_CHANNEL_ENUMERATE_DEVICE_INTERFACE,
  VMBUS_MESSAGE_CONNECTION_ID,
  VMBUS_MESSAGE_CONNECTION_ID_4,
  VMBUS_MESSAGE_SINT,
  VMBUS_STATUS_SUCCESS,
  VMBUS_STATUS_UNSUCCESSFUL,
} from '../control/index.js';
import type {
  ChannelMessage,
  GpadlBodyMessage,
  GpadlHeaderMessage,
  OfferChannelMessage,
} from '../control/index.js';
import {
  SignalThrottle,
  VmbusRingMemory,
  VmbusRingReader,
  VmbusRingWriter,
  HV_PAGE_SIZE,
} from '../ring/index.js';
import { MonitorIdAllocator, NO_MONITOR_ID } from '../monitor.js';
import type { MonitorPages } from '../monitor.js';
import { HV_INSUFFICIENT_BUFFERS } from '../synic-io.js';
import type { SynicIo } from '../synic-io.js';
import { ServerChannel } from './server-channel.js';
import type { OfferSpec } from './server-channel.js';
import { narrate } from '../../simulation/narration-messages.js';
import type { NarrationArgs, NarrationMessage } from '../../simulation/narration-messages.js';
import type { Reason } from '../../simulation/narration-reasons.js';

// estimate: root CPU to handle one VMBus control message (decode, bookkeeping, reply).
export const CONTROL_MESSAGE_NS = 4_000;
// estimate: retry interval when a child's message port has no free buffer (INSUFFICIENT_BUFFERS).
const POST_RETRY_NS = 50_000;
const ROOT_EVENT_FLAGS = 2047;

/** What the server needs to know about a child partition when its VM starts. */
export interface ChildSpec {
  readonly partitionId: number;
  readonly name: string;
  readonly vpCount: number;
  readonly offers: readonly OfferSpec[];
}

interface Child {
  readonly spec: ChildSpec;
  /** Root's connection id for posting to the child's message port. */
  readonly toChild: number;
  /** Root's connection ids for signalling each child VP's SINT2 (by VP index). */
  readonly signalChildVp: number[];
  readonly messagePort: number;
  readonly channels: Map<number, ServerChannel>;
  /** Channels by the child's connection id for signalling them. */
  readonly byConnection: Map<number, ServerChannel>;
  readonly assembler: GpadlAssembler;
  /** The next relid never given out; relids below it are in use or in {@link freeRelids}. */
  nextRelid: number;
  /** Relids the guest released (RELID_RELEASED), lowest first: they are offered again (rule 15). */
  readonly freeRelids: number[];
  nextConnection: number;
  connected: boolean;
  /** The VM's 128 monitor ids (rule 8). */
  readonly monitorIds: MonitorIdAllocator;
  /** REQUESTOFFERS has been answered on this connection (O: ConnectionInfo.offers_sent). */
  offersSent: boolean;
  /** The VMBus version agreed at INITIATE_CONTACT (0 while not connected). */
  version: number;
  readonly outbox: Uint8Array[];
  retryScheduled: boolean;
  /** The child's VPs are suspended for flooding (rule 7) until this time. */
  throttledUntil: number;
}

export interface VmbusServerDeps {
  readonly engine: SimEngine;
  readonly cpu: HostCpu;
  readonly winhv: WinHv;
  readonly io: SynicIo;
  readonly memory: MemoryManager;
  readonly gpadls: GpadlTable;
  readonly monitor: MonitorPages;
  readonly faults: ChannelFaultLog;
  readonly rootPartitionId: number;
  readonly rootVps: number;
  readonly hostOs: 'ws2016' | 'ws2019' | 'ws2022';
  /** Called when a channel's state changes (metrics, the game's narration). */
  readonly onChannelEvent?: (event: ChannelEvent) => void;
  /** Called with a narration line about a guest's whole VMBus connection (the VM's name). */
  readonly onConnectionEvent?: (vm: string, message: NarrationMessage) => void;
}

export interface ChannelEvent {
  /**
   * `registered`: the VSP's offer is with the VMBus server, not yet sent to the guest (it goes
   * out after the guest's REQUESTOFFERS); `offered`: OFFERCHANNEL was sent to the guest.
   */
  readonly kind:
    'registered' | 'offered' | 'opened' | 'closed' | 'rescinded' | 'failed' | 'throttled';
  readonly vm: string;
  readonly device: string;
  readonly relid: number;
  /** The narration line for it (its English text reads `<device>: channel <kind> — <detail>`). */
  readonly message: NarrationMessage;
}

export class VmbusServer implements SintHandler {
  private readonly children = new Map<number, Child>();
  private readonly byPort = new Map<number, Child>();
  /** Channels by root VP index, then event flag. */
  private readonly flagChannels: (ServerChannel[] | undefined)[][] = [];
  private readonly flagCursor: number[] = [];
  private nextPort = 0x100;
  private nextRootConnection = 0x10000;
  private channelsCreated = 0;
  /** Channels placed so far per device class: each class is spread over the root VPs on its own. */
  private readonly placedByClass = new Map<string, number>();
  private readonly scratch = new Uint8Array(240);
  private readonly incoming = new Uint8Array(240);
  private readonly retry: EventType<Child>;
  private readonly unthrottle: EventType<Child>;
  /** Open channels across the host (for the report and the 2047 cap, rule 15). */
  openChannels = 0;
  /**
   * Counts changes to which channels are open with a VSP attached (open, close, rescind,
   * release): readers that cache the open set (the sampler) rebuild it when this moves.
   */
  openSetVersion = 0;
  controlMessages = 0;

  constructor(private readonly deps: VmbusServerDeps) {
    this.retry = deps.engine.define<Child>('vmbus:post-retry', (c) => {
      c.retryScheduled = false;
      this.flushOutbox(c, this.ownMeter);
      this.chargeOwn();
    });
    this.unthrottle = deps.engine.define<Child>('vmbus:unthrottle', (c) => {
      this.setThrottled(c, false);
    });
  }

  /** Work the server does outside an interrupt (retries, rescinds, subchannel offers). */
  private readonly ownMeter = new CostMeter();

  private chargeOwn(): void {
    this.deps.cpu.charge(this.deps.cpu.vp(this.deps.rootPartitionId, 0), this.ownMeter.take());
  }

  /**
   * Prepares VMBus for a child partition (at VM start, before the guest runs): the root's message
   * port and the child's connection to it (ids 1 and 4), the child's message port and one event
   * port per child VP with the root's connections to them.
   */
  attachChild(spec: ChildSpec, meter: CostMeter): void {
    const { winhv, rootPartitionId } = this.deps;
    const pid = spec.partitionId;
    const messagePort = this.nextPort++;
    add(
      meter,
      winhv.createPort(
        rootPartitionId,
        messagePort,
        { portType: HvPortType.Message, targetSint: VMBUS_MESSAGE_SINT, targetVp: 0 },
        pid,
      ),
    );
    for (const id of [VMBUS_MESSAGE_CONNECTION_ID, VMBUS_MESSAGE_CONNECTION_ID_4]) {
      add(
        meter,
        winhv.connectPort({
          connectionPartitionId: pid,
          connectionId: id,
          portPartitionId: rootPartitionId,
          portId: messagePort,
          portType: HvPortType.Message,
        }),
      );
    }
    const childMessagePort = this.nextPort++;
    add(
      meter,
      winhv.createPort(
        pid,
        childMessagePort,
        { portType: HvPortType.Message, targetSint: VMBUS_MESSAGE_SINT, targetVp: 0 },
        rootPartitionId,
      ),
    );
    const toChild = this.nextRootConnection++;
    add(
      meter,
      winhv.connectPort({
        connectionPartitionId: rootPartitionId,
        connectionId: toChild,
        portPartitionId: pid,
        portId: childMessagePort,
        portType: HvPortType.Message,
      }),
    );
    const signalChildVp: number[] = [];
    for (let vp = 0; vp < spec.vpCount; vp++) {
      const port = this.nextPort++;
      add(
        meter,
        winhv.createPort(
          pid,
          port,
          {
            portType: HvPortType.Event,
            targetSint: VMBUS_MESSAGE_SINT,
            targetVp: vp,
            baseFlagNumber: 0,
            flagCount: 2048,
          },
          rootPartitionId,
        ),
      );
      const connection = this.nextRootConnection++;
      add(
        meter,
        winhv.connectPort({
          connectionPartitionId: rootPartitionId,
          connectionId: connection,
          portPartitionId: pid,
          portId: port,
          portType: HvPortType.Event,
        }),
      );
      signalChildVp.push(connection);
    }
    const child: Child = {
      spec,
      toChild,
      signalChildVp,
      messagePort,
      channels: new Map(),
      byConnection: new Map(),
      assembler: new GpadlAssembler(),
      monitorIds: new MonitorIdAllocator(),
      nextRelid: 1,
      freeRelids: [],
      nextConnection: 0x2000,
      connected: false,
      offersSent: false,
      version: 0,
      outbox: [],
      retryScheduled: false,
      throttledUntil: 0,
    };
    this.children.set(pid, child);
    this.byPort.set(messagePort, child);
    for (const offer of spec.offers) this.createChannel(child, offer, 0, meter);
  }

  /**
   * The child partition is going away (its VM turned off or shut down): VMMS tears the partition
   * down. Every channel still open is closed on the host side at once — its VSP sees it rescinded
   * and drops what it had in flight rather than completing it into memory about to be freed — and
   * every channel, GPADL and monitor id of the child is forgotten. Nothing is sent to the guest: it
   * no longer runs. Returns the number of channels that were open.
   */
  detachChild(partitionId: number, reason: Reason): number {
    const child = this.children.get(partitionId);
    if (child === undefined) return 0;
    let wasOpen = 0;
    for (const ch of [...child.channels.values()]) {
      if (ch.state === 'open') {
        wasOpen++;
        ch.state = 'rescinded';
        this.openChannels--;
        if (ch.host !== null) ch.spec.vsp.close(ch.host, 'rescinded');
        ch.host = null;
        this.event(
          child,
          ch,
          'rescinded',
          narrate('channel.rescinded', { device: ch.spec.device, reason }),
        );
      }
      this.release(child, ch);
    }
    this.deps.gpadls.tearDownPartition(partitionId);
    child.assembler.reset();
    child.outbox.length = 0;
    child.connected = false;
    if (child.retryScheduled) this.deps.engine.cancel(this.retry, child);
    if (child.throttledUntil > this.deps.engine.now)
      this.deps.engine.cancel(this.unthrottle, child);
    this.children.delete(partitionId);
    this.byPort.delete(child.messagePort);
    this.openSetVersion++;
    return wasOpen;
  }

  /** The channels of a child, for metrics and the game. */
  channelsOf(partitionId: number): readonly ServerChannel[] {
    return [...(this.children.get(partitionId)?.channels.values() ?? [])];
  }

  /** The channels of a child by relid, without copying (the sampler reads it every millisecond). */
  channelMapOf(partitionId: number): ReadonlyMap<number, ServerChannel> | undefined {
    return this.children.get(partitionId)?.channels;
  }

  private createChannel(
    child: Child,
    spec: OfferSpec,
    subchannelIndex: number,
    meter: CostMeter,
  ): ServerChannel | null {
    const relid = allocateRelid(child);
    if (relid === null) return null; // rule 15: 2047 relids, all in use
    const { winhv, rootPartitionId, rootVps } = this.deps;
    // Spread each class of channel over the root VPs round-robin, so that busy storage channels
    // do not all land on one root VP behind quiet integration-service channels.
    this.channelsCreated++;
    const placed = this.placedByClass.get(spec.deviceClass) ?? 0;
    this.placedByClass.set(spec.deviceClass, placed + 1);
    const hostVpIndex = placed % rootVps;
    const flags = (this.flagChannels[hostVpIndex] ??= []);
    const cursor = this.flagCursor[hostVpIndex] ?? 0;
    const hostFlag = 1 + (cursor % ROOT_EVENT_FLAGS);
    this.flagCursor[hostVpIndex] = cursor + 1;
    const port = this.nextPort++;
    const connectionId = child.nextConnection++;
    add(
      meter,
      winhv.createPort(
        rootPartitionId,
        port,
        {
          portType: HvPortType.Event,
          targetSint: VMBUS_MESSAGE_SINT,
          targetVp: hostVpIndex,
          baseFlagNumber: hostFlag,
          flagCount: 1,
        },
        child.spec.partitionId,
      ),
    );
    add(
      meter,
      winhv.connectPort({
        connectionPartitionId: child.spec.partitionId,
        connectionId,
        portPartitionId: rootPartitionId,
        portId: port,
        portType: HvPortType.Event,
      }),
    );
    const channel = new ServerChannel(
      this.channelsCreated,
      child.spec.partitionId,
      relid,
      spec,
      subchannelIndex,
      connectionId,
      hostVpIndex,
      hostFlag,
      child.monitorIds.allocate(spec.signalling === 'batched'),
      new SignalThrottle(),
    );
    (flags[hostFlag] ??= []).push(channel);
    child.channels.set(relid, channel);
    child.byConnection.set(connectionId, channel);
    // O: a VSP's offer is registered with the VMBus server when its device is set up; the server
    // sends OFFERCHANNEL only on a connection whose offers were requested (handle_request_offers),
    // at once for a channel offered after that (a subchannel, a hot-added device).
    if (child.offersSent) this.offered(child, channel);
    else
      this.event(child, channel, 'registered', narrate('channel.registered', offerArgs(channel)));
    return channel;
  }

  /** OFFERCHANNEL for `ch` goes to the guest (rule 11). */
  private offered(child: Child, ch: ServerChannel): void {
    this.event(child, ch, 'offered', narrate('channel.offered', offerArgs(ch)));
  }

  // ── Messages from guests (root VP 0, SINT2) and event flags (every root VP, SINT2) ──────────

  onSint(partitionId: number, vpIndex: number, meter: CostMeter): void {
    const io = this.deps.io;
    if (vpIndex === 0) {
      for (let n = 0; n < 64; n++) {
        const m = io.takeMessage(partitionId, 0, VMBUS_MESSAGE_SINT, this.incoming, meter);
        if (m === null) break;
        const child = this.byPort.get(m.port);
        if (child === undefined) continue;
        meter.add(CONTROL_MESSAGE_NS);
        this.controlMessages++;
        const decoded = decodeChannelMessage(this.incoming, 0, m.length, { from: 'guest' });
        if (decoded.ok) this.onMessage(child, decoded.value, meter);
      }
    }
    const flags = this.flagChannels[vpIndex] as (ServerChannel[] | undefined)[] | undefined;
    if (flags === undefined) return;
    for (
      let flag = io.takeEventFlag(partitionId, vpIndex, VMBUS_MESSAGE_SINT, 0);
      flag >= 0;
      flag = io.takeEventFlag(partitionId, vpIndex, VMBUS_MESSAGE_SINT, flag + 1)
    ) {
      const list = flags[flag];
      if (list !== undefined) for (const ch of list) this.onGuestSignal(ch, meter);
    }
  }

  private onGuestSignal(ch: ServerChannel, meter: CostMeter): void {
    const host = ch.host;
    if (ch.state !== 'open' || host === null) return;
    host.onSignal(meter);
  }

  /**
   * Rule 7: Hyper-V watches how often a guest signals a channel. Every HvCallSignalEvent on a
   * channel's connection is counted here, as the hypervisor sees it (most of them set a flag that is
   * already set and never reach the root's ISR); one that finds nothing new in the ring for the host
   * to read is unnecessary, and a guest that makes too many is suspended.
   */
  observeGuestSignal(partitionId: number, connectionId: number): void {
    const child = this.children.get(partitionId);
    if (child === undefined) return;
    const ch = child.byConnection.get(connectionId);
    if (ch === undefined || ch.state !== 'open' || ch.host === null) return;
    const necessary = ch.host.transport.reader.bytesInUse() !== 0 || ch.host.waitingForRoom;
    if (!necessary) ch.unnecessarySignals++;
    if (ch.throttle.recordSignal(this.deps.engine.now, necessary)) this.throttle(child, ch);
  }

  /** Rule 7: a guest that floods unnecessary interrupts is suspended for a while. */
  private throttle(child: Child, ch: ServerChannel): void {
    const until = ch.throttle.suspendedUntil;
    if (until <= child.throttledUntil) return;
    child.throttledUntil = until;
    this.setThrottled(child, true);
    this.deps.engine.at(until, this.unthrottle, child);
    this.event(
      child,
      ch,
      'throttled',
      narrate('channel.throttled', { device: ch.spec.device, untilNs: until }),
    );
  }

  private setThrottled(child: Child, on: boolean): void {
    const { cpu } = this.deps;
    for (let vp = 0; vp < child.spec.vpCount; vp++) {
      const id = cpu.vp(child.spec.partitionId, vp);
      if (on) cpu.scheduler.suspend(id, SuspendReason.FloodThrottled);
      else cpu.scheduler.resume(id, SuspendReason.FloodThrottled);
    }
  }

  private onMessage(child: Child, m: ChannelMessage, meter: CostMeter): void {
    // O: channels.rs — only INITIATE_CONTACT and UNLOAD are parsed without a negotiated version
    // (handle_request_offers: "should be prevented by Message::parse()"; open_channel: "must be
    // connected"); anything else from a guest that has not made contact is dropped.
    if (
      !child.connected &&
      m.type !== ChannelMessageType.INITIATE_CONTACT &&
      m.type !== ChannelMessageType.UNLOAD
    )
      return;
    switch (m.type) {
      case ChannelMessageType.INITIATE_CONTACT: {
        // O: initiate_contact → request_disconnect(Reconnect): contact on a live connection first
        // releases every channel and GPADL of the old one.
        if (child.connected) this.disconnect(child);
        const response = hostVersionResponse(m, {
          maxVersion: HOST_MAX_VMBUS_VERSION[this.deps.hostOs],
        });
        child.connected = response.versionSupported;
        child.version = response.versionSupported ? m.vmbusVersionRequested : 0;
        this.send(child, response, meter);
        return;
      }
      case ChannelMessageType.REQUESTOFFERS:
        this.onRequestOffers(child, meter);
        return;
      case ChannelMessageType.GPADL_HEADER:
      case ChannelMessageType.GPADL_BODY:
        this.onGpadlMessage(child, m, meter);
        return;
      case ChannelMessageType.OPENCHANNEL:
        this.open(
          child,
          m.childRelid,
          m.openId,
          m.ringBufferGpadlHandle,
          m.targetVp,
          m.downstreamRingBufferPageOffset,
          meter,
        );
        return;
      case ChannelMessageType.CLOSECHANNEL: {
        const ch = child.channels.get(m.childRelid);
        if (ch !== undefined && ch.state === 'open') this.closeChannel(child, ch, meter);
        return;
      }
      case ChannelMessageType.GPADL_TEARDOWN:
        this.onGpadlTeardown(child, m.childRelid, m.gpadl, meter);
        return;
      case ChannelMessageType.RELID_RELEASED: {
        // O: handle_rel_id_released — Linux sends it once it has let go of a rescinded channel
        // (L: channel_mgmt.c vmbus_release_relid, from hv_process_channel_removal). Releasing an
        // open channel is InvalidChannelState: it stays open. The model releases only rescinded
        // channels (a Linux guest releases no other).
        const ch = child.channels.get(m.childRelid);
        if (ch?.state === 'rescinded') this.release(child, ch);
        return;
      }
      case ChannelMessageType.UNLOAD:
        // O: handle_unload → request_disconnect(SendUnloadComplete): every channel is closed
        // and released, every GPADL torn down, and only then UNLOAD_RESPONSE goes out.
        this.disconnect(child);
        this.send(child, { type: ChannelMessageType.UNLOAD_RESPONSE }, meter);
        return;
      default:
        return;
    }
  }

  /** REQUESTOFFERS → OFFERCHANNEL for each primary offer → ALLOFFERS_DELIVERED (rule 11). */
  private onRequestOffers(child: Child, meter: CostMeter): void {
    // O: handle_request_offers — a second REQUESTOFFERS is OffersAlreadySent.
    if (child.offersSent) return;
    child.offersSent = true;
    let offers = 0;
    for (const ch of child.channels.values())
      if (ch.subchannelIndex === 0 && ch.state === 'offered') {
        this.send(child, this.offerMessage(ch), meter);
        this.offered(child, ch);
        offers++;
      }
    this.send(child, { type: ChannelMessageType.ALLOFFERS_DELIVERED }, meter);
    this.deps.onConnectionEvent?.(
      child.spec.name,
      narrate('vmbus.offersDelivered', {
        major: child.version >>> 16,
        minor: child.version & 0xffff,
        offers,
      }),
    );
  }

  /**
   * GPADL_TEARDOWN (rule 12). O: handle_gpadl_teardown — the GPADL must exist on the channel the
   * message names (UnknownGpadlId / WrongGpadlChannelId: no answer at all). A GPADL still in use
   * by an open channel (its ring buffer) is only marked: the VSP keeps its mapping, and the pages
   * stay pinned and counted (rule 14) until the channel closes; GPADL_TORNDOWN goes out then (O:
   * the device completes TeardownGpadl, gpadl_teardown_complete; L: vmbus_teardown_gpadl waits
   * for it before freeing the pages).
   */
  private onGpadlTeardown(child: Child, relid: number, gpadl: number, meter: CostMeter): void {
    const { gpadls } = this.deps;
    const pid = child.spec.partitionId;
    const handle = gpadls.handleOf(pid, gpadl);
    if (handle === undefined || gpadls.info(handle)?.channel !== relid) return;
    const ch = child.channels.get(relid);
    if (ch?.state === 'open' && ch.ringGpadl === handle) {
      ch.ringTeardownPending = true;
      return;
    }
    gpadls.tearDown(handle);
    this.send(child, { type: ChannelMessageType.GPADL_TORNDOWN, gpadl }, meter);
  }

  /** A teardown the guest asked for while the channel used its ring GPADL completes now. */
  private finishRingTeardown(child: Child, ch: ServerChannel, meter: CostMeter): void {
    if (!ch.ringTeardownPending) return;
    ch.ringTeardownPending = false;
    const gpadl = this.deps.gpadls.info(ch.ringGpadl)?.guestId;
    this.deps.gpadls.tearDown(ch.ringGpadl);
    if (gpadl !== undefined)
      this.send(child, { type: ChannelMessageType.GPADL_TORNDOWN, gpadl }, meter);
  }

  /**
   * The guest let go of a channel (O: client_release_channel): the host forgets it and releases
   * every GPADL that remains for it — "there is no need to tear down" a revoked channel's GPADLs
   * one by one, and no GPADL_TORNDOWN is sent for them.
   */
  private release(child: Child, ch: ServerChannel): void {
    if (ch.state === 'open') {
      ch.state = 'closed';
      this.openChannels--;
      if (ch.host !== null) ch.spec.vsp.close(ch.host, 'closed');
      ch.host = null;
    }
    ch.ringTeardownPending = false;
    child.assembler.dropChannel(ch.relid);
    this.deps.gpadls.tearDownChannel(child.spec.partitionId, ch.relid);
    child.channels.delete(ch.relid);
    freeRelid(child, ch.relid);
    child.byConnection.delete(ch.connectionId);
    // O: release_channel — the channel's monitor id goes back to the VM's pool (rule 8).
    child.monitorIds.release(ch.monitorId);
    const sharing = this.flagChannels[ch.hostVpIndex]?.[ch.hostFlag];
    const at = sharing?.indexOf(ch) ?? -1;
    if (at >= 0) sharing?.splice(at, 1);
    this.openSetVersion++;
  }

  /**
   * The guest's VMBus connection ends (UNLOAD, or a new INITIATE_CONTACT on a live connection).
   * O: request_disconnect — every channel is released: open ones are closed, every GPADL goes,
   * rescinded ones are forgotten. Primary offers stay with the host and are offered again after
   * the next REQUESTOFFERS; subchannels are gone (their VSP offers them again when asked).
   */
  private disconnect(child: Child): void {
    child.connected = false;
    child.offersSent = false;
    child.version = 0;
    for (const ch of [...child.channels.values()]) {
      if (ch.state === 'rescinded' || ch.subchannelIndex > 0) {
        this.release(child, ch);
        continue;
      }
      if (ch.state === 'open') this.closeChannel(child, ch, this.ownMeter);
      ch.ringTeardownPending = false;
      ch.state = 'offered';
    }
    this.deps.gpadls.tearDownPartition(child.spec.partitionId);
    child.assembler.reset();
    this.openSetVersion++;
    this.chargeOwn();
  }

  private onGpadlMessage(
    child: Child,
    m: GpadlHeaderMessage | GpadlBodyMessage,
    meter: CostMeter,
  ): void {
    const result = child.assembler.accept(m);
    if (result.status === 'incomplete') return; // more body messages to come
    if (result.status === 'rejected') {
      if (result.childRelid !== undefined) {
        this.send(
          child,
          {
            type: ChannelMessageType.GPADL_CREATED,
            childRelid: result.childRelid,
            gpadl: result.gpadl,
            creationStatus: VMBUS_STATUS_UNSUCCESSFUL,
          },
          meter,
        );
      }
      return;
    }
    const g = result.value;
    const created = this.deps.gpadls.create(child.spec.partitionId, g.childRelid, g.pfns, {
      guestId: g.gpadl,
    });
    const status = created.ok ? VMBUS_STATUS_SUCCESS : VMBUS_STATUS_UNSUCCESSFUL;
    this.send(
      child,
      {
        type: ChannelMessageType.GPADL_CREATED,
        childRelid: g.childRelid,
        gpadl: g.gpadl,
        creationStatus: status,
      },
      meter,
    );
  }

  private open(
    child: Child,
    relid: number,
    openId: number,
    gpadlId: number,
    targetVp: number,
    downstreamPageOffset: number,
    meter: CostMeter,
  ): void {
    const ch = child.channels.get(relid);
    const fail = (why: string) => {
      this.send(
        child,
        {
          type: ChannelMessageType.OPENCHANNEL_RESULT,
          childRelid: relid,
          openId,
          status: 0xc0000001,
        },
        meter,
      );
      if (ch !== undefined)
        this.event(
          child,
          ch,
          'failed',
          narrate('channel.failed', { device: ch.spec.device, reason: why }),
        );
    };
    // O: ChannelState::Closed is "offered to the guest": a closed channel opens again.
    if (ch === undefined || (ch.state !== 'offered' && ch.state !== 'closed')) {
      fail('open of a channel that is not offered');
      return;
    }
    if (targetVp >= child.spec.vpCount) {
      fail(`target VP ${targetVp} does not exist`);
      return;
    }
    const port = this.deps.gpadls.portFor({
      partition: child.spec.partitionId,
      channel: relid,
      actor: ch.spec.vsp.pluginId,
    });
    const view = port.viewByGuestId(gpadlId);
    if (!view.ok || view.bytes === null) {
      fail('ring GPADL missing or not contiguous');
      return;
    }
    const outboundBytes = downstreamPageOffset * HV_PAGE_SIZE;
    if (outboundBytes <= HV_PAGE_SIZE || outboundBytes >= view.byteLength - HV_PAGE_SIZE) {
      fail('bad ring split');
      return;
    }
    const reader = new VmbusRingReader(new VmbusRingMemory(view.bytes.subarray(0, outboundBytes)));
    const writer = new VmbusRingWriter(new VmbusRingMemory(view.bytes.subarray(outboundBytes)));
    ch.ringGpadl = view.handle;
    ch.targetVp = targetVp;
    ch.state = 'open';
    this.openChannels++;
    const transport = this.transportFor(child, ch, reader, writer, port);
    ch.host = ch.spec.vsp.open(transport);
    this.openSetVersion++;
    this.send(
      child,
      { type: ChannelMessageType.OPENCHANNEL_RESULT, childRelid: relid, openId, status: 0 },
      meter,
    );
    this.event(
      child,
      ch,
      'opened',
      narrate('channel.opened', {
        device: ch.spec.device,
        vm: child.spec.name,
        vsp: ch.spec.vsp.id,
        relid,
        targetVp,
      }),
    );
  }

  private transportFor(
    child: Child,
    ch: ServerChannel,
    reader: VmbusRingReader,
    writer: VmbusRingWriter,
    memory: HostTransport['memory'],
  ): HostTransport {
    const { io, rootPartitionId, cpu } = this.deps;
    return {
      id: ch.hostId,
      relid: ch.relid,
      partitionId: child.spec.partitionId,
      vm: child.spec.name,
      device: ch.spec.device,
      deviceClass: ch.spec.deviceClass,
      classGuid: ch.spec.classGuid,
      subchannelIndex: ch.subchannelIndex,
      diskBytes: ch.spec.diskBytes,
      guestVps: child.spec.vpCount,
      hostVp: cpu.vp(rootPartitionId, ch.hostVpIndex),
      reader,
      writer,
      memory,
      signalGuest: (meter: CostMeter) => {
        io.signalEvent(
          rootPartitionId,
          ch.hostVpIndex,
          child.signalChildVp[ch.targetVp],
          ch.relid,
          meter,
        );
      },
      offerSubchannels: (count: number) => this.offerSubchannels(child, ch, count),
      closeAfterFault: (reason: Reason) => {
        this.rescind(child, ch, reason);
        // Rule 38: a primary's fault kills the device, and a device is its primary with its
        // subchannels — they are rescinded with it, as when the device is removed
        // (`rescindDevice`). Linux would close them anyway once the primary is gone (L:
        // vmbus_close closes every subchannel before the primary); left open, a dead device's
        // subchannels kept their rings pinned and their VSP serving whatever the guest wrote.
        // A subchannel's fault takes only that queue.
        if (ch.subchannelIndex === 0)
          for (const sub of [...child.channels.values()])
            if (sub.spec === ch.spec && sub.subchannelIndex > 0) this.rescind(child, sub, reason);
      },
    };
  }

  private offerSubchannels(child: Child, primary: ServerChannel, count: number): number {
    const meter = this.ownMeter;
    let offered = 0;
    const existing = [...child.channels.values()].filter(
      (c) => c.spec === primary.spec && c.subchannelIndex > 0,
    ).length;
    for (let i = 0; i < count; i++) {
      const ch = this.createChannel(child, primary.spec, existing + i + 1, meter);
      if (ch === null) break;
      this.send(child, this.offerMessage(ch), meter);
      offered++;
    }
    this.chargeOwn();
    return offered;
  }

  /** Device hot-removed or VSP fault (rules 13, 38): the host rescinds the offer. */
  private rescind(child: Child, ch: ServerChannel, reason: Reason): void {
    if (ch.state === 'rescinded') return;
    const wasOpen = ch.state === 'open';
    ch.state = 'rescinded';
    this.openSetVersion++;
    if (wasOpen) this.openChannels--;
    if (ch.host !== null) ch.spec.vsp.close(ch.host, 'rescinded');
    ch.host = null;
    // O: revoke — a teardown the guest asked for completes (GPADL_TORNDOWN) before the rescind;
    // the channel's other GPADLs stay until the guest tears them down or releases the relid.
    this.finishRingTeardown(child, ch, this.ownMeter);
    this.send(
      child,
      { type: ChannelMessageType.RESCIND_CHANNELOFFER, childRelid: ch.relid },
      this.ownMeter,
    );
    this.chargeOwn();
    this.event(
      child,
      ch,
      'rescinded',
      narrate('channel.rescinded', { device: ch.spec.device, reason }),
    );
  }

  /**
   * CLOSECHANNEL (rule 12). There is no answer to it (L: vmbus_close_internal posts it and moves
   * on). The channel returns to the offered state (O: Closing → Closed) and may be opened again.
   */
  private closeChannel(child: Child, ch: ServerChannel, meter: CostMeter): void {
    ch.state = 'closed';
    this.openSetVersion++;
    this.openChannels--;
    if (ch.host !== null) ch.spec.vsp.close(ch.host, 'closed');
    ch.host = null;
    this.event(child, ch, 'closed', narrate('channel.closed', { device: ch.spec.device }));
    this.finishRingTeardown(child, ch, meter);
  }

  /** Rescinds one of a VM's channels from outside (a device removed while the VM runs). */
  rescindDevice(partitionId: number, device: string, reason: string): void {
    const child = this.children.get(partitionId);
    if (child === undefined) return;
    for (const ch of child.channels.values())
      if (ch.spec.device === device && ch.state !== 'rescinded') this.rescind(child, ch, reason);
  }

  // ── Sending to a child ──────────────────────────────────────────────────────────────────────

  private offerMessage(ch: ServerChannel): OfferChannelMessage {
    return {
      type: ChannelMessageType.OFFERCHANNEL,
      offer: {
        // HV_SCSI_GUID, HV_NIC_GUID…, or HV_IDE_GUID for a generation 1 boot disk (rule 11).
        ifType: ch.spec.classGuid,
        ifInstance: ch.spec.instanceGuid,
        chnFlags: VMBUS_CHANNEL_ENUMERATE_DEVICE_INTERFACE,
        mmioMegabytes: 0,
        userDef: new Uint8Array(120),
        subChannelIndex: ch.subchannelIndex,
      },
      childRelid: ch.relid,
      monitorId: ch.monitorId,
      monitorAllocated: ch.monitorId !== NO_MONITOR_ID,
      // O: every offer is dedicated ("as of Win8 … channels with dedicated interrupts (which is
      // all channels)", channels.rs handle_initiate_contact; its tests expect is_dedicated: 1).
      isDedicatedInterrupt: true,
      connectionId: ch.connectionId,
    };
  }

  private send(child: Child, message: ChannelMessage, meter: CostMeter): void {
    const bytes = new Uint8Array(240);
    const length = encodeChannelMessage(message, bytes, 0);
    child.outbox.push(bytes.subarray(0, length));
    this.flushOutbox(child, meter);
  }

  private flushOutbox(child: Child, meter: CostMeter): void {
    const { io, rootPartitionId } = this.deps;
    while (child.outbox.length > 0) {
      const bytes = child.outbox[0];
      const status = io.postMessage(rootPartitionId, 0, child.toChild, bytes, bytes.length, meter);
      if (status === HV_INSUFFICIENT_BUFFERS) {
        if (!child.retryScheduled) {
          child.retryScheduled = true;
          this.deps.engine.after(POST_RETRY_NS, this.retry, child);
        }
        return;
      }
      child.outbox.shift();
      if (status !== HvStatus.SUCCESS) return;
    }
  }

  private event(
    child: Child,
    ch: ServerChannel,
    kind: ChannelEvent['kind'],
    message: NarrationMessage,
  ): void {
    this.deps.onChannelEvent?.({
      kind,
      vm: child.spec.name,
      device: ch.spec.device,
      relid: ch.relid,
      message,
    });
  }
}

/**
 * The lowest relid not in use (rule 15). O: channels.rs `AssignedChannels::allocate` takes the
 * first free slot, and `release_channel` frees a channel's slot once the guest has released it
 * (RELID_RELEASED, or the connection ends), so a released relid is handed out again; Linux
 * unmaps the relid before it sends RELID_RELEASED (L: channel_mgmt.c hv_process_channel_removal:
 * "the same relid can refer to a completely different channel now").
 */
function allocateRelid(child: Child): number | null {
  const reused = child.freeRelids.shift();
  if (reused !== undefined) return reused;
  if (child.nextRelid > MAX_CHILD_RELID) return null;
  return child.nextRelid++;
}

function freeRelid(child: Child, relid: number): void {
  const free = child.freeRelids;
  let at = free.length;
  while (at > 0 && free[at - 1] > relid) at--;
  free.splice(at, 0, relid);
}

/** What a narration line about a channel's offer says. */
function offerArgs(ch: ServerChannel): NarrationArgs<'channel.offered'> {
  return {
    device: ch.spec.device,
    deviceClass: ch.spec.deviceClass,
    vsp: ch.spec.vsp.id,
    classGuid: ch.spec.classGuid,
    ideAccelerator: ch.spec.classGuid === IDE_ACCELERATOR_CLASS_GUID,
  };
}

function add(meter: CostMeter, result: { costNs: number }): void {
  meter.add(result.costNs);
}
