/**
 * What a VM's worker process and the VID do when VMMS starts the VM: create the partition and its
 * VPs (hypercalls through WinHv), give it memory, register its VPs with the scheduler, offer a
 * VMBus channel for every device routed to a VSP, install the intercepts its emulated devices need
 * (generation 1 only, rule 21), and build the guest OS that will boot on it.
 */
import type { Random, SimEngine } from '../engine/index.js';
import type { CostMeter, HostCpu } from '../host/cpu.js';
import type { InterruptRouter } from '../host/interrupts.js';
import { GuestOs } from '../guest/guest-os.js';
import {
  GEN1_EMULATED_DEVICE_PORTS,
  enlightenedBoot,
  HYPERVISOR_CALLBACK_VECTOR,
  LINUX_6_1_GUEST_OS_ID,
  LINUX_VMBUS_SINT_AUTO_EOI,
  VMBUS_MESSAGE_SINT,
  WINDOWS_SERVER_2016_GUEST_OS_ID,
} from '../hypervisor/index.js';
import type { Hypervisor } from '../hypervisor/index.js';
import { mibToPages, pagesToMib } from '../memory/index.js';
import type { MemoryManager } from '../memory/index.js';
import { offerClassGuid } from '../model/index.js';
import type { Configuration } from '../model/index.js';
import type { HypervisorScheduler } from '../scheduler/index.js';
import type { Vid } from '../root/vid.js';
import type { ManagedVm, VmLauncher } from '../root/vmms.js';
import { VmbusClient } from '../guest/vmbus/vmbus-client.js';
import type { GuestChannel } from '../guest/vmbus/guest-channel.js';
import type { EventType } from '../engine/index.js';
import { CostMeter as Meter } from '../host/cpu.js';
import type { MonitorPages } from '../vmbus/monitor.js';
import type { OfferSpec } from '../vmbus/server/server-channel.js';
import type { VmbusServer } from '../vmbus/server/vmbus-server.js';
import type { SynicIo } from '../vmbus/synic-io.js';
import type { VspRuntime } from '../vsp/vsp-runtime.js';
import { Workload } from '../guest/workload.js';
import { GUEST_BOOT_NS } from '../guest/guest-os.js';
import { HostileGuest } from '../guest/hostile.js';
import type { VmRuntime } from './vm-runtime.js';
import type { PhysicalDisk } from '../hardware/disk.js';
import type { PhysicalNic } from '../hardware/nic.js';
import type { VirtualSwitch } from '../root/vswitch.js';
import type { InterceptHandler } from '../root/intercept-handler.js';
import { PortIo } from '../guest/drivers/legacy/port-io.js';
import { WorkerProcess } from '../root/vmwp/worker-process.js';
import { EMULATED_DEVICES, guestRamOf } from '../root/vmwp/registry.js';
import { VirtualIrq } from '../root/vmwp/virtual-irq.js';
import type { DeviceDriver, GuestContext, GuestDevice } from '../guest/stacks/types.js';
import type { VmIoMetrics } from '../metrics/vm-metrics.js';
import type { GuestDma } from '../root/vmwp/registry.js';
import { networkWireFor, SyntheticAdapterPort } from './network-wiring.js';
import type { VirtualFunctionTable } from './network-wiring.js';
import { VmConsole } from '../root/vmwp/console.js';
import { VramAperture } from '../root/vmwp/s3-vram.js';
import { GuestPaging } from '../guest/guest-paging.js';
import { IntegrationServices } from '../guest/integration-services/index.js';
import type { DynamicMemoryHost } from './dynamic-memory-host.js';
import { integrationServiceOffers } from './integration-offers.js';
import { narrate } from './narration-messages.js';
import { because } from './narration-reasons.js';
import type { Reason } from './narration-reasons.js';
import { SuspendReason } from '../scheduler/index.js';
import type { NarrationMessage } from './narration-messages.js';

const IO_BUFFER_PAGES = 2048;

