/**
 * One child partition's guest operating system, as far as the model needs it: it boots (and, when
 * its integration components are installed, makes itself enlightened: rule 27), brings up VMBus
 * and lets each device class's stack bind a VSC driver to the offers of its devices, runs its
 * workload's application, and sends each operation down the path the player chose for that device
 * — a synthetic channel, the emulated device in the worker process, or nothing at all.
 */
import type { EventType, Ns } from '../engine/index.js';
import { NS_PER_MS } from '../engine/index.js';
import { WorkClass } from '../host/cpu.js';
import type { DeviceClass, VmSpec } from '../model/index.js';
import type { OfferChannelMessage } from '../vmbus/control/index.js';
import { instanceGuidFor } from '../vmbus/instance-guid.js';
import { Application } from './application.js';
import type { IoStack, RunningOp } from './application.js';
import type { Binding, OfferBinder, VmbusClient } from './vmbus/vmbus-client.js';
import type { Workload } from './workload.js';
import { StorageStack } from './stacks/storage-stack.js';
import { NetworkStack } from './stacks/network-stack.js';
import { VideoStack } from './stacks/video-stack.js';
import { InputStack } from './stacks/input-stack.js';
import type { GuestPaging } from './guest-paging.js';
import type { IntegrationServices } from './integration-services/index.js';
import type {
  DevicePath,
  DeviceStack,
  DeviceStackFactory,
  GuestContext,
  GuestDevice,
} from './stacks/types.js';
import { narrate } from '../simulation/narration-messages.js';
import { reasonText } from '../simulation/narration-reasons.js';
import type { Reason } from '../simulation/narration-reasons.js';

export type { DevicePath, GuestDevice } from './stacks/types.js';

// estimate: firmware and kernel start-up before drivers load, compressed from the seconds a real
// boot takes so that short levels spend their time on the workload (the codex says so).
export const GUEST_BOOT_NS: Ns = 20 * NS_PER_MS;

/** Stacks for the device classes a guest routes. Other issues' stacks register here. */
export const DEVICE_STACKS: Partial<Record<DeviceClass, DeviceStackFactory>> = {
  storage: (ctx) => new StorageStack(ctx),
  network: (ctx) => new NetworkStack(ctx), // rules 19–21: netvsc, VF, legacy 21140
  video: (ctx) => new VideoStack(ctx), // synthvid / emulated S3
  input: (ctx) => new InputStack(ctx), // synthhid / emulated PS/2
};

// estimate: how long the guest waits for its disks and adapters before starting its services
// anyway (a device that never comes — a refused channel — must not hold the workload forever).
export const DEVICE_WAIT_NS: Ns = 200 * NS_PER_MS;

export interface GuestOsDeps extends Omit<GuestContext, 'app' | 'deviceStateChanged'> {
  readonly devices: readonly GuestDevice[];
  readonly workload: Workload;
  /** Performs the enlightenment handshake (rule 27); returns false when it failed. */
  readonly enlighten: () => boolean;
}

// estimate: guest CPU for the OS's own shutdown work once its services have stopped (flush, stop
// drivers) before it closes VMBus, compressed like GUEST_BOOT_NS from the seconds a real guest
// takes.
export const GUEST_SHUTDOWN_NS: Ns = 5 * NS_PER_MS;

export class GuestOs implements IoStack, OfferBinder {
  /** `stopping`: shutting down (integration services' shutdown); `halted`: its VPs stopped. */
  phase: 'off' | 'booting' | 'running' | 'stopping' | 'halted' = 'off';
  /** Defined on the first shutdown (defining it earlier would renumber every later event kind). */
  private shutdownEvent: EventType<() => void> | null = null;
  vmbus: VmbusClient | null = null;
  /** icsvc: heartbeat and balloon drivers, bound to the host's implicit offers (with ICs only). */
  integration: IntegrationServices | null = null;
  /** icsvc: the guest's paging when its working set does not fit its memory. */
  paging: GuestPaging | null = null;
  readonly app: Application;
  private readonly booted: EventType<null>;
  private readonly waitedForDevices: EventType<null>;
  private readonly stacks: Partial<Record<DeviceClass, DeviceStack>> = {};
  private readonly byClass: Partial<Record<DeviceClass, GuestDevice[]>> = {};
  private readonly cursor: Partial<Record<DeviceClass, number>> = {};

