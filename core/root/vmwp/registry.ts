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
import type { PortIo } from '../../guest/drivers/legacy/port-io.js';
import type { DeviceDriver, GuestContext, GuestDevice } from '../../guest/stacks/types.js';
import type { VirtualSwitch } from '../vswitch.js';
import type { EmulatedDeviceModel } from './device-model.js';
import type { VirtualIrq } from './virtual-irq.js';
import { LEGACY_NETWORK_ADAPTER } from './legacy-nic-kind.js';

/**
 * Bus-master DMA of an emulated device: the worker process reads and writes guest physical memory
 * through its mapping of the VM (descriptor rings, frame buffers). False when any byte is outside
 * the guest's memory.
 */
export interface GuestDma {
  read(gpa: number, dest: Uint8Array): boolean;
  write(gpa: number, src: Uint8Array): boolean;
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
  readonly log: (text: string) => void;
  /** Position of the device among the VM's emulated devices of its class (its PCI function). */
  readonly classIndex: number;
  /** The device's DMA into guest memory. */
  readonly dma: GuestDma;
}

/** What the guest's legacy driver gets. */
export interface LegacyDriverContext extends GuestContext {
  readonly ports: PortIo;
  readonly irq: VirtualIrq;
  /** Position of the device among the VM's emulated devices of its class (its PCI function). */
  readonly classIndex: number;
}

export interface EmulatedDeviceKind {
  readonly name: string;
  model(ctx: EmulationContext): EmulatedDeviceModel;
  driver(ctx: LegacyDriverContext, device: GuestDevice): DeviceDriver;
}

/** The emulated devices the model has, by the class of the VM device they stand in for. */
export const EMULATED_DEVICES: Partial<Record<DeviceClass, EmulatedDeviceKind>> = {
  network: LEGACY_NETWORK_ADAPTER, // rule 21: DEC 21140 legacy network adapter
};