/** The root VP a worker process's device-emulation thread runs on. */
const WORKER_ROOT_VP = 0;
export interface LauncherDeps {
  readonly engine: SimEngine;
  readonly random: Random;
  readonly cpu: HostCpu;
  readonly scheduler: HypervisorScheduler;
  readonly hv: Hypervisor;
  readonly vid: Vid;
  readonly memory: MemoryManager;
  readonly router: InterruptRouter;
  readonly io: SynicIo;
  readonly monitor: MonitorPages;
  readonly server: VmbusServer;
  readonly configuration: Configuration;
  readonly vsps: ReadonlyMap<string, VspRuntime>;
  readonly vms: ReadonlyMap<string, VmRuntime>;
  readonly disks: ReadonlyMap<string, PhysicalDisk>;
  readonly nics: ReadonlyMap<string, PhysicalNic>;
  readonly vswitch: VirtualSwitch;
  readonly intercepts: InterceptHandler;
  readonly ports: Map<number, PortIo>;
  readonly guestPacketDone: EventType<GuestChannel>;
  readonly meter: CostMeter;
  readonly log: (source: string, message: NarrationMessage) => void;
  /** SR-IOV virtual functions of synthetic network adapters (rule 20). */
  readonly vfs: VirtualFunctionTable;
  /** icsvc: puts dynamic VMs under the memory balancer. */
  readonly dynamicMemory: DynamicMemoryHost;
}

export class VmLauncherImpl implements VmLauncher {
  constructor(private readonly deps: LauncherDeps) {}

  launch(vm: ManagedVm, meter: CostMeter): string | null {
    const d = this.deps;
    const name = vm.spec.name;
    const runtime = d.vms.get(name);
    if (runtime === undefined) return 'unknown VM';
    const vpCount = vm.config.processor.count;
    const created = d.vid.createPartition(vpCount, meter);
    if (!('partitionId' in created)) return created.message;
    const pid = created.partitionId;
    vm.partitionId = pid;

    const memory = vm.config.memory;
    const mem = d.memory.createPartition({
      partition: pid,
      startupPages: mibToPages(memory.startupMiB),
      maximumPages: mibToPages(memory.dynamic ? memory.maximumMiB : memory.startupMiB),
    });
    if (!mem.ok)
      return this.abandon(
        vm,
        meter,
        `not enough host memory for ${memory.startupMiB} MiB: ${mem.error.message}`,
      );
    if (memory.dynamic) d.dynamicMemory.enable(name, pid, memory); // icsvc: rule 34
    // Everything that can fail comes before the scheduler takes the VPs, so a failed start has
    // only the partition and its memory to give back.
    const buffer = d.memory.allocate(pid, IO_BUFFER_PAGES, { backing: 'sparse' });
    if (!buffer.ok)
      return this.abandon(
        vm,
        meter,
        `the guest could not allocate its I/O buffers: ${buffer.error.message}`,
      );

    const cpuPartition = d.scheduler.addPartition({
      partitionId: pid,
      name,
      vpCount,
      controls: {
        weight: vm.config.processor.weight,
        reservePercent: vm.config.processor.reservePercent,
        limitPercent: vm.config.processor.limitPercent,
      },
    });
    d.cpu.registerPartition(pid, cpuPartition.vps);
    runtime.vpIds = cpuPartition.vps;

    const routes = this.routesOf(name);
    const devices = GuestOs.devicesFor(vm.spec, routes);

    const worker = new WorkerProcess(name);
    runtime.worker = worker;
    d.intercepts.register(pid, worker);
    // video, input: the VM's console (vmconnect) in its worker process.
    const console = new VmConsole(
      d.engine,
      d.cpu,
      d.cpu.vp(d.cpu.scheduler.root.partitionId, 0),
      name,
    );
    const emulatedDriver = this.emulation(vm, pid, devices, worker, meter, console);

    const workload = new Workload(
      vm.spec.workload,
      d.random.stream(`workload:${name}`),
      d.random.stream(`workload:${name}:bursts`),
      d.engine.now + GUEST_BOOT_NS,
      new Set(vm.spec.devices.map((dev) => dev.class)),
    );
    const guestMeter = new Meter();
    const guest = new GuestOs({
      engine: d.engine,
      cpu: d.cpu,
      partitionId: pid,
      vpIds: cpuPartition.vps,
      spec: vm.spec,
      config: vm.config,
      devices,
      workload,
      metrics: runtime.metrics,
      enlighten: () => this.enlighten(pid, vm),
      ioBufferPfn: buffer.value.pfn,
      ioBufferPages: IO_BUFFER_PAGES,
      emulatedDriver,
      console,
      meter: guestMeter,
      log: (message) => {
        d.log(name, message);
      },
      // Network issue: the guest kernel's allocator (NetVSC buffers, 21140 rings) and the wire.
      allocate: (pages, backing) => {
        const r = d.memory.allocate(pid, pages, { backing });
        return r.ok ? r.value : null;
      },
      wire: networkWireFor({ vm: name, vswitch: d.vswitch, vfs: d.vfs, metrics: runtime.metrics }),
    });
    runtime.guest = guest;
    this.attachMemoryAndIntegrationServices(vm, pid, guest, workload, runtime, guestMeter);

    if (vm.config.integrationComponents) {
      const client = new VmbusClient(
        {
          engine: d.engine,
          cpu: d.cpu,
          io: d.io,
          memory: d.memory,
          monitor: d.monitor,
          partitionId: pid,
          vpCount,
          binder: guest,
          afterPacket: d.guestPacketDone,
          sendWait: runtime.metrics.sendWait,
        },
        () => new Meter(),
      );
      guest.vmbus = client;
      d.router.register(pid, VMBUS_MESSAGE_SINT, client);
      const offers: OfferSpec[] = [];
      for (const route of d.configuration.channels) {
        if (route.vm !== name) continue;
        const device = devices.find((dev) => dev.spec.id === route.device);
        const vsp = d.vsps.get(route.vsp);
        if (device === undefined || vsp === undefined) continue;
        if (device.spec.class === 'network')
          this.attachSyntheticAdapter(name, device.spec.id, vsp, runtime.metrics);
        if (device.spec.class === 'input') console.attachSynthetic(device.spec.id, vsp);
        offers.push({
          deviceClass: device.spec.class,
          // HV_IDE_GUID for a generation 1 VM's boot disk (the IDE accelerator), else its class's.
          classGuid: offerClassGuid(vm.spec, device.spec),
          device: device.spec.id,
          instanceGuid: device.instanceGuid,
          vsp,
          signalling: route.signalling,
          ringBytes: device.ringBytes,
          diskBytes: (device.spec.sizeGiB ?? 0) * 1024 * 1024 * 1024,
        });
      }
      // icsvc: heartbeat and Dynamic Memory are offered without a route.
      offers.push(...integrationServiceOffers(name, vm.config, d.vsps));
      d.server.attachChild({ partitionId: pid, name, vpCount, offers }, meter);
    }
    return null;
  }

