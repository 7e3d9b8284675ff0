/**
 * A fixed-interval sampler of the host's state: every millisecond of simulated time it reads how
 * full each VM's guest→host rings are (the VMBus backlog), how many operations each VM completed,
 * and how busy the root VPs were. The report averages it; the game draws its recent history
 * (sparklines, ring fill). Reading only: it changes nothing in the model.
 */
import type { EventType, Ns, SimEngine } from '../engine/index.js';
import { NS_PER_MS } from '../engine/index.js';
import type { HypervisorScheduler } from '../scheduler/index.js';
import type { VmbusRingReader } from '../vmbus/ring/index.js';
import type { VmbusServer } from '../vmbus/server/vmbus-server.js';
import type { VmRuntime } from './vm-runtime.js';

export const SAMPLE_INTERVAL_NS: Ns = NS_PER_MS;
/** Samples kept per VM: the last 600 ms. */
export const HISTORY = 600;

export interface VmSample {
  /** Guest→host ring fill, 0..1 (the backlog the root has not read yet). */
  readonly ringFill: number;
  /** Operations completed in the interval. */
  readonly completed: number;
}

/**
 * One VM's running figures. The recent history is a ring of the last {@link HISTORY} samples in
 * two typed arrays (no object per sample, no `shift`): with 1024 VMs sampled every millisecond
 * this loop runs a million times per simulated second.
 */
class VmSeries {
  fillSum = 0;
  fillMax = 0;
  samples = 0;
  lastCompleted = 0;
  /**
   * The guest→host ring readers of the VM's open channels, rebuilt only when the server's open
   * set or the VM's partition changes (walking every channel map each millisecond showed as a
   * tenth of a cold 64-VM run's fixed cost in a profile).
   */
  readers: VmbusRingReader[] = [];
  capacity = 0;
  readersVersion = -1;
  readersPartition = -1;
  readonly fills: Float64Array;
  readonly completions: Float64Array;

  constructor(
    readonly name: string,
    readonly vm: VmRuntime,
    /** 2 × HISTORY numbers of the sampler's shared history buffer, for this VM alone. */
    history: Float64Array,
  ) {
    this.fills = history.subarray(0, HISTORY);
    this.completions = history.subarray(HISTORY, 2 * HISTORY);
  }

  push(fill: number, completed: number): void {
    const at = this.samples % HISTORY;
    this.fills[at] = fill;
    this.completions[at] = completed;
    this.fillSum += fill;
    this.samples++;
    if (fill > this.fillMax) this.fillMax = fill;
  }

  recent(count: number): VmSample[] {
    const n = Math.max(0, Math.min(this.samples, HISTORY, Math.floor(count)));
    const out: VmSample[] = [];
    for (let i = this.samples - n; i < this.samples; i++) {
      out.push({ ringFill: this.fills[i % HISTORY], completed: this.completions[i % HISTORY] });
    }
    return out;
  }
}

export class Sampler {
  private readonly series = new Map<string, VmSeries>();
  /** The same series in the VMs' map order, for the per-tick loop. */
  private readonly ordered: VmSeries[] = [];
  private readonly tick: EventType<null>;
  private rootBusyLast = 0;
  /** The root's VP count (fixed when the host boots, rule 31). */
  private readonly rootVps: number;
  /** Recent root-VP utilisation per interval, 0..1. */
  readonly rootBusy: number[] = [];

  constructor(
    private readonly engine: SimEngine,
    private readonly scheduler: HypervisorScheduler,
    private readonly server: VmbusServer,
    private readonly vms: ReadonlyMap<string, VmRuntime>,
    private readonly rootPartitionId: number,
  ) {
    this.rootVps = scheduler.partitionMetrics(rootPartitionId).vpCount;
    // One buffer for every VM's history: a backing store per VM cost 0.14 s on a 1024-VM host.
    const history = new Float64Array(2 * HISTORY * vms.size);
    for (const [name, vm] of vms) {
      const at = 2 * HISTORY * this.ordered.length;
      const series = new VmSeries(name, vm, history.subarray(at, at + 2 * HISTORY));
      this.series.set(name, series);
      this.ordered.push(series);
    }
    this.tick = engine.define<null>('sampler:tick', () => {
      this.sample();
      engine.after(SAMPLE_INTERVAL_NS, this.tick, null);
    });
  }

  start(): void {
    this.engine.after(SAMPLE_INTERVAL_NS, this.tick, null);
  }

  private sample(): void {
    const ordered = this.ordered;
    const version = this.server.openSetVersion;
    for (let i = 0; i < ordered.length; i++) {
      const s = ordered[i];
      const pid = s.vm.managed.partitionId;
      if (s.readersVersion !== version || s.readersPartition !== pid) this.collectReaders(s, pid);
      const readers = s.readers;
      let used = 0;
      for (let r = 0; r < readers.length; r++) {
        const inUse = readers[r].bytesInUse();
        used += inUse < 0 ? readers[r].capacity : inUse;
      }
      const fill = s.capacity > 0 ? used / s.capacity : 0;
      const completed = s.vm.metrics.completed;
      s.push(fill, completed - s.lastCompleted);
      s.lastCompleted = completed;
    }
    const busy = this.scheduler.partitionRunNs(this.rootPartitionId);
    this.rootBusy.push((busy - this.rootBusyLast) / (SAMPLE_INTERVAL_NS * this.rootVps));
    if (this.rootBusy.length > HISTORY) this.rootBusy.shift();
    this.rootBusyLast = busy;
  }

  private collectReaders(s: VmSeries, partitionId: number): void {
    s.readers = [];
    s.capacity = 0;
    s.readersVersion = this.server.openSetVersion;
    s.readersPartition = partitionId;
    const channels = partitionId > 0 ? this.server.channelMapOf(partitionId) : undefined;
    if (channels === undefined) return;
    for (const ch of channels.values()) {
      const host = ch.host;
      if (host === null || ch.state !== 'open') continue;
      s.readers.push(host.transport.reader);
      s.capacity += host.transport.reader.capacity;
    }
  }

  /** Average and peak guest→host ring fill of a VM over the run, percent. */
  ringFill(vm: string): { averagePercent: number; peakPercent: number } {
    const s = this.series.get(vm);
    if (s === undefined || s.samples === 0) return { averagePercent: 0, peakPercent: 0 };
    return { averagePercent: (100 * s.fillSum) / s.samples, peakPercent: 100 * s.fillMax };
  }

  /** The VM's last `count` samples (at most {@link HISTORY}), oldest first. */
  recent(vm: string, count = HISTORY): readonly VmSample[] {
    return this.series.get(vm)?.recent(count) ?? [];
  }
}
