/**
 * `VspTestHarness`: runs a VSP module against a fake host — channels, a device, guest memory, a
 * step clock — without building a level. It keeps the rules of the real VSP boundary
 * (core/vsp/vsp-runtime.ts): a handler's sends, completions, device requests and failures take
 * effect when it returns, and are dropped if it threw; a throw loses only that channel, blamed on
 * the plugin; guest memory is reachable only through the channel's GPADLs and the current
 * packet's ranges. Unlike the real host it does not model CPU time: effects apply at once.
 */
import type { InputIssue } from '../../../core/model/index.js';
import { DEVICE_CLASS_GUIDS } from '../../../core/model/class-guids.js';
import { locatedFaultReason, safelyLocated } from '../../../core/vsp/plugin-faults.js';
import { stackFrames, stackOf } from '../../fault-location/index.js';
import type {
  DeviceCompletion,
  VspChannel,
  VspDevicePort,
  VspHandlers,
  VspHost,
  VspHostEvent,
  VspModule,
  VspPacket,
} from '../../../core/vsp/types.js';
import type { VspDefinition } from '../define-vsp.js';
import { PluginError, toVspModule } from '../load.js';
import type { ResolvedSettings, SettingsSpec, SettingValue } from '../settings.js';
import { FakeChannel } from './fake-channel.js';
import type { FakeChannelHost, FakeChannelOptions } from './fake-channel.js';
import { fakeDevicePort } from './fake-devices.js';
import type { FakeDeviceHost, FakeDeviceOptions } from './fake-devices.js';
import { FakeGuestMemory } from './fake-memory.js';
import { HarnessError, textOf } from './harness-error.js';
import { copyPacket, PacketBuilder } from './packets.js';
import type {
  DeviceRequestRecord,
  HandlerCall,
  HarnessFault,
  HostReportRecord,
  IsolationRecord,
} from './records.js';
import { StepClock } from './step-clock.js';
import { HARNESS_CALL_TIMEOUT_S, watchedCall, watchedProcess } from './watchdog.js';
import {
  definedAt,
  definedOutsideHyperkata,
  workingDirFaultLocator,
  workingDirFiles,
} from './working-dir-locator.js';

/**
 * How to build a harness.
 *
 * @example
 * ```ts
 * const h = new VspTestHarness(storvsp, {
 *   settings: { queueDepth: 4 },
 *   device: { kind: 'block', latencySteps: 10 },
 * });
 * ```
 */
export interface HarnessOptions<S extends SettingsSpec = SettingsSpec> {
  /**
   * The VSP instance's settings (checked against the plugin's spec; defaults fill the rest). For
   * a definition made with `defineVsp`, typed from its settings: a name it does not declare, or a
   * value of the wrong type, is a type error in the editor, not only a HarnessError at run time.
   */
  readonly settings?: HarnessSettings<S>;
  /** VSP instance name. Default `test-instance`. */
  readonly instance?: string;
  /** The device behind the VSP. Default: a block device for storage, a NIC for network, else none. */
  readonly device?: FakeDeviceOptions;
  /** Pages of fake guest memory. Default 4096 (16 MiB). */
  readonly guestPages?: number;
  /** Nanoseconds per step, for timers a VSP sets. Default 1000. */
  readonly stepNs?: number;
  /** Subchannels the fake VMBus offers at most per primary channel. Default 64. */
  readonly maxSubchannels?: number;
  /**
   * Keep every record (default). `false` keeps only counts and each channel's last completion,
   * for benchmarks that push millions of packets.
   */
  readonly retainRecords?: boolean;
}

/**
 * The settings a harness takes for a VSP whose settings are `S`: each declared one, optional, of
 * its type; for a spec not known to the type checker (a module, a `VspDefinition` without its
 * settings' type), any name and value, checked when the harness is built.
 *
 * @example
 * ```ts
 * const settings: HarnessSettings<{ readOnly: { type: 'boolean'; default: false; description: 'x' } }> =
 *   { readOnly: true };
 * ```
 */
export type HarnessSettings<S extends SettingsSpec> = string extends keyof S
  ? Readonly<Record<string, SettingValue>>
  : { readonly [K in keyof S]?: ResolvedSettings<S>[K] };

