/**
 * A bench for one emulated device model (not a test file itself): a real engine, disk and
 * interrupt line, CPU work that simply takes its time, guest RAM as one flat buffer, and a port
 * helper that makes accesses the way the intercept handler would hand them over.
 */
import { Random, SimEngine } from '../../engine/index.js';
import { PhysicalDisk } from '../../hardware/disk.js';
import type { EventType, Ns } from '../../engine/index.js';
import type { HostCpu } from '../../host/cpu.js';
import type { DeviceClass } from '../../model/index.js';
import type { GuestDevice } from '../../guest/stacks/types.js';
import type { VirtualSwitch } from '../vswitch.js';
import { VmConsole } from './console.js';
import type { EmulatedDeviceModel } from './device-model.js';
import type { EmulationContext, GuestRam } from './registry.js';
import { VramAperture } from './s3-vram.js';
import { VirtualIrq } from './virtual-irq.js';

/** CPU work that takes exactly its cost, on an idle machine; `charged` sums root-side time. */
export function instantCpu(engine: SimEngine): HostCpu & { charged: number } {
  const cpu = {
    charged: 0,
    vp: () => 0,
    run<A>(_vp: number, cost: Ns, _cls: unknown, done: EventType<A>, arg: A): void {
      cpu.charged += cost;
      engine.after(cost, done, arg);
    },
    charge(_vp: number, cost: Ns): void {
      cpu.charged += cost;
    },
  };
  return cpu as unknown as HostCpu & { charged: number };
}

/** Guest RAM: `bytes` of it at GPA 0. */
export function flatRam(bytes: number): GuestRam & { readonly memory: Uint8Array } {
  const memory = new Uint8Array(bytes);
  const inside = (gpa: number, n: number) =>
    Number.isSafeInteger(gpa) && gpa >= 0 && n > 0 && gpa + n <= bytes;
  return {
    memory,
    read: (gpa, dest) => {
      if (!inside(gpa, dest.length)) return false;
      dest.set(memory.subarray(gpa, gpa + dest.length));
      return true;
    },
    backed: (gpa, n) => inside(gpa, n),
  };
}

export interface Bench {
  readonly engine: SimEngine;
  readonly cpu: HostCpu & { charged: number };
  readonly disk: PhysicalDisk;
  readonly irq: VirtualIrq;
  readonly ram: GuestRam & { readonly memory: Uint8Array };
  readonly console: VmConsole;
  readonly ctx: EmulationContext;
  /** Interrupts the guest side received. */
  interrupts: number;
}

export function bench(cls: DeviceClass, options: { sizeGiB?: number; vram?: boolean } = {}): Bench {
  const engine = new SimEngine();
  const cpu = instantCpu(engine);
  const disk = new PhysicalDisk(
    { id: 'ssd0', kind: 'nvme', iops: 400_000, mbps: 3000, latencyUs: 80, queueDepth: 256 },
    engine,
    new Random(1).stream('disk'),
  );
  const irq = new VirtualIrq(engine, cpu, 0, 'bench');
  const ram = flatRam(4 * 1024 * 1024);
  const console = new VmConsole(engine, cpu, 0, 'vm1');
  const device: GuestDevice = {
    spec: { id: 'dev0', class: cls as 'storage', sizeGiB: options.sizeGiB ?? 1 },
    path: 'emulated',
    instanceGuid: '00000000-0000-0000-0000-000000000000',
    ringBytes: 0,
    lowLatency: true,
    backing: 'ssd0',
    driver: null,
    failure: '',
  };
  const ctx: EmulationContext = {
    engine,
    cpu,
    random: new Random(2),
    vm: 'vm1',
    partitionId: 1,
    rootPartitionId: 0,
    rootVpIndex: 0,
    device,
    disk,
    nic: undefined,
    vswitch: null as unknown as VirtualSwitch, // emulated storage, video and input need no switch
    irq,
    log: () => undefined,
    ram,
    vram: options.vram === true ? new VramAperture(64 * 1024 * 1024) : null,
    console,
  };
  const b: Bench = { engine, cpu, disk, irq, ram, console, ctx, interrupts: 0 };
  irq.connect({
    interrupt: () => {
      b.interrupts++;
    },
  });
  return b;
}

/** OUT and IN as the guest's driver makes them, handed straight to the model. */
export function portsOf(model: EmulatedDeviceModel) {
  return {
    out(port: number, value: number, size: 1 | 2 | 4 = 1): number {
      return model.onAccess({ vm: 'vm1', vpIndex: 0, port, size, write: true, value }).costNs;
    },
    in(port: number, size: 1 | 2 | 4 = 1): number {
      return (
        model.onAccess({ vm: 'vm1', vpIndex: 0, port, size, write: false, value: 0 }).value ?? 0xff
      );
    },
  };
}
