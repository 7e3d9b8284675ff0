/**
 * Emulated devices by class (rule 21): for each, the model the worker process runs and the legacy
 * driver the guest runs against it. The two halves never call each other: the guest reaches the
 * model only through intercepted port accesses, the model reaches the guest only through its
 * interrupt line and the memory it DMAs into.
 */
import type { Random, SimEngine } from '../../engine/index.js';
import type { PhysicalDisk } from '../../hardware/disk.js';
import type { PhysicalNic } from '../../hardware/nic.js';
import type { HostCpu } from '../../host/cpu.js';
import type { DeviceClass } from '../../model/index.js';
import { PAGE_SIZE } from '../../memory/index.js';
import type { GuestAllocation, MemoryManager } from '../../memory/index.js';
import type { PortIo } from '../../guest/drivers/legacy/port-io.js';
import type { DeviceDriver, GuestContext, GuestDevice } from '../../guest/stacks/types.js';
import type { VirtualSwitch } from '../vswitch.js';
import type { VmConsole } from './console.js';
import type { EmulatedDeviceModel } from './device-model.js';
import { IDE_CONTROLLER } from './ide-kind.js';
import { PS2_CONTROLLER } from './ps2-kind.js';
import { S3_VIDEO } from './s3-kind.js';
import type { VramAperture } from './s3-vram.js';
import type { VirtualIrq } from './virtual-irq.js';
import { LEGACY_NETWORK_ADAPTER } from './legacy-nic-kind.js';
import type { NarrationMessage } from '../../simulation/narration-messages.js';

/**
 * Bus-master DMA of an emulated device: the worker process reads and writes guest physical memory
 * through its mapping of the VM (descriptor rings, frame buffers). False when any byte is outside
 * the guest's memory.
 */
export interface GuestDma {
  read(gpa: number, dest: Uint8Array): boolean;
  write(gpa: number, src: Uint8Array): boolean;
}

// emulation (IDE, S3, PS/2): guest RAM, VRAM and the console as the worker process sees them.
/** Guest RAM as the worker process maps it (the VMWP maps the whole VM: DMA, PRD tables). */
export interface GuestRam {
  /** Copies `dest.length` bytes at `gpa`; false when any byte is outside backed guest memory. */
  read(gpa: number, dest: Uint8Array): boolean;
  /** True when every page of [gpa, gpa + bytes) is backed guest memory. */
  backed(gpa: number, bytes: number): boolean;
}

/** Partition `pid`'s RAM as its worker process maps it. */
export function guestRamOf(memory: MemoryManager, pid: number): GuestRam {
  return {
    read: (gpa, dest) => memory.readGuest(pid, gpa, dest),
    backed: (gpa, bytes) => {
      if (!Number.isSafeInteger(gpa) || gpa < 0 || !(bytes > 0)) return false;
      const first = Math.floor(gpa / PAGE_SIZE);
      const last = Math.floor((gpa + bytes - 1) / PAGE_SIZE);
      return memory.partition(pid)?.isBacked(first, last - first + 1) ?? false;
    },
  };
}

/** What the worker process gives a device model. */
export interface EmulationContext {
  readonly engine: SimEngine;
  readonly cpu: HostCpu;
  readonly random: Random;
  readonly vm: string;
  readonly partitionId: number;
  readonly rootPartitionId: number;
  /** The root VP whose SINT0 takes this VM's intercepts (and that runs the worker's work). */
  readonly rootVpIndex: number;
  readonly device: GuestDevice;
  /** The physical disk or NIC the route names as backing. */
  readonly disk: PhysicalDisk | undefined;
  readonly nic: PhysicalNic | undefined;
  readonly vswitch: VirtualSwitch;
  readonly irq: VirtualIrq;
  readonly log: (message: NarrationMessage) => void;
  // network: the legacy adapter's PCI function and its bus-master DMA (optional for other kinds).
  /** Position of the device among the VM's emulated devices of its class (its PCI function). */
  readonly classIndex?: number;
  /** The device's DMA into guest memory, reads and writes. */
  readonly dma?: GuestDma;
  // emulation: what the IDE (bus-master DMA), S3 (VRAM scan-out) and PS/2 (console input) use.
  readonly ram: GuestRam;
  /** The device's video memory with dirty-page tracking, when its kind declares `vramBytes`. */
  readonly vram: VramAperture | null;
  /** The VM's console (vmconnect): user input comes from it, frames go to it. */
  readonly console: VmConsole;
}

/** What the guest's legacy driver gets. */
export interface LegacyDriverContext extends GuestContext {
  readonly ports: PortIo;
  readonly irq: VirtualIrq;
  /** network: the device's position among the VM's emulated devices of its class. */
  readonly classIndex?: number;
  // emulation: DMA memory (the IDE's PRD table) and the S3's VRAM.
  /** The guest kernel allocates `pages` of dense, DMA-able memory (null when it has none). */
  readonly allocate: (pages: number) => GuestAllocation | null;
  readonly vram: VramAperture | null;
}

export interface EmulatedDeviceKind {
  readonly name: string;
  /** Bytes of video memory (a PCI memory BAR) the launcher maps for the device (S3 only). */
  readonly vramBytes?: number;
  model(ctx: EmulationContext): EmulatedDeviceModel;
  driver(ctx: LegacyDriverContext, device: GuestDevice): DeviceDriver;
}

/** The emulated devices the model has, by the class of the VM device they stand in for. */
export const EMULATED_DEVICES: Partial<Record<DeviceClass, EmulatedDeviceKind>> = {
  network: LEGACY_NETWORK_ADAPTER, // rule 21: DEC 21140 legacy network adapter
  // emulation: rule 21's IDE controller, S3 video and PS/2 keyboard/mouse controller.
  storage: IDE_CONTROLLER,
  video: S3_VIDEO,
  input: PS2_CONTROLLER,
};