  /**
   * A start that failed: the worker process and the VID give back what they took — the
   * partition's memory (its Dynamic Memory and GPADLs with it), then the partition itself
   * (HvCallFinalizePartition, withdraw its deposited pages, HvCallDeletePartition) — so the VM is
   * Off with no partition, as VMMS shows it. Returns `error` for VMMS to report.
   */
  private abandon(vm: ManagedVm, meter: CostMeter, error: string): string {
    const pid = vm.partitionId;
    this.deps.memory.destroyPartition(pid);
    this.deps.vid.destroy(pid, meter);
    vm.partitionId = 0;
    return error;
  }

  /** Suspend-VM / Resume-VM: the scheduler holds (or releases) every VP of the VM. */
  setPaused(vm: ManagedVm, paused: boolean): void {
    const d = this.deps;
    for (const vp of d.vms.get(vm.spec.name)?.vpIds ?? []) {
      if (paused) d.scheduler.suspend(vp, SuspendReason.VmPaused);
      else d.scheduler.resume(vp, SuspendReason.VmPaused);
    }
  }

  /**
   * Save-VM (true) holds every VP of the VM for the save (a paused VM's hold becomes the save's);
   * restore (false) releases them: the guest runs on where it was.
   */
  holdForSave(vm: ManagedVm, held: boolean): void {
    const d = this.deps;
    for (const vp of d.vms.get(vm.spec.name)?.vpIds ?? []) {
      if (held) {
        d.scheduler.suspend(vp, SuspendReason.VmSaved);
        d.scheduler.resume(vp, SuspendReason.VmPaused);
      } else d.scheduler.resume(vp, SuspendReason.VmSaved);
    }
  }

  /**
   * Whether the host has finished what it had in flight for the VM (quiesced): no VSP handler
   * call still to run and no device request outstanding on any of its open channels, and no
   * guest work in progress in its worker process's emulated devices.
   */
  hostQuiet(vm: ManagedVm): boolean {
    for (const vsp of this.deps.vsps.values())
      for (const ch of vsp.channels)
        if (ch.vm === vm.spec.name && ch.state === 'open' && ch.hostWork > 0) return false;
    // The worker process's emulated devices too: an IDE transfer in flight finishes first.
    return this.deps.vms.get(vm.spec.name)?.worker?.busy() !== true;
  }

  /** Pages of host memory the VM's partition holds now (what a save writes). */
  residentPages(vm: ManagedVm): number {
    return this.deps.memory.partition(vm.partitionId)?.assignedPages ?? 0;
  }

