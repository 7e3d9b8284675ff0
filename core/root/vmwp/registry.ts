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
}

/** What the guest's legacy driver gets. */
export interface LegacyDriverContext extends GuestContext {
  readonly ports: PortIo;
  readonly irq: VirtualIrq;
}

export interface EmulatedDeviceKind {
  readonly name: string;
  model(ctx: EmulationContext): EmulatedDeviceModel;
  driver(ctx: LegacyDriverContext, device: GuestDevice): DeviceDriver;
}

/** The emulated devices the model has, by the class of the VM device they stand in for. */
export const EMULATED_DEVICES: Partial<Record<DeviceClass, EmulatedDeviceKind>> = {};