interface CallContext {
  readonly channel: FakeChannel;
  charged: number;
  readonly effects: (() => void)[];
}

type HandlerName = HandlerCall['handler'];

/** What a handler was called with, named in the fault when it throws. */
type CallSubject = VspPacket | DeviceCompletion | VspHostEvent;

/** The packet, device completion or host event a handler was handling, as a fault names it. */
function subjectText(subject: CallSubject): string {
  if ('transId' in subject) {
    const ranges = subject.ranges.length;
    const extra = ranges === 0 ? '' : `, ${String(ranges)} page range${ranges === 1 ? '' : 's'}`;
    return `packet trans_id ${String(subject.transId)} (${subject.kind}, ${String(subject.payload.length)} bytes${extra})`;
  }
  if ('status' in subject)
    return `device completion tag ${String(subject.tag)} (${subject.status}, ${String(subject.bytes)} bytes)`;
  return `host event ${subject.type}`;
}

function isModule(value: VspModule | VspDefinition): value is VspModule {
  return 'digest' in value && 'isolation' in value;
}

/**
 * What the harness was given, checked before anything reads it: a test (JavaScript, or one whose
 * import found no default export) may pass anything, and "Cannot use 'in' operator to search for
 * 'digest' in undefined" would not tell its author what is wrong.
 */
function checkGiven(value: unknown): asserts value is VspModule | VspDefinition {
  if (value !== null && typeof value === 'object') return;
  const found =
    value === undefined
      ? 'undefined (does the plugin module have a default export? `export default defineVsp({...})`)'
      : value === null
        ? 'null'
        : typeof value === 'function'
          ? 'a function (pass the definition defineVsp returns, not a function that makes one)'
          : `a ${typeof value}`;
  throw new HarnessError(
    `VspTestHarness: expected a VSP definition (what defineVsp({...}) returns, a plugin module's default export) or a VspModule, found ${found}`,
  );
}

/** How errors about a definition name it: by its id, when it has a readable one. */
/**
 * `load()`, whose refusal of a definition also says where its `defineVsp(` is written, read from
 * the call's stack as a thrown string's fault reads it: `VspTestHarness("acme.tiny-storvsp")
 * (src/index.ts:21:16): deviceClass: expected …` — the field's own line is --plugin's to find
 * (it reads the sources; the harness runs them as they are).
 */
function refusedAtDefinition(definition: VspDefinition, load: () => VspModule): VspModule {
  try {
    return load();
  } catch (e) {
    if (!PluginError.is(e)) throw e;
    let site: string | undefined;
    try {
      site = definedAt(definition, workingDirFiles());
    } catch {
      site = undefined;
    }
    if (site === undefined) throw e;
    const at = site;
    throw new PluginError(
      e.source,
      e.issues.map((i) => (i.at === undefined ? { ...i, at } : i)),
    );
  }
}

function definitionLabel(definition: VspDefinition): string {
  const id = (definition as { id?: unknown }).id;
  return `VspTestHarness(${typeof id === 'string' ? JSON.stringify(id).slice(0, 80) : 'the definition'})`;
}

/**
 * Runs one VSP module against fake channels, a fake device and fake guest memory, synchronously
 * and deterministically.
 *
 * @example
 * ```ts
 * import { VspTestHarness, expectCompletion } from 'hyperkata/sdk/testing';
 * import myVsp from './my-vsp.js';
 *
 * const h = new VspTestHarness(myVsp);
 * const channel = h.openChannel({ vm: 'db01', guestVps: 4 });
 * h.deliver(channel, h.packets.inband(request, { transId: 9 }));
 * h.settle(); // let the fake device complete what the VSP submitted
 * const completion = expectCompletion(channel, 9);
 * ```
 */
