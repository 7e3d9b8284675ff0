/**
 * How a VM's network adapters meet the virtual switch (rules 19–21), assembled by the launcher:
 *
 * - a synthetic adapter's switch port hands each frame from the wire to netvsp as a
 *   `frame-received` host event on one of the adapter's open channels (the vRSS queue the flow
 *   hashes to), or straight to the adapter's SR-IOV virtual function when the guest switched its
 *   data path there (rule 20) — then no VMBus packet and no root CPU is involved;
 * - the virtual function itself: a slice of the physical NIC the host assigns to the VM, which the
 *   guest's VF driver drives directly;
 * - the guest's view of the wire: clients sending frames in, and the VFs assigned to it.
 *
 * Emulated adapters need nothing here: the worker process's 21140 model is their switch port.
 */
import type { EventType } from '../engine/index.js';
import type { PhysicalNic } from '../hardware/nic.js';
import type { NetworkWire, VirtualFunctionDriver, VirtualFunctionPort } from '../guest/io.js';
import type { VmIoMetrics } from '../metrics/vm-metrics.js';
import type { SwitchPort, VirtualSwitch } from '../root/vswitch.js';
import type { HostChannel } from '../vsp/host-channel.js';
import type { NetworkPort, VspChannel } from '../vsp/types.js';
import type { VspRuntime } from '../vsp/vsp-runtime.js';

/**
 * The SR-IOV virtual function of one VM adapter (rule 20). The host assigns it when netvsp offers
 * it to the guest; the guest's VF driver then sends and receives through the NIC directly. It can
 * be hot-removed at any time (live migration, the administrator, a NIC reset): the guest falls
 * back to the synthetic path, which never went away.
 *
 * @example
 * ```ts
 * const vf = internalsOf(sim).virtualFunctions.get('web01', 'eth0');
 * vf?.steering; // true once the guest switched its data path to the VF
 * vf?.remove(); // hot-remove it: netvsc switches back to synthetic
 * ```
 */
export class VirtualFunction implements VirtualFunctionPort {
  /** netvsp assigned it to the VM (NVSP SEND_VF_ASSOCIATION went out). */
  assigned = false;
  private removed = false;
  private driver: VirtualFunctionDriver | null = null;
  framesSent = 0;
  framesReceived = 0;

  constructor(
    readonly vm: string,
    readonly device: string,
    private readonly nic: PhysicalNic,
  ) {}

  get present(): boolean {
    return !this.removed;
  }

  /** Frames for the adapter go to the VF: it exists, is assigned and a guest driver took it. */
  get steering(): boolean {
    return this.assigned && !this.removed && this.driver !== null;
  }

  transmit<A>(bytes: number, done: EventType<A>, arg: A): boolean {
    if (this.removed) return false;
    this.framesSent++;
    this.nic.transfer('transmit', bytes, done, arg);
    return true;
  }

  attach(driver: VirtualFunctionDriver | null): void {
    this.driver = this.removed ? null : driver;
  }

  /** A frame from the wire, steered to the VF's receive queue. */
  receive(bytes: number, tag: number): void {
    this.framesReceived++;
    this.driver?.vfFrame(bytes, tag);
  }

  /** The VF is hot-removed: the guest's VF driver is told and traffic falls back to netvsp. */
  remove(): void {
    if (this.removed) return;
    this.removed = true;
    const driver = this.driver;
    this.driver = null;
    driver?.vfRemoved();
  }
}

/** Every VF of the host, by VM adapter. */
export class VirtualFunctionTable {
  private readonly byAdapter = new Map<string, VirtualFunction>();

  /** Creates the VF slot of a synthetic adapter on an SR-IOV NIC (at VM start). */
  add(vm: string, device: string, nic: PhysicalNic): VirtualFunction {
    const vf = new VirtualFunction(vm, device, nic);
    this.byAdapter.set(`${vm}/${device}`, vf);
    return vf;
  }

  get(vm: string, device: string): VirtualFunction | undefined {
    return this.byAdapter.get(`${vm}/${device}`);
  }
}

/**
 * The network port netvsp sees, with virtual functions: assigning a VF marks the adapter's slot
 * assigned, so the guest can find it. Everything else is the plain NIC port.
 */
export function withVirtualFunctions(port: NetworkPort, vfs: VirtualFunctionTable): NetworkPort {
  return {
    kind: 'network',
    id: port.id,
    sriov: port.sriov,
    transmit: (channel: VspChannel, bytes: number, tag: number) => {
      port.transmit(channel, bytes, tag);
    },
    assignVirtualFunction: (channel: VspChannel) => {
      const vf = vfs.get(channel.vm, channel.device);
      if (vf === undefined || !vf.present || !port.assignVirtualFunction(channel)) return false;
      vf.assigned = true;
      return true;
    },
  };
}

/**
 * A synthetic adapter's port on the virtual switch: frames go to netvsp on the channel their flow
 * hashes to (vRSS spreads receive work over the adapter's channels and so over root VPs), or to
 * the VF when the data path is switched there. With no open channel the frame is dropped.
 */
export class SyntheticAdapterPort implements SwitchPort {
  private channels: HostChannel[] = [];
  private seen = -1;
  framesToVsp = 0;
  framesToVf = 0;
  framesDropped = 0;

  constructor(
    private readonly vm: string,
    private readonly device: string,
    private readonly vsp: VspRuntime,
    private readonly vf: VirtualFunction | null,
    private readonly metrics: VmIoMetrics,
  ) {}

  deliver(bytes: number, tag: number): void {
    if (this.vf?.steering === true) {
      this.framesToVf++;
      this.vf.receive(bytes, tag);
      return;
    }
    const channel = this.pick(tag);
    if (channel === null) {
      this.framesDropped++;
      this.metrics.networkFramesDropped++;
      return;
    }
    this.framesToVsp++;
    this.vsp.deliver(channel, { type: 'frame-received', bytes, tag });
  }

  /** The open channel of this adapter the flow hashes to (the host's RSS), or null. */
  private pick(tag: number): HostChannel | null {
    if (this.seen !== this.vsp.channels.length || !this.allOpen()) {
      this.seen = this.vsp.channels.length;
      this.channels = this.vsp.channels
        .filter((c) => c.vm === this.vm && c.device === this.device && c.state === 'open')
        .sort((a, b) => a.subchannelIndex - b.subchannelIndex);
    }
    const n = this.channels.length;
    if (n === 0) return null;
    // estimate: a Toeplitz hash of the flow stands in as a multiplicative hash of its tag.
    const hash = Math.imul(tag >>> 0, 0x9e3779b1) >>> 0;
    return this.channels[hash % n];
  }

  private allOpen(): boolean {
    for (const c of this.channels) if (c.state !== 'open') return false;
    return true;
  }
}

/** The guest's view of the wire for one VM. */
export function networkWireFor(options: {
  readonly vm: string;
  readonly vswitch: VirtualSwitch;
  readonly vfs: VirtualFunctionTable;
  readonly metrics: VmIoMetrics;
}): NetworkWire {
  const { vm, vswitch, vfs, metrics } = options;
  return {
    clientSends(device: string, bytes: number, tag: number): boolean {
      const ok = vswitch.inbound(vm, device, bytes, tag);
      if (!ok) metrics.networkFramesDropped++;
      return ok;
    },
    virtualFunction(device: string): VirtualFunctionPort | null {
      const vf = vfs.get(vm, device);
      return vf !== undefined && vf.assigned && vf.present ? vf : null;
    },
  };
}
