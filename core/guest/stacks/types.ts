/**
 * A guest's I/O stack for one class of device (storage, network, video, input). The guest OS
 * keeps one per class; each knows how to bind a synthetic driver to an offer, how to build the
 * emulated driver when the device is routed through the worker process, and how to send an
 * application's operation down whichever path its device has.
 */
import type { Ns, SimEngine } from '../../engine/index.js';
import type { CostMeter, HostCpu } from '../../host/cpu.js';
import type { DeviceClass, VmConfiguration, VmDeviceSpec, VmSpec } from '../../model/index.js';
import type { VmIoMetrics } from '../../metrics/vm-metrics.js';
import type { OfferChannelMessage } from '../../vmbus/control/index.js';
import type { GuestAllocation } from '../../memory/index.js';
import type { Application, RunningOp } from '../application.js';
import type { NetworkWire } from '../io.js';
import type { Binding } from '../vmbus/vmbus-client.js';
import { narrate } from '../../simulation/narration-messages.js';
import type { NarrationMessage } from '../../simulation/narration-messages.js';

export type DevicePath = 'synthetic' | 'emulated' | 'none';

/** A driver of one device, whatever its class. */
export interface DeviceDriver {
  readonly ready: boolean;
  readonly dead: boolean;
  /** Simulated ns requests could not enter any ring because every slot was taken (rule 18). */
  queueFullNs?(now: number): number;
  /**
   * Completions from the host whose trans_id names no request in flight — a VSP completing a
   * request twice, or one it never received. The driver drops them, as Linux's do.
   */
  readonly strayCompletions?: number;
}

/** A device of this VM and the path the player routed it through. */
export interface GuestDevice {
  readonly spec: VmDeviceSpec;
  readonly path: DevicePath;
  readonly instanceGuid: string;
  /** Synthetic ring size per direction, bytes, header page included (Linux's ring_size, rule 9). */
  readonly ringBytes: number;
  readonly lowLatency: boolean;
  /** For emulated devices: the physical disk or NIC the worker process uses. */
  readonly backing: string | undefined;
  driver: DeviceDriver | null;
  /** Why the device stopped working, if it did ('' while it works). */
  failure: string;
}

/** What a stack may use of its guest. */
export interface GuestContext {
  readonly engine: SimEngine;
  readonly cpu: HostCpu;
  readonly partitionId: number;
  readonly vpIds: readonly number[];
  readonly spec: VmSpec;
  readonly config: VmConfiguration;
  readonly app: Application;
  readonly metrics: VmIoMetrics;
  /** Scratch meter for hypercall costs made while handling an event. */
  readonly meter: CostMeter;
  /** First PFN of the guest's I/O buffer region and its size in pages. */
  readonly ioBufferPfn: number;
  readonly ioBufferPages: number;
  /** Builds the guest's legacy driver for a device routed through the worker process (rule 21). */
  readonly emulatedDriver: (ctx: GuestContext, device: GuestDevice) => DeviceDriver | null;
  readonly log: (message: NarrationMessage) => void;
  /** A device's driver became ready or died: the guest may now start its application. */
  readonly deviceStateChanged: () => void;
  // Network issue: optional so other stacks and tests need not supply them.
  /** The guest kernel allocates `pages` of its own memory (NetVSC buffers, legacy NIC rings). */
  readonly allocate?: (pages: number, backing: 'dense' | 'sparse') => GuestAllocation | null;
  /** The clients on the wire and the adapters' virtual functions (rules 19–21). */
  readonly wire?: NetworkWire;
  /** The VM's console, where input operations start and screen updates end (video, input). */
  readonly console?: ConsolePort;
}

// video, input: the console (vmconnect) as the guest's I/O bookkeeping sees it. It is root-side;
// the guest never calls it for its own behaviour — it stands for the user at the keyboard.
/** Sees frames reach the console screen of one video device. */
export interface ScreenObserver {
  /** The console now shows every VRAM write up to `generation` (emulated S3 scan-out). */
  framePresented(generation: number): void;
}

/** The user at the VM's console: the start of input operations, the end of screen updates. */
export interface ConsolePort {
  /** The user moves the mouse (or types) on input device `device`; false when nothing is attached. */
  userInput(device: string, kind: 'key' | 'pointer'): boolean;
  /** Follows what reaches the console screen from video device `device`. */
  watchScreen(device: string, observer: ScreenObserver): void;
}

export interface DeviceStack {
  readonly cls: DeviceClass;
  /** Guest CPU the stack spends issuing one operation on this device's path. */
  issueCostNs(device: GuestDevice): Ns;
  /**
   * For operations that start outside the guest (a client's request arriving at the NIC): take
   * them in first, then call `ctx.app.received(run)`. Return false when this op needs no receive.
   */
  receive?(run: RunningOp, device: GuestDevice): boolean;
  /** Sends the operation down the device's path; the stack ends it with `ctx.app.finish`. */
  dispatch(run: RunningOp, device: GuestDevice): void;
  /** A synthetic offer for the device arrived (or one of its subchannels): bind a driver. */
  bind(device: GuestDevice, offer: OfferChannelMessage): Binding | null;
  /** The guest finished booting: build emulated drivers, start background traffic. */
  booted(devices: readonly GuestDevice[]): void;
}

/** Builds a class's stack for a guest. */
export type DeviceStackFactory = (
  ctx: GuestContext,
  devices: readonly GuestDevice[],
) => DeviceStack;

/** Re-exported for stacks that need them. */
export type { DeviceClass, VmDeviceSpec };

/**
 * A VSC driver's `onFailed`: the device records why it failed, the guest re-reads its device
 * states, and the log names the driver (`storvsc`, `netvsc`) and the device.
 */
/**
 * What a guest driver says when the host completes a trans_id it has no request for, in Linux's
 * words (`message`: storvsc "Incorrect transaction ID", netvsc "Invalid transaction ID"). The
 * first one and then every power of ten is narrated, so a VSP that does it for every packet does
 * not drown the log; the report counts them all.
 */
export function strayCompletionLog(
  ctx: GuestContext,
  device: GuestDevice,
  driverName: string,
  message: string,
): (transId: number, count: number) => void {
  return (transId, count) => {
    if (!Number.isInteger(Math.log10(count))) return;
    ctx.log(
      narrate('vsc.strayCompletion', {
        driver: driverName,
        device: device.spec.id,
        message,
        transId,
        count,
      }),
    );
  };
}

export function vscFailed(
  ctx: GuestContext,
  device: GuestDevice,
  driverName: string,
): (driver: unknown, reason: string) => void {
  return (_driver, reason) => {
    device.failure = reason;
    ctx.deviceStateChanged();
    ctx.log(narrate('vsc.failed', { driver: driverName, device: device.spec.id, reason }));
  };
}