export class VspTestHarness<S extends SettingsSpec = SettingsSpec> {
  readonly module: VspModule;
  readonly memory: FakeGuestMemory;
  readonly packets = new PacketBuilder();
  readonly clock = new StepClock();
  readonly stepNs: number;
  /** Every channel opened, in order. */
  readonly channels: FakeChannel[] = [];
  /** Channels the VSP lost, and why (plugin faults and guest violations it reported). */
  readonly faults: HarnessFault[] = [];
  readonly isolationFaults: IsolationRecord[] = [];
  readonly calls: HandlerCall[] = [];
  readonly deviceRequests: DeviceRequestRecord[] = [];
  readonly hostReports: HostReportRecord[] = [];
  readonly logs: string[] = [];
  /** Values passed to `host.cpu.charge` that are not a number in [0, 1e9) (the host throws). */
  readonly invalidCharges: number[] = [];
  /** CPU the VSP charged in total, ns. */
  cpuChargedNs = 0;
  /** Handler calls made in total. */
  callCount = 0;
  /** Why `create` threw, if it did (every channel then fails at open). */
  readonly createFailure: string | undefined;
  readonly host: VspHost;
  readonly device: VspDevicePort;
  private readonly handlers: VspHandlers | null = null;
  private readonly owned = new Set<FakeChannel>();
  private readonly retain: boolean;
  private readonly maxSubchannels: number;
  private readonly offered = new Map<FakeChannel, { offered: number; opened: number }>();
  private ctx: CallContext | null = null;
  private nextChannelId = 1;
  /** The definition given (a module has none): where defineVsp was called, read on a failure. */
  private readonly definition: unknown;

  constructor(moduleOrDefinition: VspModule | VspDefinition<S>, options: HarnessOptions<S> = {}) {
    checkGiven(moduleOrDefinition);
    const locateFault = isModule(moduleOrDefinition) ? undefined : workingDirFaultLocator();
    this.definition = isModule(moduleOrDefinition) ? undefined : moduleOrDefinition;
    this.module = isModule(moduleOrDefinition)
      ? moduleOrDefinition
      : refusedAtDefinition(moduleOrDefinition, () =>
          toVspModule(moduleOrDefinition, {
            source: definitionLabel(moduleOrDefinition),
            // A built-in (or a test of Hyperkata's) may use the reserved namespace; an author's
            // plugin is refused here as --plugin would refuse it, before a level does.
            builtIn: !definedOutsideHyperkata(moduleOrDefinition),
            isolation: 'native',
            digest: 'test',
            // Its sources run natively here: a fault names the file and line in them.
            ...(locateFault === undefined ? {} : { locateFault }),
          }),
        );
    const settings = options.settings ?? {};
    const issues: InputIssue[] = this.module.checkSettings?.(settings, ['settings']) ?? [];
    if (issues.length > 0)
      throw new HarnessError(
        issues
          .map((i) => `${i.path.join('.')}: expected ${i.expected}, found ${i.found}`)
          .join('\n'),
      );
    this.stepNs = options.stepNs ?? 1000;
    this.retain = options.retainRecords ?? true;
    this.maxSubchannels = options.maxSubchannels ?? 64;
    this.memory = new FakeGuestMemory(
      options.guestPages ?? 4096,
      (channel, kind, blame, detail) => {
        this.isolationFaults.push({ channel, kind, blame, detail, step: this.clock.now });
      },
    );
    this.device = fakeDevicePort(options.device ?? defaultDevice(this.module), this.deviceHost());
    this.host = this.makeHost(options.instance ?? 'test-instance', settings);
    try {
      const host = this.host;
      this.handlers = watchedCall(
        () => this.stuckText('create', undefined, undefined),
        () => this.module.create(host),
      );
    } catch (e) {
      this.createFailure = this.thrownReason(e, 'create', undefined);
    }
  }

  /** The current step. */
  get step(): number {
    return this.clock.now;
  }

  // ── Driving the VSP ─────────────────────────────────────────────────────────────────────────

  /** Opens a channel (the guest opened it) and calls `onChannelOpened`. */
  openChannel(options: FakeChannelOptions = {}): FakeChannel {
    const storage = this.module.deviceClass === 'storage';
    const channel = new FakeChannel(
      this.nextChannelId++,
      options.vm ?? 'vm1',
      options.device ?? 'dev0',
      options.classGuid ?? DEVICE_CLASS_GUIDS[this.module.deviceClass],
      options.subchannelIndex ?? 0,
      options.diskBytes ?? (storage ? 1 << 30 : 0),
      options.guestVps ?? 1,
      (ch) => this.memory.channelMemory(ch.id, () => ch.current),
      this.channelHost(),
      this.retain,
    );
    this.channels.push(channel);
    this.owned.add(channel);
    if (this.handlers === null) {
      this.blame(channel, 'plugin-threw', `the VSP failed to start: ${this.createFailure ?? '?'}`);
      return channel;
    }
    const handlers = this.handlers;
    this.call('onChannelOpened', channel, () => {
      handlers.onChannelOpened?.(channel);
    });
    return channel;
  }