  constructor(private readonly deps: GuestOsDeps) {
    this.app = new Application(
      deps.workload,
      deps.vpIds,
      deps.metrics,
      deps.engine,
      deps.cpu,
      this,
      deps.spec.name,
    );
    // Every field named, in one order: built as `{ ...deps, … }`, each VM's context got a hidden
    // class of its own, and the storage stack's reads of it (per I/O) went megamorphic.
    const ctx: GuestContext = {
      engine: deps.engine,
      cpu: deps.cpu,
      partitionId: deps.partitionId,
      vpIds: deps.vpIds,
      spec: deps.spec,
      config: deps.config,
      app: this.app,
      metrics: deps.metrics,
      meter: deps.meter,
      ioBufferPfn: deps.ioBufferPfn,
      ioBufferPages: deps.ioBufferPages,
      emulatedDriver: deps.emulatedDriver,
      log: deps.log,
      deviceStateChanged: () => {
        this.maybeStartApp();
      },
      allocate: deps.allocate,
      wire: deps.wire,
      console: deps.console,
    };
    for (const device of deps.devices) (this.byClass[device.spec.class] ??= []).push(device);
    for (const cls of Object.keys(this.byClass) as DeviceClass[]) {
      const factory = DEVICE_STACKS[cls];
      if (factory !== undefined) this.stacks[cls] = factory(ctx, this.byClass[cls] ?? []);
    }
    this.booted = deps.engine.define<null>(`guest:${deps.spec.name}:booted`, () => {
      this.onBooted();
    });
    this.waitedForDevices = deps.engine.define<null>(`guest:${deps.spec.name}:device-wait`, () => {
      if (!this.app.running && this.phase === 'running') {
        this.deps.log(narrate('guest.devicesLate', {}));
        this.app.start();
      }
    });
  }

  get devices(): readonly GuestDevice[] {
    return this.deps.devices;
  }

  get enlightened(): boolean {
    return this.deps.config.integrationComponents;
  }

  /** The VM's VPs started: the guest boots on VP 0. */
  boot(): void {
    this.phase = 'booting';
    this.deps.cpu.run(this.deps.vpIds[0], GUEST_BOOT_NS, WorkClass.Thread, this.booted, null);
  }

  private onBooted(): void {
    const { meter, cpu, vpIds } = this.deps;
    for (const [cls, stack] of Object.entries(this.stacks) as [DeviceClass, DeviceStack][]) {
      stack.booted(this.byClass[cls] ?? []);
    }
    if (this.enlightened) {
      if (!this.deps.enlighten()) {
        this.deps.log(narrate('guest.handshakeFailed', {}));
      } else if (this.vmbus !== null) {
        meter.take();
        this.vmbus.connect(meter);
        cpu.charge(vpIds[0], meter.take(), WorkClass.Thread);
      }
    }
    this.phase = 'running';
    this.deps.log(narrate('guest.booted', { enlightened: this.enlightened }));
    this.maybeStartApp();
    if (!this.app.running) this.deps.engine.after(DEVICE_WAIT_NS, this.waitedForDevices, null);
  }

  /**
   * Shutdown, as the shutdown integration service asks for it: the application stops taking work
   * and the guest waits for every operation already issued to finish; then, as guest CPU on VP 0,
   * it closes its channels and unloads VMBus (CLOSECHANNEL, GPADL_TEARDOWN, UNLOAD: rules 12, 15),
   * and `halted` runs once UNLOAD_RESPONSE is back — the guest has halted its VPs.
   */
  shutdown(halted: () => void): void {
    if (this.phase === 'stopping' || this.phase === 'halted') return;
    this.phase = 'stopping';
    this.deps.log(narrate('guest.shuttingDown', { inFlight: this.app.inFlight }));
    const { engine, cpu, vpIds, meter } = this.deps;
    this.shutdownEvent ??= engine.define<() => void>(
      `guest:${this.deps.spec.name}:shutdown`,
      (done) => {
        meter.take();
        const finish = (): void => {
          this.halt();
          done();
        };
        if (this.vmbus === null) finish();
        else this.vmbus.unload(meter, finish);
        cpu.charge(vpIds[0], meter.take(), WorkClass.Thread);
      },
    );
    const event = this.shutdownEvent;
    this.app.stop(() => {
      cpu.run(vpIds[0], GUEST_SHUTDOWN_NS, WorkClass.Thread, event, halted);
    });
  }