  /** Save-VM's end: the partition's host memory goes back to the host; MiB freed. */
  saveMemory(vm: ManagedVm): number {
    return Math.round(pagesToMib(this.deps.memory.saveOut(vm.partitionId)));
  }

  /** Restore: host memory backs the saved partition again; an error when the host is short. */
  restoreMemory(vm: ManagedVm): { mib: number } | { error: string } {
    const r = this.deps.memory.restoreIn(vm.partitionId);
    return r.ok ? { mib: Math.round(pagesToMib(r.value)) } : { error: r.error.message };
  }

  /** Pages the saved VM needs back (0 when not saved). */
  savedMiB(vm: ManagedVm): number {
    return Math.round(pagesToMib(this.deps.memory.partition(vm.partitionId)?.savedPages ?? 0));
  }

  /**
   * Why the guest cannot be asked to shut down, or null when it can: its shutdown integration
   * service needs integration components and a connected VMBus (the model does not offer a
   * channel of its own for it: see docs/fidelity.md).
   */
  shutdownRefusal(vm: ManagedVm): Reason | null {
    if (!vm.config.integrationComponents) return because('vm.noShutdownService', {});
    const guest = this.deps.vms.get(vm.spec.name)?.guest;
    if (guest?.vmbus?.state !== 'connected' || guest.phase !== 'running')
      return because('vm.shutdownServiceNotReady', {});
    return null;
  }

  /** Stop-VM: the guest shuts itself down; `halted` runs when it has (UNLOAD answered). */
  shutdown(vm: ManagedVm, halted: () => void): void {
    this.deps.vms.get(vm.spec.name)?.guest?.shutdown(halted);
  }

  /**
   * The partition goes (turned off, or shut down): the guest stops where it stands, the VMBus
   * server closes whatever channel is still open on the host side (its VSP drops what it had in
   * flight), the VM's adapters leave the virtual switch, the scheduler holds its VPs for good,
   * and the VID deletes the partition after its memory goes back (GPADLs, Dynamic Memory with
   * it) — as {@link abandon} does for a failed start. The VM can start again: a fresh boot.
   */
  teardown(vm: ManagedVm, meter: CostMeter): { freedMiB: number; channels: number } {
    const d = this.deps;
    const pid = vm.partitionId;
    const runtime = d.vms.get(vm.spec.name);
    if (pid === 0 || runtime === undefined) return { freedMiB: 0, channels: 0 };
    const freeBefore = d.memory.host.freePages;
    this.keepCounters(runtime, pid);
    runtime.guest?.halt();
    runtime.worker?.stop();
    const channels = d.server.detachChild(pid, because('vm.turnedOff', {}));
    for (const device of vm.spec.devices)
      if (device.class === 'network') d.vswitch.detach(vm.spec.name, device.id);
    d.ports.delete(pid);
    if (runtime.vpIds.length > 0) d.scheduler.removePartition(pid);
    d.memory.destroyPartition(pid);
    d.vid.destroy(pid, meter);
    runtime.guest = null;
    runtime.worker = null;
    runtime.vpIds = [];
    vm.partitionId = 0;
    const freedMiB = Math.round(pagesToMib(d.memory.host.freePages - freeBefore));
    return { freedMiB, channels };
  }

  /** The report still counts what a partition did once it is deleted (its counters go with it). */
  private keepCounters(runtime: VmRuntime, pid: number): void {
    const d = this.deps;
    const past = runtime.past;
    if (runtime.vpIds.length > 0) {
      const cpu = d.scheduler.partitionMetrics(pid);
      past.runNs += cpu.runNs;
      past.readyNs += cpu.readyNs;
    }
    past.interrupts += d.router.interrupts[pid] ?? 0;
    const c = d.hv.counters().find((x) => x.partitionId === pid);
    if (c !== undefined) {
      past.hypercalls += Object.values(c.hypercalls).reduce((a, b) => a + b, c.otherHypercalls);
      past.intercepts += c.interceptsDelivered;
    }
  }

  /**
   * Network issue (rules 19, 20): a synthetic adapter's port on the virtual switch, through the
   * NIC its VSP instance drives, and its virtual function when that NIC has SR-IOV.
   */
  private attachSyntheticAdapter(
    vm: string,
    device: string,
    vsp: VspRuntime,
    metrics: VmIoMetrics,
  ): void {
    const d = this.deps;
    const nic = vsp.device.kind === 'network' ? d.nics.get(vsp.device.id) : undefined;
    if (nic === undefined) return;
    const vf = nic.spec.sriov ? d.vfs.add(vm, device, nic) : null;
    d.vswitch.attach(vm, device, nic.id, new SyntheticAdapterPort(vm, device, vsp, vf, metrics));
  }

