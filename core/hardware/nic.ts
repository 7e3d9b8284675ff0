/**
 * A physical network adapter behind the Hyper-V virtual switch. Frames leave and arrive at line
 * rate: each direction serializes its frames one after another, then pays the wire latency.
 * With SR-IOV the NIC exposes virtual functions that a guest can drive directly (rule 20).
 */
import type { EventType, Ns, SimEngine } from '../engine/index.js';
import type { NicSpec } from '../model/index.js';

export type NicDirection = 'transmit' | 'receive';

export class PhysicalNic {
  private txFreeAt: Ns = 0;
  private rxFreeAt: Ns = 0;
  private readonly nsPerByte: number;
  private txBusyNs = 0;
  private rxBusyNs = 0;

  framesSent = 0;
  framesReceived = 0;
  bytesSent = 0;
  bytesReceived = 0;

  constructor(
    readonly spec: NicSpec,
    private readonly engine: SimEngine,
  ) {
    // Gbit/s → ns per byte: 8 bits / (gbps × 1e9 bit/s) = 8 / gbps ns.
    this.nsPerByte = 8 / spec.gbps;
  }

  get id(): string {
    return this.spec.id;
  }

  /**
   * Puts `bytes` on the wire (transmit) or takes them off it (receive); `done(arg)` fires when the
   * last bit has crossed the wire. Returns the completion time.
   */
  transfer<A>(
    direction: NicDirection,
    bytes: number,
    done: EventType<A>,
    arg: A,
    rateLimitGbps = 0,
  ): Ns {
    const now = this.engine.now;
    const perByte =
      rateLimitGbps > 0 ? Math.max(this.nsPerByte, 8 / rateLimitGbps) : this.nsPerByte;
    const serialization = bytes * perByte;
    let end: Ns;
    if (direction === 'transmit') {
      const start = Math.max(now, this.txFreeAt);
      this.txFreeAt = start + serialization;
      this.txBusyNs += serialization;
      end = this.txFreeAt;
      this.framesSent++;
      this.bytesSent += bytes;
    } else {
      const start = Math.max(now, this.rxFreeAt);
      this.rxFreeAt = start + serialization;
      this.rxBusyNs += serialization;
      end = this.rxFreeAt;
      this.framesReceived++;
      this.bytesReceived += bytes;
    }
    const at = Math.round(end + this.spec.latencyUs * 1000);
    this.engine.at(at, done, arg);
    return at;
  }

  /** Fraction of elapsed time each direction spent serializing frames. */
  utilization(): { transmit: number; receive: number } {
    const now = this.engine.now;
    return {
      transmit: now > 0 ? Math.min(1, this.txBusyNs / now) : 0,
      receive: now > 0 ? Math.min(1, this.rxBusyNs / now) : 0,
    };
  }
}
