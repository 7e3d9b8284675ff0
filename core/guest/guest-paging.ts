/**
 * The guest's memory manager under pressure: when the workload's working set does not fit the
 * memory the partition has, the guest pages. Every window it compares the working set with the
 * backed (assigned) memory, slows the application by the paging stalls, and issues the page-in
 * reads and dirty-page writes as real block I/O on the guest's storage path — storvsc or the
 * emulated IDE driver — where they queue with the workload's own requests, in the guest, on the
 * ring, in the VSP and at the physical disk (HYPERV.md: memory pressure ⇒ guest paging ⇒ extra
 * storage I/O and slower workloads). A VM with static memory below its demand pages just the
 * same; Dynamic Memory avoids it by giving the VM memory.
 *
 * The rates come from {@link pagingEffect} (core/memory/dynamic-memory/paging.ts); this file
 * turns them into I/O, spread evenly over each sampling interval.
 */
import type { EventType, Ns, SimEngine } from '../engine/index.js';
import { NS_PER_MS, NS_PER_S } from '../engine/index.js';
import type { CostMeter, HostCpu } from '../host/cpu.js';
import { WorkClass } from '../host/cpu.js';
import { pagesToMib, pagingEffect, PAGE_SIZE } from '../memory/index.js';
import type { PagingEffect, PartitionMemory } from '../memory/index.js';
import type { VmIoMetrics } from '../metrics/vm-metrics.js';
import type { VpId } from '../scheduler/index.js';
import type { Application } from './application.js';
import { Storvsc } from './drivers/storvsc.js';
import type { BlockDriver, BlockIo, BlockIoSink, BlockOp } from './io.js';
import { isBlockDriver } from './stacks/storage-stack.js';
import type { GuestDevice } from './stacks/types.js';
import type { Workload } from './workload.js';

// estimate: the guest re-evaluates its memory every 100 ms (Windows' working-set manager runs
// about once a second, Linux's kswapd continuously; a tenth of a second follows load changes).
export const PAGING_WINDOW_NS: Ns = 100 * NS_PER_MS;
// estimate: guest CPU to take a hard fault or pick a dirty page and build its block request.
export const PAGING_IO_CPU_NS: Ns = 4_000;
// estimate: the page file takes at most 8 GiB at the end of the disk (a Windows system-managed
// page file is about the size of memory).
const PAGE_FILE_BYTES = 8 * 1024 * 1024 * 1024;
// estimate: faulting threads block, so only so many paging requests are in flight at once.
export const MAX_PAGING_IN_FLIGHT = 32;

const NO_PAGING: PagingEffect = pagingEffect(0, 0);

export interface GuestPagingDeps {
  readonly engine: SimEngine;
  readonly cpu: HostCpu;
  /** Unique name for the events (the VM name). */
  readonly name: string;
  readonly vpIds: readonly VpId[];
  /** The partition's memory: what is backed now. */
  readonly memory: () => PartitionMemory | undefined;
  readonly workload: Workload;
  readonly app: Application;
  readonly metrics: VmIoMetrics;
  /** The guest's devices; paging uses its first working storage device. */
  readonly devices: readonly GuestDevice[];
  readonly meter: CostMeter;
}

/**
 * Paging of one guest.
 *
 * @example
 * ```ts
 * const paging = new GuestPaging({ engine, cpu, name, vpIds, memory, workload, app, metrics, devices, meter });
 * paging.start(workload.startAt); // windows every 100 ms from when the workload starts
 * paging.effect.slowdown;         // 1 while the working set fits
 * ```
 */
export class GuestPaging implements BlockIoSink {
  /** The effect of the last sampling interval. */
  effect: PagingEffect = NO_PAGING;
  /** Working set of the last window, MiB. */
  demandMiB = 0;
  /** Paging I/O in flight, and I/O the guest could not issue (no path, too many in flight). */
  inFlight = 0;
  skipped = 0;
  private readCarry = 0;
  private writeCarry = 0;
  private reads = 0;
  private writes = 0;
  private issued = 0;
  private stepNs = 0;
  private nextVp = 0;
  private cursor = 0x2545f491;
  private readBytes = 8 * PAGE_SIZE;
  private writeBytes = 16 * PAGE_SIZE;
  private readonly windowEvent: EventType<null>;
  private readonly ioEvent: EventType<null>;

  constructor(private readonly deps: GuestPagingDeps) {
    this.windowEvent = deps.engine.define<null>(`paging:${deps.name}:window`, () => {
      this.onWindow();
    });
    this.ioEvent = deps.engine.define<null>(`paging:${deps.name}:io`, () => {
      this.onIo();
    });
  }