  /**
   * icsvc: the guest's paging (every guest: static memory below demand pages too) and, with
   * integration components, its heartbeat and balloon drivers.
   */
  private attachMemoryAndIntegrationServices(
    vm: ManagedVm,
    pid: number,
    guest: GuestOs,
    workload: Workload,
    runtime: VmRuntime,
    meter: CostMeter,
  ): void {
    const d = this.deps;
    const name = vm.spec.name;
    const memory = () => d.memory.partition(pid);
    const paging = new GuestPaging({
      engine: d.engine,
      cpu: d.cpu,
      name,
      vpIds: runtime.vpIds,
      memory,
      workload,
      app: guest.app,
      metrics: runtime.metrics,
      devices: guest.devices,
      meter,
    });
    guest.paging = paging;
    paging.start(workload.startAt);
    if (!vm.config.integrationComponents) return;
    guest.integration = new IntegrationServices({
      engine: d.engine,
      cpu: d.cpu,
      threadVp: runtime.vpIds[0],
      name,
      family: vm.spec.os.family,
      memory,
      committedMiB: () => paging.currentDemandMiB(),
      log: (message) => {
        d.log(name, message);
      },
    });
  }

  boot(vm: ManagedVm): void {
    const runtime = this.deps.vms.get(vm.spec.name);
    runtime?.guest?.boot();
    const hostile = vm.spec.hostile;
    const guest = runtime?.guest;
    if (hostile !== undefined && runtime !== undefined && guest !== undefined && guest !== null) {
      const d = this.deps;
      const behaviour = new HostileGuest({
        engine: d.engine,
        cpu: d.cpu,
        vpId: runtime.vpIds[0],
        spec: hostile,
        random: d.random.stream(`hostile:${vm.spec.name}`),
        meter: new Meter(),
        channels: () => guest.vmbus?.channels() ?? [],
        log: (message) => {
          d.log(vm.spec.name, message);
        },
      });
      behaviour.start(d.engine.now + GUEST_BOOT_NS);
    }
    if (vm.spec.workload.kind === 'batch' && runtime !== undefined) {
      for (const vp of runtime.vpIds) this.deps.scheduler.setBackground(vp, true);
    }
  }

