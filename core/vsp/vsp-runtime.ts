/**
 * One VSP instance at work in the root partition: the plugin's handlers, the narrow host object it
 * was created with, and the rules of the boundary.
 *
 * - A handler runs when a root VP starts on the packet, completion or event. What it asks for is
 *   recorded and applied once the CPU time it charged (plus a fixed dispatch cost) has run on
 *   that root VP, so the plugin's work is root CPU like any other (the scheduler decides when).
 * - A handler that throws loses its channel (rule 38): the VM's device fails, the fault names the
 *   plugin and the reason, and the host and every other channel keep running.
 */
import type { EventType, Ns, SimEngine } from '../engine/index.js';
import type { DeviceClass, VspInstance } from '../model/index.js';
import type { CostMeter, HostCpu } from '../host/cpu.js';
import { WorkClass } from '../host/cpu.js';
import { HostChannel } from './host-channel.js';
import { speaksAnotherClass } from './protocol-class.js';
import type { ChannelOwner, ChannelStopKind, DeferredEffect } from './host-channel.js';
import type { ChannelFaultKind, ChannelFaultLog } from './plugin-faults.js';
import { locatedFault, PluginLimitError, safelyLocated } from './plugin-faults.js';
import type { HostTransport } from './transport.js';
import type {
  DeviceCompletion,
  MemoryChangeReport,
  MemoryPressureReport,
  VspChannel,
  VspDevicePort,
  VspHandlers,
  VspHost,
  VspHostEvent,
  VspCallName,
  VspCallObserver,
  VspModule,
  VspPacket,
  SandboxSizeChecks,
} from './types.js';
import { narrate } from '../simulation/narration-messages.js';
import type { NarrationMessage } from '../simulation/narration-messages.js';
import { because, reasonText } from '../simulation/narration-reasons.js';
import { vspFailure, vspFailureText } from './failure-reasons.js';
import type { VspFailureReason } from './failure-reasons.js';
import type { Reason, ReasonArgs } from '../simulation/narration-reasons.js';

// estimate: the VMBus/VSP framework's own work per packet or completion it hands a VSP (ring
// bookkeeping, dispatch), on top of what the VSP charges for its protocol work.
export const VSP_DISPATCH_NS: Ns = 1_500;

/** Reports a VSP makes to the rest of the root partition (balancer, VMMS, the run log). */
export interface VspReports {
  memoryPressure(channel: VspChannel, report: MemoryPressureReport): void;
  memoryChange(channel: VspChannel, change: MemoryChangeReport): void;
  heartbeat(channel: VspChannel, sequence: number): void;
  log(instance: string, message: NarrationMessage): void;
}

export interface VspRuntimeDeps {
  readonly engine: SimEngine;
  readonly cpu: HostCpu;
  readonly meter: CostMeter;
  readonly module: VspModule;
  readonly instance: VspInstance;
  /** Builds the device port for this runtime (it needs the runtime to route completions). */
  readonly device: (runtime: VspRuntime) => VspDevicePort;
  readonly faults: ChannelFaultLog;
  readonly reports: VspReports;
}

const NO_EFFECT: DeferredEffect = { apply: () => undefined };

/** Which handler a {@link VspRuntime} call runs (a switch, not a closure per call). */
enum Handler {
  Opened,
  Packet,
  DeviceCompleted,
  HostEvent,
  Closed,
}

/** The handlers' names as an author wrote them, by {@link Handler}. */
const HANDLER_NAMES: readonly VspCallName[] = [
  'onChannelOpened',
  'onPacket',
  'onDeviceCompleted',
  'onHostEvent',
  'onChannelClosed',
];

/**
 * One call into the plugin: what it charged and the effects it asked for, then (as the done
 * event's argument) the batch applied once that CPU has run. Pooled: every packet and every
 * device completion makes one.
 */
class CallContext {
  channel: HostChannel | null = null;
  charged = 0;
  /** The batch finishes a packet: commit its ring space and take the next one. */
  packet = false;
  /** Effects in slots 0…effectCount−1 (a count, not `length = 0`, so the array keeps its storage). */
  readonly effects: DeferredEffect[] = [];
  effectCount = 0;

