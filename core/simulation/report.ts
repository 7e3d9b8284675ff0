/**
 * The final report of a run (and the live numbers behind the game's panels): per VM and per host,
 * derived from the counters each subsystem keeps. Shapes are plain JSON so the CLI can print them
 * and other tools can rely on them.
 */
import type { IsolationDetail } from '../memory/isolation-details.js';
import type { Ns } from '../engine/index.js';
import { NS_PER_S } from '../engine/index.js';
import type { ChannelFault } from '../vsp/plugin-faults.js';
import type { ByName } from './by-name.js';
import type { SimulationRuntime } from './runtime.js';
import { ringWaitNs } from './vm-runtime.js';

export interface VmReport {
  readonly state: string;
  /** How each of the VM's devices is reached, by device id (a device it lacks reads undefined). */
  readonly path: ByName<'synthetic' | 'emulated' | 'none'>;
  /**
   * Why each connected device whose guest driver gave up stopped, by device id, in the driver's
   * words: `'Obsolete Hyper-V version'` when storvsp accepts none of the versions storvsc
   * proposes (rule 16), `'BEGIN_INITIALIZATION: no answer from the host in 5 s (-ETIMEDOUT)'` when
   * it never answers a step of the handshake, the reason a VSP stopped its channel (rule 38), a
   * rescind. A working device, and one connected to nothing (`path` says `'none'`), is absent.
   */
  readonly deviceFailures: ByName<string>;
  /** Completed I/O operations per second (storage requests and network round trips). */
  readonly iops: number;
  /** Megabytes per second moved by completed operations. */
  readonly mbps: number;
  readonly p50LatencyUs: number;
  readonly p99LatencyUs: number;
  readonly storage: {
    readonly ops: number;
    readonly p50LatencyUs: number;
    readonly p99LatencyUs: number;
  };
  readonly network: {
    readonly ops: number;
    readonly p50LatencyUs: number;
    readonly p99LatencyUs: number;
    /** Frames for the VM dropped at the virtual switch (no port or no open channel). */
    readonly framesDropped: number;
  };
  readonly completed: number;
  /** Share of the run's time × VPs the VM's VPs ran, percent of its VPs. */
  readonly cpuPercent: number;
  /** Share of time its VPs were runnable but waiting for a logical processor, percent. */
  readonly readyPercent: number;
  readonly misrouted: number;
  readonly dropped: number;
  readonly failed: number;
  /**
   * Completions the VM's drivers dropped because their trans_id named no request in flight: a VSP
   * that completed a request twice, or one it never received (L: storvsc "Incorrect transaction
   * ID", netvsc "Invalid transaction ID").
   */
  readonly strayCompletions: number;
  readonly interrupts: number;
  readonly hypercalls: number;
  /**
   * Intercept messages its VPs' accesses to emulated devices raised (rule 21): each one an I/O
   * port access sent to the root for its worker process to handle. Zero for a guest on synthetic
   * devices only. The host's `intercepts` is the sum over its VMs.
   */
  readonly intercepts: number;
  /**
   * Share of the run the guest's requests could not enter its rings — the ring was full, or every
   * request slot the ring size allows was taken (rule 18) — so they waited in the driver, percent.
   */
  readonly ringFullPercent: number;
  /** Average fill of its guest→host rings (the VMBus backlog the root has not read), percent. */
  readonly ringOccupancyPercent: number;
  /** Peak fill of its guest→host rings, percent. */
  readonly ringPeakPercent: number;
  /** Memory demand over assigned memory, percent (over 100: the guest pages). */
  readonly memoryPressure: number;
  /** icsvc: the guest's memory now (rule 34) and what paging cost it. */
  readonly memory: VmMemoryReport;
  readonly heartbeat: string;
  readonly failure: string;
  /** Every state VMMS gave the VM, with when (ms into the run): Off, Starting, Running… */
  readonly history: readonly { readonly atMs: number; readonly state: string }[];
}