  /** The guest stops where it stands (shut down, or its partition deleted under it). */
  halt(): void {
    if (this.phase === 'halted') return;
    this.phase = 'halted';
    this.app.stop();
    this.vmbus?.halt();
  }

  /** The workload starts once every routed device has a working (or dead) driver. */
  private maybeStartApp(): void {
    if (this.phase !== 'running' || this.app.running) return;
    const waiting = this.deps.devices.some(
      (d) => d.path !== 'none' && (d.driver === null || (!d.driver.ready && !d.driver.dead)),
    );
    if (!waiting) this.app.start();
  }

  // ── OfferBinder ─────────────────────────────────────────────────────────────────────────────

  bind(offer: OfferChannelMessage): Binding | null {
    const device = this.deps.devices.find(
      (d) => d.path === 'synthetic' && d.instanceGuid === offer.offer.ifInstance,
    );
    // icsvc: offers of no routed device may be integration services (heartbeat, balloon).
    if (device === undefined) return this.integration?.bind(offer) ?? null;
    return this.stacks[device.spec.class]?.bind(device, offer) ?? null;
  }

  lost(offer: OfferChannelMessage, reason: Reason): void {
    const device = this.deps.devices.find((d) => d.instanceGuid === offer.offer.ifInstance);
    // A subchannel repeats its primary's instance GUID: losing it costs the driver one lane, not
    // the device (L: storvsc and netvsc keep working on the channels they still have; only the
    // primary's rescind removes the device, vmbus_onoffer_rescind → vmbus_device_unregister).
    if (device !== undefined && offer.offer.subChannelIndex > 0) return;
    if (device !== undefined && device.failure === '') device.failure = reasonText(reason);
    else if (device === undefined) this.integration?.lost(offer, reason); // icsvc
  }

  offersDone(): void {
    // Drivers start as their channels open.
  }

  // ── IoStack ─────────────────────────────────────────────────────────────────────────────────

  issueCostNs(run: RunningOp): Ns {
    const device = this.deviceFor(run.op.stream.class);
    return device === null ? 0 : (this.stacks[device.spec.class]?.issueCostNs(device) ?? 0);
  }

  receive(run: RunningOp): boolean {
    const device = this.deviceFor(run.op.stream.class);
    if (device === null) return false;
    const stack = this.stacks[device.spec.class];
    if (stack?.receive === undefined) return false;
    run.device = device;
    run.issuedTo = device.spec.id;
    return stack.receive(run, device);
  }

  dispatch(run: RunningOp): void {
    const device = (run.device as GuestDevice | null) ?? this.deviceFor(run.op.stream.class);
    const stack = device === null ? undefined : this.stacks[device.spec.class];
    if (device === null || stack === undefined) {
      this.app.finish(run, false, 0, true);
      return;
    }
    run.issuedTo = device.spec.id;
    stack.dispatch(run, device);
  }

  /** The next working device of a class (round-robin), or the first one when none works. */
  private deviceFor(cls: DeviceClass): GuestDevice | null {
    const list = this.byClass[cls];
    if (list === undefined || list.length === 0) return null;
    const start = this.cursor[cls] ?? 0;
    for (let i = 0; i < list.length; i++) {
      const d = list[(start + i) % list.length];
      if (d.path !== 'none' && d.driver !== null && !d.driver.dead) {
        this.cursor[cls] = (start + i + 1) % list.length;
        return d;
      }
    }
    return list[0];
  }

  /** Builds the device list for a VM from the player's routes. */
  static devicesFor(
    vm: VmSpec,
    routes: {
      synthetic: Map<string, { ringKiB?: number | undefined; signalling: string }>;
      emulated: Map<string, string | undefined>;
    },
  ): GuestDevice[] {
    return vm.devices.map((spec) => {
      const synthetic = routes.synthetic.get(spec.id);
      const path: DevicePath =
        synthetic !== undefined ? 'synthetic' : routes.emulated.has(spec.id) ? 'emulated' : 'none';
      return {
        spec,
        path,
        instanceGuid: instanceGuidFor(vm.name, spec.id),
        ringBytes: (synthetic?.ringKiB ?? (spec.class === 'network' ? 512 : 128)) * 1024,
        lowLatency: synthetic?.signalling !== 'batched',
        backing: routes.emulated.get(spec.id),
        driver: null,
        failure: path === 'none' ? 'not connected' : '',
      };
    });
  }
}