  /** Opens the subchannels the VSP offered on `primary` and the test has not opened yet. */
  openSubchannels(primary: FakeChannel): FakeChannel[] {
    const entry = this.offered.get(primary);
    const opened: FakeChannel[] = [];
    if (entry === undefined) return opened;
    while (entry.opened < entry.offered) {
      entry.opened++;
      opened.push(
        this.openChannel({
          vm: primary.vm,
          device: primary.device,
          classGuid: primary.classGuid,
          guestVps: primary.guestVps,
          diskBytes: primary.diskBytes,
          subchannelIndex: entry.opened,
        }),
      );
    }
    return opened;
  }

  /**
   * The guest sends `packet` on `channel`: the VSP gets a copy in `onPacket`. Returns false when
   * the channel is no longer open (nothing is delivered).
   */
  deliver(channel: FakeChannel, packet: VspPacket): boolean {
    this.check(channel);
    if (channel.state !== 'open' || this.handlers === null) return false;
    const handlers = this.handlers;
    const copy = copyPacket(packet);
    if (copy.completionRequested && copy.kind !== 'completion') channel.expect(copy.transId);
    channel.current = copy;
    try {
      this.call(
        'onPacket',
        channel,
        () => {
          handlers.onPacket(channel, copy);
        },
        false,
        copy,
      );
    } finally {
      channel.current = null;
    }
    return true;
  }

  /** The guest closed `channel` (or the host rescinded it): `onChannelClosed`. */
  close(channel: FakeChannel, reason: 'closed' | 'rescinded' = 'closed'): void {
    this.check(channel);
    if (channel.state !== 'open') return;
    channel.state = 'closed';
    const handlers = this.handlers;
    if (handlers === null) return;
    this.call(
      'onChannelClosed',
      channel,
      () => {
        handlers.onChannelClosed?.(channel, reason);
      },
      true,
    );
  }

  /** Something outside the guest happened for `channel`: `onHostEvent`. */
  hostEvent(channel: FakeChannel, event: VspHostEvent): void {
    this.check(channel);
    const handlers = this.handlers;
    if (channel.state !== 'open' || handlers === null) return;
    this.call(
      'onHostEvent',
      channel,
      () => {
        handlers.onHostEvent?.(channel, event);
      },
      false,
      event,
    );
  }

  /** Advances `steps` steps: device completions and timers due meanwhile run in order. */
  advance(steps = 1): void {
    this.clock.advance(steps);
  }

  /**
   * Runs until no device request is outstanding (timers due on the way run too). Returns false
   * if work was still pending after `maxSteps` steps (a VSP that keeps the device busy forever).
   */
  settle(maxSteps = 1_000_000): boolean {
    const limit = this.clock.now + maxSteps;
    for (;;) {
      const next = this.clock.nextStep('device');
      if (next === undefined) return true;
      if (next > limit) return false;
      this.clock.advance(next - this.clock.now);
    }
  }

  /** The completion of `transId` on `channel`, if the VSP sent one. */
  completionFor(channel: FakeChannel, transId: number): Uint8Array | undefined {
    return channel.completions.find((c) => c.transId === transId)?.payload;
  }

  // ── The boundary's rules ────────────────────────────────────────────────────────────────────