/** icsvc: one VM's memory, MiB, as the host and the guest see it now. */
export interface VmMemoryReport {
  /** The workload's working set now. */
  readonly demandMiB: number;
  /** Backed by host RAM. */
  readonly assignedMiB: number;
  /** Installed memory the guest sees (never shrinks, rule 34). */
  readonly installedMiB: number;
  /** Taken back by the balloon. */
  readonly balloonedMiB: number;
  /** DM_STATUS_REPORTs the balancer received. */
  readonly statusReports: number;
  /** Paging I/O the guest completed on its disk, and megabytes moved. */
  readonly pagingOps: number;
  readonly pagingMB: number;
  /** How much longer the workload's CPU work took because of paging stalls (1 = none). */
  readonly slowdown: number;
}

export interface HostReport {
  readonly rootCpuPercent: number;
  readonly lpUtilizationPercent: number;
  readonly interrupts: number;
  readonly hypercalls: number;
  readonly isolationFaults: number;
  readonly intercepts: number;
  /**
   * Cross-VM SMT exposure: the share of the host's core-time during which a core's two SMT
   * siblings ran VPs of different partitions, 0–100 % (0 under the core scheduler, rule 29).
   */
  readonly siblingSharingPercent: number;
  readonly openChannels: number;
  readonly gpadlBytes: number;
  readonly memory: { readonly totalMiB: number; readonly freeMiB: number };
  /** Physical disks by id, in the scenario's order (an id it lacks reads undefined). */
  readonly disks: ByName<DiskReport>;
  /** Physical NICs by id, in the scenario's order (an id it lacks reads undefined). */
  readonly nics: ByName<NicReport>;
}

/** One physical disk: how busy, how deep its queue ran, what it served. */
export interface DiskReport {
  readonly busyPercent: number;
  readonly averageQueue: number;
  readonly iops: number;
  readonly mbps: number;
}

/** One physical NIC: share of time each direction was serializing frames. */
export interface NicReport {
  readonly transmitPercent: number;
  readonly receivePercent: number;
}

export interface VspReport {
  readonly plugin: string;
  readonly packets: number;
  readonly cpuMs: number;
  readonly channels: number;
  readonly failedChannels: number;
}

export interface SimReport {
  readonly seed: number;
  readonly durationMs: number;
  readonly events: number;
  readonly hash: string;
  readonly host: HostReport;
  /** Every VM of the scenario by name, in the scenario's order (a name it lacks reads undefined). */
  readonly vms: ByName<VmReport>;
  /** Every VSP instance of the configuration by id (an id it lacks reads undefined). */
  readonly vsps: ByName<VspReport>;
  readonly faults: {
    readonly plugins: readonly ChannelFault[];
    readonly isolation: readonly {
      time: Ns;
      vm: string;
      actor: string;
      kind: string;
      /** What was tried, in English. */
      detail: string;
      /** The same as an id and its numbers (core/memory/isolation-details.ts). */
      message: IsolationDetail;
    }[];
  };
}

