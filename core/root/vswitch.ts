/**
 * The Hyper-V virtual switch in the root partition: frames from the wire for a VM's network
 * adapter cross the physical NIC's receive side, then the switch hands them to that adapter's
 * port — a netvsp channel for a synthetic adapter, the worker process's legacy adapter for an
 * emulated one. An adapter with no port drops what arrives for it.
 */
import type { EventType, SimEngine } from '../engine/index.js';
import type { PhysicalNic } from '../hardware/nic.js';

/** A VM network adapter's port on the switch. */
export interface SwitchPort {
  /** A frame for this adapter arrived from the wire. */
  deliver(bytes: number, tag: number): void;
}

interface Arrival {
  readonly port: SwitchPort;
  readonly bytes: number;
  readonly tag: number;
}

export class VirtualSwitch {
  private readonly ports = new Map<string, { port: SwitchPort; nic: PhysicalNic }>();
  private readonly arrived: EventType<Arrival>;
  /** Frames that found no port. */
  dropped = 0;

  constructor(
    engine: SimEngine,
    private readonly nics: ReadonlyMap<string, PhysicalNic>,
  ) {
    this.arrived = engine.define<Arrival>('vswitch:arrived', (a) => {
      a.port.deliver(a.bytes, a.tag);
    });
  }

  /** Connects a VM adapter to the switch through physical NIC `nicId`. */
  attach(vm: string, device: string, nicId: string, port: SwitchPort): boolean {
    const nic = this.nics.get(nicId);
    if (nic === undefined) return false;
    this.ports.set(`${vm}/${device}`, { port, nic });
    return true;
  }

  detach(vm: string, device: string): void {
    this.ports.delete(`${vm}/${device}`);
  }

  /** The physical NIC behind a VM adapter, if attached. */
  nicOf(vm: string, device: string): PhysicalNic | undefined {
    return this.ports.get(`${vm}/${device}`)?.nic;
  }

  /**
   * A client's frame for `vm`/`device` reaches the host: it crosses the NIC's receive side at line
   * rate, then goes to the adapter's port. False when the adapter has no port (dropped).
   */
  inbound(vm: string, device: string, bytes: number, tag: number): boolean {
    const entry = this.ports.get(`${vm}/${device}`);
    if (entry === undefined) {
      this.dropped++;
      return false;
    }
    entry.nic.transfer('receive', bytes, this.arrived, { port: entry.port, bytes, tag });
    return true;
  }
}