  add(effect: DeferredEffect): void {
    this.effects[this.effectCount++] = effect;
  }
}

export class VspRuntime implements ChannelOwner {
  readonly host: VspHost;
  private handlers: VspHandlers | null = null;
  /** Why `create` threw: an id and its arguments (`plugin.threw`, a sandbox limit) or free text. */
  private createFailure: VspFailureReason | string | null = null;
  private ctx: CallContext | null = null;
  /** The module's observer; null (one check per call) for every run but a watched one. */
  private readonly observer: VspCallObserver | null;
  private readonly applyEvent: EventType<CallContext>;
  private readonly callPool: CallContext[] = [];
  private readonly timerEvent: EventType<{ channel: HostChannel; tag: number }>;
  readonly channels: HostChannel[] = [];
  readonly device: VspDevicePort;

  // Counters read by metrics.
  packetsHandled = 0;
  callsHandled = 0;
  cpuNs = 0;

  constructor(private readonly deps: VspRuntimeDeps) {
    const { engine, instance, module } = deps;
    this.applyEvent = engine.define<CallContext>(`vsp:${instance.id}:apply`, (b) => {
      this.apply(b);
    });
    this.timerEvent = engine.define<{ channel: HostChannel; tag: number }>(
      `vsp:${instance.id}:timer`,
      (t) => {
        this.deliver(t.channel, { type: 'timer', tag: t.tag });
      },
    );
    this.device = deps.device(this);
    this.host = this.makeHost();
    this.observer = module.observer ?? null;
    try {
      this.observer?.enter('create', null);
      try {
        this.handlers = module.create(this.host);
      } finally {
        this.observer?.exit();
      }
    } catch (e) {
      this.createFailure = locatedFault(e, 'create', module.locateFault, undefined);
      deps.reports.log(
        instance.id,
        narrate('vsp.createFailed', { plugin: module.id, reason: this.createFailure }),
      );
    }
  }

  get meter(): CostMeter {
    return this.deps.meter;
  }

  get id(): string {
    return this.deps.instance.id;
  }

  get pluginId(): string {
    return this.deps.module.id;
  }

  /** The sandbox's sizes, when the module is held to them natively (a trusted plugin). */
  get sandboxSizes(): SandboxSizeChecks | null {
    return this.deps.module.sandboxSizes ?? null;
  }

  /** The device class the plugin serves (icsvc: the launcher offers integration services by it). */
  get deviceClass(): DeviceClass {
    return this.deps.module.deviceClass;
  }

  /** A channel to this VSP was opened by the guest. */
  open(transport: HostTransport): HostChannel {
    const channel = new HostChannel(transport, this);
    this.channels.push(channel);
    if (this.handlers === null) {
      this.blame(
        channel,
        'plugin-threw',
        because('vsp.notStarted', notStarted(this.createFailure)),
      );
      return channel;
    }
    this.call(channel, Handler.Opened, null);
    return channel;
  }

  /** The guest closed the channel, or the host rescinded it. */
  close(channel: HostChannel, reason: 'closed' | 'rescinded'): void {
    if (channel.state !== 'open') return;
    channel.close();
    if (this.handlers === null) return;
    this.call(channel, Handler.Closed, reason, true);
  }

  // ── ChannelOwner ────────────────────────────────────────────────────────────────────────────

  handlePacket(channel: HostChannel, packet: VspPacket): void {
    if (this.handlers === null) return;
    this.packetsHandled++;
    // A channel joins a VSC to a VSP of its own class (rule 11; configuration refuses any other),
    // so a packet shaped like another class's protocol was written by a buggy or hostile guest.
    // Counted here; the VSP rejects it (rule 37) and the channel stops (rule 38).
    if (speaksAnotherClass(packet.payload, this.deps.module.deviceClass)) channel.misrouted++;
    this.call(channel, Handler.Packet, packet);
  }

  defer(channel: HostChannel, effect: DeferredEffect): boolean {
    const ctx = this.ctx;
    if (ctx === null) {
      // Called outside a handler (e.g. from a stored callback): the plugin misused the host object.
      // Its code is on the stack now, so a natively loaded plugin is told where.
      const where = safelyLocated(this.deps.module.locateFault, new Error('misuse'), undefined);
      this.blame(
        channel,
        'plugin-misuse',
        vspFailure('plugin.outsideHandler', { where: where ?? null }),
      );
      return false;
    }
    ctx.add(effect);
    return true;
  }