const round = (x: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/**
 * Packets of `vm` that reached a VSP of another class than the device it was offered (a network
 * VSC wired to storvsp): the VSPs' channels count them as they arrive.
 */
function misroutedPackets(rt: SimulationRuntime, vm: string): number {
  let n = 0;
  for (const vsp of rt.vsps.values())
    for (const ch of vsp.channels) if (ch.transport.vm === vm) n += ch.misrouted;
  return n;
}

export function buildReport(rt: SimulationRuntime): SimReport {
  const now = rt.engine.now;
  const seconds = now / NS_PER_S;
  const vms: Record<string, VmReport> = {};
  const hvCounters = new Map(rt.hv.counters().map((c) => [c.partitionId, c]));
  let hostInterrupts = 0;
  let hostHypercalls = 0;
  const hypercallsOf = (
    c: { hypercalls: Readonly<Record<string, number>>; otherHypercalls: number } | undefined,
  ): number =>
    c === undefined ? 0 : Object.values(c.hypercalls).reduce((a, b) => a + b, c.otherHypercalls);
  for (const c of rt.hv.counters()) {
    hostInterrupts += c.interruptsRaised;
    hostHypercalls += hypercallsOf(c);
  }
  rt.vmms.refreshHeartbeats();
  for (const [name, vm] of rt.vms) {
    const m = vm.metrics;
    const pid = vm.managed.partitionId;
    // A VM that failed to start has no partition (id 0) and nothing in the scheduler.
    const cpu = pid > 0 && vm.vpIds.length > 0 ? rt.scheduler.partitionMetrics(pid) : undefined;
    // A VM whose partition was deleted is measured over the VPs it had (its CPU then: `past`).
    const vpTime =
      now * Math.max(1, vm.vpIds.length > 0 ? vm.vpIds.length : vm.managed.config.processor.count);
    const past = vm.past;
    const counters = hvCounters.get(pid);
    const mem = pid > 0 ? rt.memory.partition(pid) : undefined;
    // icsvc: the live working set against the memory backed now.
    const demand = vm.guest?.paging?.currentDemandMiB() ?? 0;
    const assignedMiB = mem === undefined ? 0 : (mem.assignedPages * 4096) / (1024 * 1024);
    const blockedNs = ringWaitNs(vm, now);
    let strayCompletions = 0;
    for (const d of vm.guest?.devices ?? []) strayCompletions += d.driver?.strayCompletions ?? 0;
    const path: Record<string, 'synthetic' | 'emulated' | 'none'> = {};
    const deviceFailures: Record<string, string> = {};
    for (const d of vm.guest?.devices ?? []) {
      path[d.spec.id] = d.path;
      if (d.path !== 'none' && d.failure !== '') deviceFailures[d.spec.id] = d.failure;
    }
    vms[name] = {
      state: vm.managed.state,
      path,
      deviceFailures,
      iops: seconds > 0 ? round((m.storageOps + m.networkOps) / seconds, 1) : 0,
      mbps: seconds > 0 ? round(m.bytes / 1e6 / seconds, 2) : 0,
      p50LatencyUs: round(m.latency.quantile(0.5) / 1000, 1),
      p99LatencyUs: round(m.latency.quantile(0.99) / 1000, 1),
      storage: {
        ops: m.storageOps,
        p50LatencyUs: round(m.storageLatency.quantile(0.5) / 1000, 1),
        p99LatencyUs: round(m.storageLatency.quantile(0.99) / 1000, 1),
      },
      network: {
        ops: m.networkOps,
        p50LatencyUs: round(m.networkLatency.quantile(0.5) / 1000, 1),
        p99LatencyUs: round(m.networkLatency.quantile(0.99) / 1000, 1),
        framesDropped: m.networkFramesDropped,
      },
      completed: m.completed,
      cpuPercent: round((100 * ((cpu?.runNs ?? 0) + past.runNs)) / vpTime, 1),
      readyPercent: round((100 * ((cpu?.readyNs ?? 0) + past.readyNs)) / vpTime, 1),
      misrouted: m.misrouted + misroutedPackets(rt, name),
      dropped: m.dropped,
      failed: m.failed,
      strayCompletions,
      interrupts: (rt.router.interrupts[pid] ?? 0) + past.interrupts,
      hypercalls: hypercallsOf(counters) + past.hypercalls,
      intercepts: (counters?.interceptsDelivered ?? 0) + past.intercepts,
      ringFullPercent: now > 0 ? round((100 * blockedNs) / now, 1) : 0,
      ringOccupancyPercent: round(rt.sampler.ringFill(name).averagePercent, 2),
      ringPeakPercent: round(rt.sampler.ringFill(name).peakPercent, 2),
      memoryPressure: assignedMiB > 0 ? round((100 * demand) / assignedMiB, 1) : 0,
      memory: {
        demandMiB: demand,
        assignedMiB: round(assignedMiB, 1),
        installedMiB: mem === undefined ? 0 : round(mem.visiblePages / 256, 1),
        balloonedMiB: mem === undefined ? 0 : round(mem.balloonedPages / 256, 1),
        statusReports: rt.dynamicMemory.statsOf(name).statusReports,
        pagingOps: m.pagingOps,
        pagingMB: round(m.pagingBytes / 1e6, 2),
        slowdown: round(vm.guest?.paging?.effect.slowdown ?? 1, 3),
      },
      heartbeat: vm.managed.heartbeat,
      failure: vm.managed.failure,
      history: vm.managed.history.map((h) => ({ atMs: round(h.time / 1e6, 3), state: h.state })),
    };
  }
  const host = rt.scheduler.hostMetrics();
  const rootCpu = rt.scheduler.partitionMetrics(rt.rootPartitionId);
  const lpBusy = host.lpBusyNs.reduce((a, b) => a + b, 0);
  const vsps: Record<string, VspReport> = {};
  for (const [id, v] of rt.vsps) {
    vsps[id] = {
      plugin: v.pluginId,
      packets: v.packetsHandled,
      cpuMs: round(v.cpuNs / 1e6, 3),
      channels: v.channels.length,
      failedChannels: v.channels.filter((c) => c.state === 'failed').length,
    };
  }
  const free = rt.memory.host.freePages;
  const processor = rt.input.scenario.host.processor;
  const cores = processor.sockets * processor.coresPerSocket;
  return {
    seed: rt.input.seed,
    durationMs: round(now / 1e6, 3),
    events: rt.engine.log.events,
    hash: rt.engine.log.hash,
    host: {
      rootCpuPercent: now > 0 ? round((100 * rootCpu.runNs) / (now * rootCpu.vpCount), 1) : 0,
      lpUtilizationPercent: now > 0 ? round((100 * lpBusy) / (now * host.lpBusyNs.length), 1) : 0,
      interrupts: hostInterrupts,
      hypercalls: hostHypercalls,
      isolationFaults: rt.isolation.total,
      intercepts: [...hvCounters.values()].reduce((a, c) => a + c.interceptsDelivered, 0),
      siblingSharingPercent: now > 0 ? round((100 * host.siblingSharingNs) / (now * cores), 2) : 0,
      openChannels: rt.server.openChannels,
      gpadlBytes: rt.gpadls.bytesInUse,
      memory: {
        totalMiB: rt.input.scenario.host.memoryMiB,
        freeMiB: Math.floor((free * 4096) / (1024 * 1024)),
      },
      disks: Object.fromEntries(
        [...rt.disks].map(([id, d]) => {
          const u = d.utilization();
          return [
            id,
            {
              busyPercent: round(100 * u.busyFraction, 1),
              averageQueue: round(u.averageQueue, 2),
              iops: seconds > 0 ? round(d.completed / seconds, 1) : 0,
              mbps: seconds > 0 ? round((d.bytesRead + d.bytesWritten) / 1e6 / seconds, 2) : 0,
            },
          ];
        }),
      ),
      nics: Object.fromEntries(
        [...rt.nics].map(([id, n]) => {
          const u = n.utilization();
          return [
            id,
            {
              transmitPercent: round(100 * u.transmit, 1),
              receivePercent: round(100 * u.receive, 1),
            },
          ];
        }),
      ),
    },
    vms,
    vsps,
    faults: {
      // Copies: a report taken mid-run keeps what it said while the log goes on growing.
      plugins: rt.faults.list().map((f) => ({ ...f })),
      isolation: rt.isolation.recent().map((f) => ({
        time: f.time,
        vm: rt.vmNameOf(f.partition),
        actor: f.actor,
        kind: f.kind,
        detail: f.detail,
        message: f.message,
      })),
    },
  };
}