  /** Starts the windows at `at` (when the guest has booted; nothing pages before its application runs). */
  start(at: Ns): void {
    this.deps.engine.at(at, this.windowEvent, null);
  }

  /** The working set now, MiB (none until the application has started). */
  currentDemandMiB(): number {
    if (!this.deps.app.running) return 0;
    return this.deps.workload.memoryDemandMiB(this.deps.engine.now);
  }

  private onWindow(): void {
    const { engine, app } = this.deps;
    const memory = this.deps.memory();
    if (memory === undefined || !memory.alive) return;
    this.demandMiB = this.currentDemandMiB();
    const effect = pagingEffect(this.demandMiB, pagesToMib(memory.assignedPages));
    this.effect = effect;
    app.slowdown = effect.slowdown;
    const share = PAGING_WINDOW_NS / NS_PER_S;
    const reads = effect.readsPerSecond * share + this.readCarry;
    const writes = effect.writesPerSecond * share + this.writeCarry;
    this.reads = Math.floor(reads);
    this.writes = Math.floor(writes);
    this.readCarry = reads - this.reads;
    this.writeCarry = writes - this.writes;
    if (effect.readsPerSecond > 0)
      this.readBytes = clusterBytes(effect.readBytesPerSecond / effect.readsPerSecond);
    if (effect.writesPerSecond > 0)
      this.writeBytes = clusterBytes(effect.writeBytesPerSecond / effect.writesPerSecond);
    this.issued = 0;
    const total = this.reads + this.writes;
    if (total > 0) {
      this.stepNs = Math.max(1, Math.floor(PAGING_WINDOW_NS / total));
      engine.after(0, this.ioEvent, null);
    }
    engine.after(PAGING_WINDOW_NS, this.windowEvent, null);
  }

  /** Issues the window's next paging request; writes are interleaved evenly among reads. */
  private onIo(): void {
    const total = this.reads + this.writes;
    const i = this.issued++;
    const write =
      Math.floor(((i + 1) * this.writes) / total) > Math.floor((i * this.writes) / total);
    this.issue(write ? 'write' : 'read');
    if (this.issued < total) this.deps.engine.after(this.stepNs, this.ioEvent, null);
  }

  private issue(op: BlockOp): void {
    const { engine, cpu, vpIds, meter } = this.deps;
    const device = this.storageDevice();
    if (device === null || this.inFlight >= MAX_PAGING_IN_FLIGHT) {
      this.skipped++;
      return;
    }
    const driver = device.driver as BlockDriver;
    const bytes = op === 'read' ? this.readBytes : this.writeBytes;
    const vpIndex = this.nextVp;
    this.nextVp = (this.nextVp + 1) % vpIds.length;
    this.inFlight++;
    const io: BlockIo = {
      op,
      bytes,
      offset: this.pageFileOffset(device, bytes),
      vpIndex,
      issuedAt: engine.now,
      sink: this,
      context: null,
    };
    meter.take();
    driver.submit(io);
    if (driver instanceof Storvsc) driver.pump(meter, vpIndex);
    cpu.charge(vpIds[vpIndex], PAGING_IO_CPU_NS + meter.take(), WorkClass.Thread);
  }

  blockIoDone(io: BlockIo, ok: boolean): void {
    this.inFlight--;
    const m = this.deps.metrics;
    if (ok) {
      m.pagingOps++;
      m.pagingBytes += io.bytes;
    } else m.pagingFailed++;
  }

  private storageDevice(): GuestDevice | null {
    for (const d of this.deps.devices) {
      if (d.spec.class !== 'storage' || d.path === 'none') continue;
      const driver = d.driver;
      if (isBlockDriver(driver) && driver.ready && !driver.dead) return d;
    }
    return null;
  }

  /** A page-file cluster at the end of the disk, scattered (deterministic). */
  private pageFileOffset(device: GuestDevice, bytes: number): number {
    const diskBytes = (device.spec.sizeGiB ?? 40) * 1024 * 1024 * 1024;
    const fileBytes = Math.min(PAGE_FILE_BYTES, Math.floor(diskBytes / 4));
    const slots = Math.max(1, Math.floor(fileBytes / bytes));
    this.cursor = (Math.imul(this.cursor, 1664525) + 1013904223) >>> 0;
    return diskBytes - fileBytes + (this.cursor % slots) * bytes;
  }
}

/** Bytes of one paging request, whole pages. */
function clusterBytes(bytes: number): number {
  return Math.max(PAGE_SIZE, Math.round(bytes / PAGE_SIZE) * PAGE_SIZE);
}