  channelFailed(channel: HostChannel, kind: ChannelStopKind, reason: Reason): void {
    this.record(channel, kind, reason);
    this.notifyFailed(channel);
  }

  // ── Device and host events ──────────────────────────────────────────────────────────────────

  /** The physical device finished a request the VSP submitted on `channel`. */
  deviceCompleted(channel: HostChannel, completion: DeviceCompletion): void {
    if (channel.state !== 'open') return;
    if (this.handlers === null) return;
    this.call(channel, Handler.DeviceCompleted, completion);
  }

  /** Something outside the guest happened for `channel` (a frame arrived, a timer fired…). */
  deliver(channel: HostChannel, event: VspHostEvent): void {
    if (channel.state !== 'open') return;
    if (this.handlers === null) return;
    this.call(channel, Handler.HostEvent, event);
  }

  // ── Calls into the plugin ───────────────────────────────────────────────────────────────────

  private call(channel: HostChannel, handler: Handler, arg: unknown, closing = false): void {
    const ctx = this.callPool.pop() ?? new CallContext();
    ctx.channel = channel;
    ctx.charged = 0;
    ctx.packet = handler === Handler.Packet;
    const outer = this.ctx;
    this.ctx = ctx;
    let failed: Reason | null = null;
    // The sandbox throws PluginLimitError when it stops a plugin (CPU, memory, sizes).
    let kind: ChannelFaultKind = 'plugin-threw';
    const observer = this.observer;
    if (observer !== null) observer.enter(HANDLER_NAMES[handler], channel);
    try {
      this.invoke(channel, handler, arg);
    } catch (e) {
      // Located only now, when the call failed: never per packet.
      const name = HANDLER_NAMES[handler];
      const fn = (this.handlers as unknown as Record<string, unknown>)[name];
      failed = locatedFault(e, name, this.deps.module.locateFault, fn);
      if (PluginLimitError.is(e)) kind = 'plugin-limit';
    } finally {
      this.ctx = outer;
      if (observer !== null) observer.exit();
    }
    this.callsHandled++;
    if (failed !== null) {
      // The handler ran until it failed: the work it charged so far (a sandboxed plugin's
      // measured work, up to its whole CPU budget when it spun) was spent on the root VP anyway.
      const spent = VSP_DISPATCH_NS + ctx.charged;
      this.cpuNs += spent;
      this.deps.cpu.charge(channel.transport.hostVp, spent);
      this.release(ctx);
      if (!closing) this.blame(channel, kind, failed);
      return;
    }
    const cost = VSP_DISPATCH_NS + ctx.charged;
    this.cpuNs += cost;
    channel.hostWork++;
    this.deps.cpu.run(
      channel.transport.hostVp,
      cost,
      WorkClass.Interrupt,
      this.applyEvent,
      ctx,
      channel.id,
    );
  }

  private invoke(channel: HostChannel, handler: Handler, arg: unknown): void {
    const handlers = this.handlers as VspHandlers;
    switch (handler) {
      case Handler.Opened:
        handlers.onChannelOpened?.(channel);
        return;
      case Handler.Packet:
        handlers.onPacket(channel, arg as VspPacket);
        return;
      case Handler.DeviceCompleted:
        handlers.onDeviceCompleted?.(channel, arg as DeviceCompletion);
        return;
      case Handler.HostEvent:
        handlers.onHostEvent?.(channel, arg as VspHostEvent);
        return;
      case Handler.Closed:
        handlers.onChannelClosed?.(channel, arg as 'closed' | 'rescinded' | 'failed');
        return;
    }
  }

  private release(ctx: CallContext): void {
    ctx.channel = null;
    const effects = ctx.effects;
    for (let i = 0; i < ctx.effectCount; i++) effects[i] = NO_EFFECT;
    ctx.effectCount = 0;
    this.callPool.push(ctx);
  }