  private call(
    handler: HandlerName,
    channel: FakeChannel,
    fn: () => void,
    closing = false,
    subject?: CallSubject,
  ): void {
    const ctx: CallContext = { channel, charged: 0, effects: [] };
    const outer = this.ctx;
    this.ctx = ctx;
    let failed: string | null = null;
    try {
      watchedCall(() => this.stuckText(handler, channel, subject), fn);
    } catch (e) {
      // Located only now, when the call failed (as the real boundary does).
      const own = (this.handlers as unknown as Record<string, unknown> | null)?.[handler];
      failed = `${this.thrownReason(e, handler, own)} — ${this.callText(channel, subject)}`;
    } finally {
      this.ctx = outer;
    }
    this.callCount++;
    this.cpuChargedNs += ctx.charged;
    if (this.retain)
      this.calls.push({ handler, channel: channel.id, chargedNs: ctx.charged, step: this.step });
    if (failed !== null) {
      if (!closing) this.blame(channel, 'plugin-threw', failed);
      return;
    }
    for (const effect of ctx.effects) {
      if (channel.state === 'failed') break;
      effect();
    }
  }

  /**
   * Why a handler (or create) failed, in the sandbox's words and, for a value that is not an Error
   * (which carries no stack, so no line), the file where the plugin's defineVsp was called.
   */
  private thrownReason(thrown: unknown, handler: string, own: unknown): string {
    const reason = locatedFaultReason(thrown, handler, this.module.locateFault, own);
    // An Error names its line; a bundle loaded natively (a module) finds the handler by its text.
    if (stackOf(thrown) !== undefined) return reason;
    if (safelyLocated(this.module.locateFault, thrown, own) !== undefined) return reason;
    let site: string | undefined;
    try {
      site = definedAt(this.definition, workingDirFiles());
    } catch {
      site = undefined;
    }
    const where = site === undefined ? '' : `in ${handler} of the VSP defined at ${site}; `;
    return `${reason} (${where}only an Error has a stack: throw new Error(…) to get the line)`;
  }

  /**
   * What the watchdog says of a call that never returned (computed on this thread, paused where
   * the plugin loops): the handler, the line of the plugin's code, whose call and which test.
   */
  private stuckText(
    handler: string,
    channel: FakeChannel | undefined,
    subject: CallSubject | undefined,
  ): string {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 200;
    const here = new Error('stuck');
    Error.stackTraceLimit = limit;
    const where = safelyLocated(this.module.locateFault, here, undefined);
    const files = workingDirFiles();
    const tests = stackFrames(here.stack ?? '').flatMap((f) => {
      const file = /\.test\.[cm]?[jt]s$/.test(f.file) ? files?.(f.file) : undefined;
      return file === undefined ? [] : [`${file}:${String(f.line)}`];
    });
    const test = tests.at(-1); // the outermost: the test's own function
    const whose = channel === undefined ? this.module.id : this.callText(channel, subject);
    return [
      `VspTestHarness: ${handler} did not return in ${String(watchedProcess()?.timeoutS ?? HARNESS_CALL_TIMEOUT_S)} s — an infinite loop?`,
      `  ${where ?? '(the stack names no line of the plugin’s own)'}`,
      `  ${whose}`,
      ...(test === undefined ? [] : [`  in the test at ${test}`]),
      'The test process was stopped. (`hyperkata run --plugin` stops such a loop in the sandbox and goes on.)',
    ].join('\n');
  }

  /** Whose handler failed, on which channel, handling what: the plugin, the channel, the packet. */
  private callText(channel: FakeChannel, subject: CallSubject | undefined): string {
    const on = `channel ${String(channel.id)} (${channel.vm}/${channel.device})`;
    const what = subject === undefined ? '' : `handling ${subjectText(subject)} on `;
    return `${this.module.id}, ${what}${on}`;
  }

  /** Stops `channel` and records why; the plugin hears of it with `onChannelClosed('failed')`. */
  private blame(channel: FakeChannel, kind: HarnessFault['kind'], reason: string): void {
    if (channel.state !== 'open') return;
    channel.state = 'failed';
    const fault: HarnessFault = { kind, channel: channel.id, reason, step: this.step };
    channel.failure = fault;
    this.faults.push(fault);
    const handlers = this.handlers;
    if (handlers === null) return;
    this.call(
      'onChannelClosed',
      channel,
      () => {
        handlers.onChannelClosed?.(channel, 'failed');
      },
      true,
    );
  }

