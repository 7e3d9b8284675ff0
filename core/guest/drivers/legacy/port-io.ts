/**
 * How a guest without integration components talks to its devices: IN and OUT instructions on
 * I/O ports. On a generation 1 VM the root intercepts the legacy devices' ports (rule 21), so each
 * such instruction stops the virtual processor: the hypervisor sends an intercept message to the
 * root, the worker process emulates the access, and only then does the VP resume with the result.
 * A legacy driver is therefore a chain of accesses, each one a round trip through the root.
 */
import type { EventType, Ns, SimEngine } from '../../../engine/index.js';
import type { HostCpu } from '../../../host/cpu.js';
import { WorkClass } from '../../../host/cpu.js';
import type { Hypervisor } from '../../../hypervisor/index.js';

// estimate: executing one IN/OUT instruction when it is not intercepted.
export const PORT_INSTRUCTION_NS: Ns = 100;

/** What a driver does when its access completed. */
export interface PortContinuation {
  /** `value`: what an IN read (all ones when nothing answered). */
  portDone(value: number): void;
}

interface Resume {
  readonly k: PortContinuation;
  value: number;
}

export class PortIo {
  /** Continuations waiting on an intercepted access, by VP index. */
  private readonly waiting: (Resume | undefined)[] = [];
  private readonly resume: EventType<Resume>;
  /** Accesses made and how many were intercepted (round trips through the root). */
  accesses = 0;
  intercepted = 0;

  constructor(
    engine: SimEngine,
    private readonly cpu: HostCpu,
    private readonly hv: Hypervisor,
    readonly partitionId: number,
    private readonly vpIds: readonly number[],
  ) {
    this.resume = engine.define<Resume>(`ports:${partitionId}:resume`, (r) => {
      r.k.portDone(r.value);
    });
  }

  /**
   * VP `vpIndex` executes IN (write false) or OUT on `port`. `k.portDone` runs on that VP once the
   * access completed — at once if nothing intercepts it, after the root's round trip otherwise.
   */
  access(
    vpIndex: number,
    port: number,
    size: 1 | 2 | 4,
    write: boolean,
    value: number,
    k: PortContinuation,
  ): void {
    this.accesses++;
    const vp = this.vpIds[vpIndex];
    const r = this.hv.ioPortAccess(this.partitionId, vpIndex, {
      port,
      size,
      write,
      rax: BigInt(value >>> 0),
      rip: 0x1000n,
      instructionLength: 1,
    });
    if (r.kind === 'intercepted') {
      this.intercepted++;
      this.waiting[vpIndex] = { k, value: 0 };
      // The exit itself is guest VP time; it runs when the VP resumes (it is suspended now).
      this.cpu.charge(vp, r.costNs, WorkClass.Thread);
      return;
    }
    const read = r.kind === 'unclaimed' ? Number(r.rax & 0xffffffffn) : 0xffffffff;
    this.cpu.run(vp, PORT_INSTRUCTION_NS + r.costNs, WorkClass.Thread, this.resume, {
      k,
      value: read,
    });
  }

  /** The root completed the intercepted access of `vpIndex` (the VP was resumed). */
  completed(vpIndex: number, value: number): void {
    const w = this.waiting[vpIndex];
    if (w === undefined) return;
    this.waiting[vpIndex] = undefined;
    w.value = value;
    this.cpu.run(this.vpIds[vpIndex], PORT_INSTRUCTION_NS, WorkClass.Thread, this.resume, w);
  }
}
