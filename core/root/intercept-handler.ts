/**
 * The VID's side of rule 21: intercept messages arrive in SINT0 of a root VP; the VID reads each
 * one, hands the access to the worker process of the VM that made it, lets that user-mode work run
 * on the root VP, then completes the intercept — the guest VP resumes with its IN value and its
 * instruction pointer advanced — and tells the guest driver waiting on that access.
 */
import type { EventType, SimEngine } from '../engine/index.js';
import type { CostMeter, HostCpu } from '../host/cpu.js';
import { WorkClass } from '../host/cpu.js';
import type { SintHandler } from '../host/interrupts.js';
import { HvMessageType, readIoPortInterceptPayload } from '../hypervisor/index.js';
import type { Hypervisor } from '../hypervisor/index.js';
import type { SynicIo } from '../vmbus/synic-io.js';
import type { WorkerProcess } from './vmwp/worker-process.js';

/** Guest drivers waiting on an intercepted access, by (partition, VP). */
export interface PortWaiters {
  /** The intercept of (partition, VP) completed; `value` is what an IN read. */
  completed(partitionId: number, vpIndex: number, value: number): void;
}

interface Pending {
  readonly rootVp: number;
  readonly partitionId: number;
  readonly vpIndex: number;
  readonly value: number | undefined;
}

const HV_SYNIC_INTERCEPTION_SINT = 0;

export class InterceptHandler implements SintHandler {
  private readonly workers = new Map<number, WorkerProcess>();
  private readonly payload = new Uint8Array(256);
  private readonly done: EventType<Pending>;

  constructor(
    private readonly engine: SimEngine,
    private readonly cpu: HostCpu,
    private readonly hv: Hypervisor,
    private readonly io: SynicIo,
    private readonly rootPartitionId: number,
    private readonly waiters: PortWaiters,
  ) {
    this.done = engine.define<Pending>('vid:intercept-done', (p) => {
      this.complete(p);
    });
  }

  /** The worker process serving a child partition's intercepts. */
  register(partitionId: number, worker: WorkerProcess): void {
    this.workers.set(partitionId, worker);
  }

  onSint(partitionId: number, vpIndex: number, meter: CostMeter): void {
    for (let n = 0; n < 64; n++) {
      const m = this.io.takeMessage(
        partitionId,
        vpIndex,
        HV_SYNIC_INTERCEPTION_SINT,
        this.payload,
        meter,
      );
      if (m === null) return;
      if (m.type !== HvMessageType.X64IoPortIntercept) continue;
      const access = readIoPortInterceptPayload(this.payload, 0);
      const child = m.port; // origin: the partition whose VP trapped
      const worker = this.workers.get(child);
      const size = access.size === 1 || access.size === 2 ? access.size : 4;
      const answer = worker?.handle({
        vm: worker.vm,
        vpIndex: access.vpIndex,
        port: access.port,
        size,
        write: access.write,
        value: Number(access.rax & 0xffffffffn),
      }) ?? { value: 0xffffffff, costNs: 0 };
      const pending: Pending = {
        rootVp: vpIndex,
        partitionId: child,
        vpIndex: access.vpIndex,
        value: answer.value,
      };
      this.cpu.run(
        this.cpu.vp(this.rootPartitionId, vpIndex),
        answer.costNs,
        WorkClass.Thread,
        this.done,
        pending,
        child,
      );
    }
  }

  private complete(p: Pending): void {
    const r = this.hv.completeIoPortIntercept(
      p.partitionId,
      p.vpIndex,
      p.value === undefined ? {} : { value: p.value },
    );
    this.cpu.charge(this.cpu.vp(this.rootPartitionId, p.rootVp), r.costNs, WorkClass.Thread);
    if (r.kind === 'completed')
      this.waiters.completed(p.partitionId, p.vpIndex, Number(r.rax & 0xffffffffn));
  }

  /** Current simulated time (for models that time-stamp). */
  get now(): number {
    return this.engine.now;
  }
}