  private apply(batch: CallContext): void {
    const meter = this.deps.meter;
    const channel = batch.channel as HostChannel;
    channel.hostWork--;
    meter.take();
    const effects = batch.effects;
    for (let i = 0; i < batch.effectCount; i++) {
      if (channel.state !== 'open' && channel.state !== 'closed') break;
      effects[i].apply();
    }
    if (batch.packet) channel.packetDone(meter);
    this.deps.cpu.charge(channel.transport.hostVp, meter.take());
    this.release(batch);
  }

  /** Stops `channel` and records the plugin as the cause. */
  blame(channel: HostChannel, kind: ChannelFaultKind, reason: Reason): void {
    if (channel.state !== 'open') return;
    channel.state = 'failed';
    channel.close();
    this.record(channel, kind, reason);
    this.notifyFailed(channel);
    channel.transport.closeAfterFault(reason);
  }

  /**
   * A failed channel is never closed through {@link close} (it is no longer open), so the plugin
   * hears of it here: `onChannelClosed(channel, 'failed')` lets it drop its per-channel state.
   */
  private notifyFailed(channel: HostChannel): void {
    if (this.handlers?.onChannelClosed === undefined) return;
    this.call(channel, Handler.Closed, 'failed', true);
  }

  private record(channel: HostChannel, kind: ChannelFaultKind, reason: Reason): void {
    this.deps.faults.record({
      time: this.deps.engine.now,
      kind,
      plugin: this.deps.module.id,
      instance: this.deps.instance.id,
      vm: channel.vm,
      device: channel.device,
      channel: channel.id,
      reason: reasonText(reason),
      message: typeof reason === 'string' ? null : reason,
    });
    this.deps.reports.log(
      this.deps.instance.id,
      narrate('vsp.channelStopped', {
        channel: channel.id,
        vm: channel.vm,
        device: channel.device,
        reason,
      }),
    );
  }

  private current(what: string): CallContext {
    if (this.ctx === null) throw new Error(`host.${what} was called outside a handler`);
    return this.ctx;
  }

  private makeHost(): VspHost {
    const { instance, reports, engine } = this.deps;
    return {
      instance: instance.id,
      settings: Object.freeze({ ...instance.settings }),
      device: this.device,
      cpu: {
        charge: (ns: number) => {
          const ctx = this.current('cpu.charge');
          if (!(ns >= 0 && ns < 1e9))
            throw new RangeError(`cpu.charge needs 0 ≤ ns < 1e9, got ${ns}`);
          ctx.charged += ns;
        },
      },
      setTimer: (channel: VspChannel, delayNs: number, tag: number) => {
        const ctx = this.current('setTimer');
        const target = this.own(channel);
        ctx.add({
          apply: () => {
            engine.after(Math.max(0, Math.round(delayNs)), this.timerEvent, {
              channel: target,
              tag,
            });
          },
        });
      },
      reportMemoryPressure: (channel, report) => {
        const ctx = this.current('reportMemoryPressure');
        ctx.add({
          apply: () => {
            reports.memoryPressure(channel, report);
          },
        });
      },
      reportMemoryChange: (channel, change) => {
        const ctx = this.current('reportMemoryChange');
        ctx.add({
          apply: () => {
            reports.memoryChange(channel, change);
          },
        });
      },
      reportHeartbeat: (channel, sequence) => {
        const ctx = this.current('reportHeartbeat');
        ctx.add({
          apply: () => {
            reports.heartbeat(channel, sequence);
          },
        });
      },
      log: (message: string) => {
        reports.log(instance.id, narrate('vsp.pluginLog', { text: message.slice(0, 500) }));
      },
    };
  }

  /** The runtime's own channel object for a channel handle the plugin passed back. */
  own(channel: VspChannel): HostChannel {
    if (channel instanceof HostChannel && channel.owner === this) return channel;
    throw new Error('that channel does not belong to this VSP');
  }
}

/** `vsp.notStarted`'s arguments: `create`'s failure in English and, when it has one, its id. */
function notStarted(failure: VspFailureReason | string | null): ReasonArgs<'vsp.notStarted'> {
  if (failure === null) return { reason: 'unknown' };
  return typeof failure === 'string'
    ? { reason: failure }
    : { reason: vspFailureText(failure), said: failure };
}