  private defer(channel: FakeChannel, effect: () => void): boolean {
    if (this.ctx === null) {
      // The plugin's code is on the stack now: say where, as the real boundary does.
      const where = safelyLocated(this.module.locateFault, new Error('misuse'), undefined);
      const reason = 'a channel method was called outside a handler';
      this.blame(channel, 'plugin-misuse', where === undefined ? reason : `${reason} (${where})`);
      return false;
    }
    this.ctx.effects.push(effect);
    return true;
  }

  private current(what: string): CallContext {
    if (this.ctx === null) throw new Error(`host.${what} was called outside a handler`);
    return this.ctx;
  }

  private own(channel: VspChannel): FakeChannel {
    if (channel instanceof FakeChannel && this.owned.has(channel)) return channel;
    throw new Error('that channel does not belong to this VSP');
  }

  private check(channel: FakeChannel): void {
    if (!this.owned.has(channel))
      throw new HarnessError(`channel ${channel.id} was not opened by this harness`);
  }

  private channelHost(): FakeChannelHost {
    const clock = this.clock;
    return {
      defer: (channel, effect) => this.defer(channel, effect),
      get step() {
        return clock.now;
      },
      offerSubchannels: (primary, count) => {
        const entry = this.offered.get(primary) ?? { offered: 0, opened: 0 };
        const n = Math.min(count, this.maxSubchannels - entry.offered);
        entry.offered += Math.max(0, n);
        this.offered.set(primary, entry);
        return Math.max(0, n);
      },
      stop: (channel, kind, reason) => {
        this.blame(channel, kind, reason);
      },
    };
  }

  private deviceHost(): FakeDeviceHost {
    const clock = this.clock;
    return {
      own: (channel) => this.own(channel),
      defer: (channel, effect) => this.defer(channel, effect),
      later: (delaySteps, run) => {
        this.clock.schedule(delaySteps, 'device', run);
      },
      deviceCompleted: (channel, completion: DeviceCompletion) => {
        const handlers = this.handlers;
        if (channel.state !== 'open' || handlers === null) return;
        this.call(
          'onDeviceCompleted',
          channel,
          () => {
            handlers.onDeviceCompleted?.(channel, completion);
          },
          false,
          completion,
        );
      },
      record: (request) => {
        if (this.retain) this.deviceRequests.push(request);
      },
      get step() {
        return clock.now;
      },
    };
  }

  private makeHost(instance: string, settings: Readonly<Record<string, SettingValue>>): VspHost {
    const report = (record: HostReportRecord): void => {
      this.current('report').effects.push(() => {
        this.hostReports.push(record);
      });
    };
    return {
      instance,
      settings: Object.freeze({ ...settings }),
      device: this.device,
      cpu: {
        charge: (ns: number) => {
          const ctx = this.current('cpu.charge');
          if (!(ns >= 0 && ns < 1e9)) {
            this.invalidCharges.push(ns);
            throw new RangeError(`cpu.charge needs 0 ≤ ns < 1e9, got ${String(ns)}`);
          }
          ctx.charged += ns;
        },
      },
      setTimer: (channel, delayNs, tag) => {
        const ctx = this.current('setTimer');
        const target = this.own(channel);
        const delay = Math.max(0, Math.round(delayNs));
        ctx.effects.push(() => {
          this.hostReports.push({ type: 'timer', channel: target.id, delayNs: delay, tag });
          this.clock.schedule(Math.ceil(delay / this.stepNs), 'timer', () => {
            this.hostEvent(target, { type: 'timer', tag });
          });
        });
      },
      reportMemoryPressure: (channel, r) => {
        report({ type: 'memory-pressure', channel: this.own(channel).id, ...r });
      },
      reportMemoryChange: (channel, c) => {
        report({ type: 'memory-change', channel: this.own(channel).id, ...c });
      },
      reportHeartbeat: (channel, sequence) => {
        report({ type: 'heartbeat', channel: this.own(channel).id, sequence });
      },
      log: (message: string) => {
        if (this.retain) this.logs.push(textOf(message));
      },
    };
  }
}

function defaultDevice(module: VspModule): FakeDeviceOptions {
  if (module.deviceClass === 'storage') return { kind: 'block' };
  if (module.deviceClass === 'network') return { kind: 'network' };
  return { kind: 'virtual' };
}
