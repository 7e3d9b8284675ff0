/**
 * A fixed-interval sampler of the host's state: every millisecond of simulated time it reads how
 * full each VM's guest→host rings are (the VMBus backlog), how many operations each VM completed,
 * and how busy the root VPs were. The report averages it; the game draws its recent history
 * (sparklines, ring fill). Reading only: it changes nothing in the model.
 */
import type { EventType, Ns, SimEngine } from '../engine/index.js';
import { NS_PER_MS } from '../engine/index.js';
import type { HypervisorScheduler } from '../scheduler/index.js';
import type { VmbusServer } from '../vmbus/server/vmbus-server.js';
import type { VmRuntime } from './vm-runtime.js';

export const SAMPLE_INTERVAL_NS: Ns = NS_PER_MS;
const HISTORY = 600;

export interface VmSample {
  /** Guest→host ring fill, 0..1 (the backlog the root has not read yet). */
  readonly ringFill: number;
  /** Operations completed in the interval. */
  readonly completed: number;
}

interface VmSeries {
  fillSum: number;
  fillMax: number;
  samples: number;
  lastCompleted: number;
  readonly recent: VmSample[];
}

export class Sampler {
  private readonly series = new Map<string, VmSeries>();
  private readonly tick: EventType<null>;
  private rootBusyLast = 0;
  /** Recent root-VP utilisation per interval, 0..1. */
  readonly rootBusy: number[] = [];

  constructor(
    private readonly engine: SimEngine,
    private readonly scheduler: HypervisorScheduler,
    private readonly server: VmbusServer,
    private readonly vms: ReadonlyMap<string, VmRuntime>,
    private readonly rootPartitionId: number,
  ) {
    for (const name of vms.keys())
      this.series.set(name, { fillSum: 0, fillMax: 0, samples: 0, lastCompleted: 0, recent: [] });
    this.tick = engine.define<null>('sampler:tick', () => {
      this.sample();
      engine.after(SAMPLE_INTERVAL_NS, this.tick, null);
    });
  }

  start(): void {
    this.engine.after(SAMPLE_INTERVAL_NS, this.tick, null);
  }

  private sample(): void {
    for (const [name, vm] of this.vms) {
      const s = this.series.get(name) as VmSeries;
      let used = 0;
      let capacity = 0;
      if (vm.managed.partitionId > 0) {
        for (const ch of this.server.channelsOf(vm.managed.partitionId)) {
          const host = ch.host;
          if (host === null || ch.state !== 'open') continue;
          const inUse = host.transport.reader.bytesInUse();
          used += inUse < 0 ? host.transport.reader.capacity : inUse;
          capacity += host.transport.reader.capacity;
        }
      }
      const fill = capacity > 0 ? used / capacity : 0;
      s.fillSum += fill;
      s.samples++;
      if (fill > s.fillMax) s.fillMax = fill;
      const completed = vm.metrics.completed;
      s.recent.push({ ringFill: fill, completed: completed - s.lastCompleted });
      if (s.recent.length > HISTORY) s.recent.shift();
      s.lastCompleted = completed;
    }
    const root = this.scheduler.partitionMetrics(this.rootPartitionId);
    const busy = root.runNs;
    this.rootBusy.push((busy - this.rootBusyLast) / (SAMPLE_INTERVAL_NS * root.vpCount));
    if (this.rootBusy.length > HISTORY) this.rootBusy.shift();
    this.rootBusyLast = busy;
  }

  /** Average and peak guest→host ring fill of a VM over the run, percent. */
  ringFill(vm: string): { averagePercent: number; peakPercent: number } {
    const s = this.series.get(vm);
    if (s === undefined || s.samples === 0) return { averagePercent: 0, peakPercent: 0 };
    return { averagePercent: (100 * s.fillSum) / s.samples, peakPercent: 100 * s.fillMax };
  }

  recent(vm: string): readonly VmSample[] {
    return this.series.get(vm)?.recent ?? [];
  }
}
