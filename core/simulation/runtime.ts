/**
 * The composition root: one container with a module per subsystem, resolved once; the objects that
 * depend on the run's configuration (VSP instances, devices, VMs) are built here, after it, with
 * plain constructors. Nothing looks anything up in the container afterwards.
 */
import 'reflect-metadata';
import { Container } from 'inversify';
import { Random, SimEngine } from '../engine/index.js';
import type { EventType } from '../engine/index.js';
import { PhysicalDisk } from '../hardware/disk.js';
import { PhysicalNic } from '../hardware/nic.js';
import { CostMeter, HostCpu } from '../host/cpu.js';
import { InterruptRouter } from '../host/interrupts.js';
import { Hypervisor, hypervisorModule, VMBUS_MESSAGE_SINT, WinHv } from '../hypervisor/index.js';
import { MEMORY_TOKENS, memoryModule } from '../memory/index.js';
import type {
  DynamicMemoryBalancer,
  GpadlTable,
  IsolationFaultLog,
  MemoryManager,
} from '../memory/index.js';
import type { Configuration, Scenario } from '../model/index.js';
import { VmIoMetrics } from '../metrics/vm-metrics.js';
import { Vid } from '../root/vid.js';
import { Vmms } from '../root/vmms.js';
import { schedulerModule, SchedulerTokens } from '../scheduler/index.js';
import type { HypervisorScheduler } from '../scheduler/index.js';
import type { GuestChannel } from '../guest/vmbus/guest-channel.js';
import { MonitorPages } from '../vmbus/monitor.js';
import { VmbusServer } from '../vmbus/server/vmbus-server.js';
import { SynicIo } from '../vmbus/synic-io.js';
import { blockDevicePort, networkPort, virtualDevicePort } from '../vsp/device-ports.js';
import { ChannelFaultLog } from '../vsp/plugin-faults.js';
import { VspRuntime } from '../vsp/vsp-runtime.js';
import type { VspModule } from '../vsp/types.js';
import { Narration } from './event-log.js';
import { engineModule, hostModule, ROOT_PARTITION_ID, settingsModule } from './modules.js';
import { SimTokens } from './tokens.js';
import { VmLauncherImpl } from './vm-launcher.js';
import { Sampler } from './sampler.js';
import { InterceptHandler } from '../root/intercept-handler.js';
import { VirtualSwitch } from '../root/vswitch.js';
import type { PortIo } from '../guest/drivers/legacy/port-io.js';
import { noPastPartitions } from './vm-runtime.js';
import type { VmRuntime } from './vm-runtime.js';
import { VirtualFunctionTable, withVirtualFunctions } from './network-wiring.js';
import { DynamicMemoryHost } from './dynamic-memory-host.js';
import type { NarrationMessage } from './narration-messages.js';

export interface RuntimeInput {
  readonly scenario: Scenario;
  readonly configuration: Configuration;
  readonly vsps: readonly VspModule[];
  readonly seed: number;
}

export class SimulationRuntime {
  readonly engine: SimEngine;
  readonly random: Random;
  readonly scheduler: HypervisorScheduler;
  readonly cpu: HostCpu;
  readonly hv: Hypervisor;
  /** The root's WinHv library: the VID's hypercalls, and the root pages it deposits from. */
  readonly winhv: WinHv;
  readonly memory: MemoryManager;
  readonly gpadls: GpadlTable;
  readonly isolation: IsolationFaultLog;
  readonly balancer: DynamicMemoryBalancer;
  readonly router: InterruptRouter;
  readonly io: SynicIo;
  readonly monitor: MonitorPages;
  readonly server: VmbusServer;
  readonly vmms: Vmms;
  readonly disks: ReadonlyMap<string, PhysicalDisk>;
  readonly nics: ReadonlyMap<string, PhysicalNic>;
  readonly vsps: ReadonlyMap<string, VspRuntime>;
  readonly vms: ReadonlyMap<string, VmRuntime>;
  readonly faults = new ChannelFaultLog();
  readonly narration = new Narration();
  readonly vswitch: VirtualSwitch;
  readonly sampler: Sampler;
  readonly intercepts: InterceptHandler;
  /** Each legacy guest's port I/O, by partition id (intercept completions go back through it). */
  readonly ports = new Map<number, PortIo>();
  readonly rootPartitionId = ROOT_PARTITION_ID;
  /** SR-IOV virtual functions of synthetic network adapters (rule 20); `remove()` hot-removes one. */
  readonly virtualFunctions = new VirtualFunctionTable();
  /** icsvc: the balancer's actions to the guests' balloon drivers, and their answers back. */
  readonly dynamicMemory: DynamicMemoryHost;