  /**
   * Generation 1 VMs with emulated routes: intercept the legacy ports (rule 21), put each device's
   * model in the worker process, and return the factory for the guest's legacy drivers.
   */
  private emulation(
    vm: ManagedVm,
    pid: number,
    devices: readonly GuestDevice[],
    worker: WorkerProcess,
    meter: CostMeter,
    console: VmConsole,
  ): (ctx: GuestContext, device: GuestDevice) => DeviceDriver | null {
    const d = this.deps;
    const emulated = devices.filter((dev) => dev.path === 'emulated');
    if (vm.spec.generation !== 1 || emulated.length === 0) return () => null;
    d.vid.installIntercepts(pid, GEN1_EMULATED_DEVICE_PORTS, meter);
    const vpIds =
      d.cpu.vpCount(pid) > 0
        ? Array.from({ length: d.cpu.vpCount(pid) }, (_, i) => d.cpu.vp(pid, i))
        : [];
    const ports = new PortIo(d.engine, d.cpu, d.hv, pid, vpIds);
    d.ports.set(pid, ports);
    // The VID tells the hypervisor which root VP takes this partition's intercepts: the one the
    // worker process's thread runs on.
    const rootVpIndex = WORKER_ROOT_VP;
    d.hv.setInterceptHandlerVp(pid, rootVpIndex);
    const irqs = new Map<string, VirtualIrq>();
    // The worker's mapping of guest memory, for the devices' bus-master DMA.
    const dma: GuestDma = {
      read: (gpa, dest) => d.memory.readGuest(pid, gpa, dest),
      write: (gpa, src) => {
        const p = d.memory.partition(pid);
        if (p === undefined || !Number.isSafeInteger(gpa) || gpa < 0 || src.length === 0)
          return false;
        const first = Math.floor(gpa / 4096);
        if (!p.isBacked(first, Math.floor((gpa + src.length - 1) / 4096) - first + 1)) return false;
        p.bytes.writeBytes(gpa, src, 0, src.length);
        return true;
      },
    };
    const classIndexOf = (device: GuestDevice): number =>
      emulated.filter((e) => e.spec.class === device.spec.class).indexOf(device);
    // emulation: the worker process maps guest RAM (DMA) and each device's VRAM.
    const ram = guestRamOf(d.memory, pid);
    const vrams = new Map<string, VramAperture>();
    for (const device of emulated) {
      const kind = EMULATED_DEVICES[device.spec.class];
      if (kind === undefined) continue;
      const irq = new VirtualIrq(d.engine, d.cpu, vpIds[0], `${vm.spec.name}:${device.spec.id}`);
      irqs.set(device.spec.id, irq);
      const vram = kind.vramBytes === undefined ? null : new VramAperture(kind.vramBytes);
      if (vram !== null) vrams.set(device.spec.id, vram);
      worker.add(
        kind.model({
          engine: d.engine,
          cpu: d.cpu,
          random: d.random,
          vm: vm.spec.name,
          partitionId: pid,
          rootPartitionId: d.cpu.scheduler.root.partitionId,
          rootVpIndex,
          device,
          disk: device.backing === undefined ? undefined : d.disks.get(device.backing),
          nic: device.backing === undefined ? undefined : d.nics.get(device.backing),
          vswitch: d.vswitch,
          irq,
          log: (message) => {
            d.log(`${vm.spec.name} VMWP`, message);
          },
          ram,
          vram,
          console,
          classIndex: classIndexOf(device), // network: the legacy adapter's PCI function
          dma,
        }),
      );
    }
    // Intercept the ports of models that live outside the fixed Gen1 ranges (the legacy network
    // adapter's PCI I/O BAR).
    const extra = worker.devices
      .flatMap((m) => m.ports)
      .filter((r) => !GEN1_EMULATED_DEVICE_PORTS.some((g) => r.base >= g.base && r.end <= g.end));
    if (extra.length > 0) d.vid.installIntercepts(pid, extra, meter);
    const allocate = (pages: number) => {
      const r = d.memory.allocate(pid, pages, { backing: 'dense' });
      return r.ok ? r.value : null;
    };
    return (ctx, device) => {
      const kind = EMULATED_DEVICES[device.spec.class];
      const irq = irqs.get(device.spec.id);
      const vram = vrams.get(device.spec.id) ?? null;
      return kind === undefined || irq === undefined
        ? null
        : kind.driver(
            { ...ctx, ports, irq, allocate, vram, classIndex: classIndexOf(device) },
            device,
          );
    };
  }

  private routesOf(name: string): {
    synthetic: Map<string, { ringKiB?: number | undefined; signalling: string }>;
    emulated: Map<string, string | undefined>;
  } {
    const synthetic = new Map<string, { ringKiB?: number | undefined; signalling: string }>();
    for (const c of this.deps.configuration.channels)
      if (c.vm === name) synthetic.set(c.device, { ringKiB: c.ringKiB, signalling: c.signalling });
    const emulated = new Map<string, string | undefined>();
    for (const e of this.deps.configuration.emulated)
      if (e.vm === name) emulated.set(e.device, e.backing);
    return { synthetic, emulated };
  }

  /** The guest's side of rule 27: CPUID, guest OS id, hypercall page, SynIC on every VP. */
  private enlighten(pid: number, vm: ManagedVm): boolean {
    const d = this.deps;
    const result = enlightenedBoot(d.hv, pid, {
      guestOsId:
        vm.spec.os.family === 'linux' ? LINUX_6_1_GUEST_OS_ID : WINDOWS_SERVER_2016_GUEST_OS_ID,
      hypercallPageNumber: 0x10n,
      sints: [
        {
          sint: VMBUS_MESSAGE_SINT,
          vector: HYPERVISOR_CALLBACK_VECTOR,
          // A Linux guest takes VMBus interrupts with auto-EOI (no EOI write); the model does not
          // know what a Windows guest asks for, so it leaves the bit clear there.
          autoEoi: vm.spec.os.family === 'linux' && LINUX_VMBUS_SINT_AUTO_EOI,
        },
      ],
      synicPageBase: 0x20n,
    });
    for (const [vp, ns] of result.costNsByVp) d.cpu.charge(d.cpu.vp(pid, vp), ns);
    if (!result.ok)
      d.log(
        vm.spec.name,
        narrate('guest.enlightenmentFailed', { reason: result.failure ?? 'unknown' }),
      );
    return result.ok;
  }
}
