/**
 * Where SynIC interrupts land. The hypervisor raises a SINT on a VP (a new message in its slot, or
 * an event flag that went 0→1, rule 26); the router turns that into interrupt work on the VP and,
 * when the VP runs it, calls the handler its partition registered for that SINT — the VMBus driver
 * of a guest, the VMBus server or the VID in the root. Raises that arrive while a SINT's ISR is
 * already queued are folded into it: the ISR looks at everything pending when it runs.
 *
 * It also suspends and resumes VPs for intercepts (the hypervisor's VpControl).
 */
import type { EventType, Ns, SimEngine } from '../engine/index.js';
import type { SynicInterruptSink, VpControl } from '../hypervisor/index.js';
import { SuspendReason } from '../scheduler/index.js';
import type { CostMeter, HostCpu } from './cpu.js';
import { WorkClass } from './cpu.js';
import { LARGEST_RELEASE_LIMITS } from '../model/index.js';

/**
 * VP indices one partition may use, for the pending-interrupt key: a Windows Server 2022 VM has
 * up to 1,024 VPs and its root sees up to 1,024 LPs (rule 40), so 512 would let keys collide.
 */
const VP_INDEX_SPAN = Math.max(
  LARGEST_RELEASE_LIMITS.vpsPerVm,
  LARGEST_RELEASE_LIMITS.rootVisibleProcessors,
);

// estimate: entering and leaving an interrupt handler on x64 with the APIC virtualised, ~1 µs.
export const INTERRUPT_ENTRY_NS: Ns = 1_000;

/** Handles one SINT of one partition when its ISR runs on a VP. */
export interface SintHandler {
  onSint(partitionId: number, vpIndex: number, meter: CostMeter): void;
}

interface Pending {
  partitionId: number;
  vpIndex: number;
  sint: number;
  queued: boolean;
}

export class InterruptRouter implements SynicInterruptSink, VpControl {
  private readonly handlers: (SintHandler | undefined)[][] = [];
  /** Pending ISRs by (partition, VP, SINT). */
  private readonly pending = new Map<number, Pending>();
  private readonly isr: EventType<Pending>;
  private readonly after: EventType<Pending>;
  /** Interrupts delivered, by partition id. */
  readonly interrupts: number[] = [];

  constructor(
    private readonly engine: SimEngine,
    private readonly cpu: HostCpu,
    private readonly meter: CostMeter,
  ) {
    this.isr = engine.define<Pending>('synic:isr', (p) => {
      this.run(p);
    });
    this.after = engine.define<Pending>('synic:isr-done', () => undefined);
  }

  /** Registers the handler of `sint` for every VP of `partitionId`. */
  register(partitionId: number, sint: number, handler: SintHandler): void {
    (this.handlers[partitionId] ??= [])[sint] = handler;
  }

  raise(partitionId: number, vpIndex: number, sint: number): void {
    const key = (partitionId * VP_INDEX_SPAN + vpIndex) * 16 + sint;
    let p = this.pending.get(key);
    if (p === undefined) {
      p = { partitionId, vpIndex, sint, queued: false };
      this.pending.set(key, p);
    }
    this.interrupts[partitionId] = (this.interrupts[partitionId] ?? 0) + 1;
    if (p.queued) return;
    p.queued = true;
    this.cpu.run(
      this.cpu.vp(partitionId, vpIndex),
      INTERRUPT_ENTRY_NS,
      WorkClass.Interrupt,
      this.isr,
      p,
      sint,
    );
  }

  private run(p: Pending): void {
    p.queued = false;
    const handler = (this.handlers[p.partitionId] as (SintHandler | undefined)[] | undefined)?.[
      p.sint
    ];
    if (handler === undefined) return;
    this.meter.take();
    handler.onSint(p.partitionId, p.vpIndex, this.meter);
    const spent = this.meter.take();
    if (spent > 0) {
      this.cpu.run(
        this.cpu.vp(p.partitionId, p.vpIndex),
        spent,
        WorkClass.Interrupt,
        this.after,
        p,
      );
    }
  }

  suspendForIntercept(partitionId: number, vpIndex: number): void {
    this.cpu.scheduler.suspend(this.cpu.vp(partitionId, vpIndex), SuspendReason.InterceptPending);
  }

  resume(partitionId: number, vpIndex: number): void {
    this.cpu.scheduler.resume(this.cpu.vp(partitionId, vpIndex), SuspendReason.InterceptPending);
  }

  /** Current simulated time (handlers use it for timestamps). */
  get now(): Ns {
    return this.engine.now;
  }
}