  constructor(readonly input: RuntimeInput) {
    const { scenario, configuration } = input;
    const container = new Container();
    container.bind(SimTokens.Scenario).toConstantValue(scenario);
    container.bind(SimTokens.Configuration).toConstantValue(configuration);
    container.bind(SimTokens.VspModules).toConstantValue(input.vsps);
    container.bind(SimTokens.Seed).toConstantValue(input.seed);
    container.load(
      engineModule,
      settingsModule,
      schedulerModule,
      hostModule,
      hypervisorModule,
      memoryModule,
    );

    this.engine = container.get(SimEngine);
    this.random = container.get(Random);
    this.scheduler = container.get(SchedulerTokens.Scheduler);
    this.cpu = container.get(HostCpu);
    this.router = container.get(InterruptRouter);
    this.hv = container.get(Hypervisor);
    const winhv = container.get(WinHv);
    this.winhv = winhv;
    this.memory = container.get<MemoryManager>(MEMORY_TOKENS.memoryManager);
    this.gpadls = container.get<GpadlTable>(MEMORY_TOKENS.gpadlTable);
    this.isolation = container.get<IsolationFaultLog>(MEMORY_TOKENS.isolationFaultLog);
    this.balancer = container.get<DynamicMemoryBalancer>(MEMORY_TOKENS.dynamicMemory);
    this.io = container.get(SynicIo);
    this.monitor = container.get(MonitorPages);
    const meter = container.get(CostMeter);

    const log = (source: string, message: NarrationMessage): void => {
      this.narration.add(this.engine.now, source, message);
    };

    this.disks = new Map(
      scenario.host.disks.map((d) => [
        d.id,
        new PhysicalDisk(d, this.engine, this.random.stream(`disk:${d.id}`)),
      ]),
    );
    this.nics = new Map(scenario.host.nics.map((n) => [n.id, new PhysicalNic(n, this.engine)]));

    this.server = new VmbusServer({
      engine: this.engine,
      cpu: this.cpu,
      winhv,
      io: this.io,
      memory: this.memory,
      gpadls: this.gpadls,
      monitor: this.monitor,
      faults: this.faults,
      rootPartitionId: ROOT_PARTITION_ID,
      rootVps: configuration.host.rootVps,
      hostOs: scenario.host.os,
      onChannelEvent: (e) => {
        log(e.vm, e.message);
      },
      onConnectionEvent: (vm, message) => {
        log(vm, message);
      },
    });
    this.router.register(ROOT_PARTITION_ID, VMBUS_MESSAGE_SINT, this.server);
    this.io.signalObserver = (pid, connectionId) => {
      if (pid !== ROOT_PARTITION_ID) this.server.observeGuestSignal(pid, connectionId);
    };
    this.vswitch = new VirtualSwitch(this.engine, this.nics);
    this.intercepts = new InterceptHandler(
      this.engine,
      this.cpu,
      this.hv,
      this.io,
      ROOT_PARTITION_ID,
      {
        completed: (pid, vp, value) => {
          this.ports.get(pid)?.completed(vp, value);
        },
      },
    );
    this.router.register(ROOT_PARTITION_ID, 0, this.intercepts);

    const vms = new Map<string, VmRuntime>();
    this.vms = vms;
    this.dynamicMemory = new DynamicMemoryHost({
      engine: this.engine,
      memory: this.memory,
      balancer: this.balancer,
      vms,
      vsps: () => this.vsps,
      log,
    });
    this.vmms = new Vmms(
      this.engine,
      this.cpu,
      ROOT_PARTITION_ID,
      {
        launch: (vm, m) => launcher.launch(vm, m),
        boot: (vm) => {
          launcher.boot(vm);
        },
        setPaused: (vm, paused) => {
          launcher.setPaused(vm, paused);
        },
        shutdownRefusal: (vm) => launcher.shutdownRefusal(vm),
        shutdown: (vm, halted) => {
          launcher.shutdown(vm, halted);
        },
        teardown: (vm, m) => launcher.teardown(vm, m),
        holdForSave: (vm, held) => {
          launcher.holdForSave(vm, held);
        },
        hostQuiet: (vm) => launcher.hostQuiet(vm),
        residentPages: (vm) => launcher.residentPages(vm),
        saveMemory: (vm) => launcher.saveMemory(vm),
        restoreMemory: (vm) => launcher.restoreMemory(vm),
        savedMiB: (vm) => launcher.savedMiB(vm),
      },
      meter,
      scenario.vms.map((spec) => ({
        spec,
        config: configuration.vms[spec.name],
      })),
      (message) => {
        log('VMMS', message);
      },
    );
    for (const managed of this.vmms.vms)
      vms.set(managed.spec.name, {
        managed,
        metrics: new VmIoMetrics(),
        guest: null,
        worker: null,
        vpIds: [],
        past: noPastPartitions(),
      });

    this.vsps = this.buildVsps(input, log);
    this.sampler = new Sampler(this.engine, this.scheduler, this.server, vms, ROOT_PARTITION_ID);

    const packetDoneMeter = new CostMeter();
    const guestPacketDone: EventType<GuestChannel> = this.engine.define<GuestChannel>(
      'guest:packet-done',
      (channel) => {
        const m = packetDoneMeter;
        m.take();
        channel.packetDone(m);
        this.cpu.charge(channel.transport.targetVp, m.take());
      },
    );

    const launcher = new VmLauncherImpl({
      engine: this.engine,
      random: this.random,
      cpu: this.cpu,
      scheduler: this.scheduler,
      hv: this.hv,
      vid: new Vid(winhv),
      memory: this.memory,
      router: this.router,
      io: this.io,
      monitor: this.monitor,
      server: this.server,
      configuration,
      vsps: this.vsps,
      vms,
      disks: this.disks,
      nics: this.nics,
      vswitch: this.vswitch,
      intercepts: this.intercepts,
      ports: this.ports,
      guestPacketDone,
      meter,
      log,
      vfs: this.virtualFunctions,
      dynamicMemory: this.dynamicMemory,
    });
  }

  private buildVsps(
    input: RuntimeInput,
    log: (source: string, message: NarrationMessage) => void,
  ): Map<string, VspRuntime> {
    const out = new Map<string, VspRuntime>();
    const modules = new Map(input.vsps.map((m) => [m.id, m]));
    for (const instance of input.configuration.vsps) {
      const module = modules.get(instance.plugin);
      if (module === undefined) continue; // refused before the run by parseConfiguration
      const disk = instance.device === undefined ? undefined : this.disks.get(instance.device);
      const nic = instance.device === undefined ? undefined : this.nics.get(instance.device);
      const runtime = new VspRuntime({
        engine: this.engine,
        cpu: this.cpu,
        meter: new CostMeter(),
        module,
        instance,
        device: (rt) =>
          module.deviceClass === 'storage' && disk !== undefined
            ? blockDevicePort(rt, disk, this.engine)
            : module.deviceClass === 'network' && nic !== undefined
              ? withVirtualFunctions(networkPort(rt, nic, this.engine), this.virtualFunctions)
              : virtualDevicePort(instance.id),
        faults: this.faults,
        reports: {
          memoryPressure: (channel, report) => {
            this.dynamicMemory.pressure(channel, report); // icsvc
          },
          memoryChange: (channel, change) => {
            this.dynamicMemory.change(channel, change); // icsvc
          },
          heartbeat: (channel) => {
            this.vmms.heartbeat(channel.vm);
          },
          log,
        },
      });
      out.set(instance.id, runtime);
    }
    return out;
  }

  /** The VM name of a partition id (or "root"). */
  vmNameOf(partitionId: number): string {
    if (partitionId === this.rootPartitionId) return 'root';
    for (const [name, vm] of this.vms) if (vm.managed.partitionId === partitionId) return name;
    return `partition ${partitionId}`;
  }

  /** Starts the run: VMMS schedules every VM's start; the sampler starts reading. */
  start(): void {
    this.vmms.scheduleStarts();
    this.vmms.scheduleActions();
    this.sampler.start();
    // icsvc: the balancer's 1 Hz rounds, when some VM uses Dynamic Memory (rule 34).
    this.dynamicMemory.start(
      Object.values(this.input.configuration.vms).some((vm) => vm.memory.dynamic),
    );
  }
}
