/**
 * Property-based checks of the hypervisor rules a whole run must keep (HYPERV.md rules 21–27), on
 * random but valid hosts built through the public API (`Simulation.create` with plain scenario
 * and configuration data) and read back only through what the game and CLI read: the report, the
 * snapshot and the narration. Each host mixes enlightened VMs (integration components: synthetic
 * storage over VMBus) and legacy ones (no integration components: emulated IDE in the worker
 * process). Seeds are fixed: a failure names its counterexample and replays.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { NS_PER_MS } from '../engine/index.js';
import {
  HvCallCode,
  HvStatus,
  HYPERCALL_TIME_BUDGET_NS,
  INTERCEPT_COMPLETION_COST_NS,
  INTERCEPT_DELIVERY_COST_NS,
  HypercallOutcome,
  hvStatusName,
  repCall,
} from '../hypervisor/index.js';
import type { HypercallControl, HypercallParams } from '../hypervisor/index.js';
import type { ConfigurationInput, ScenarioInput, SchedulerType } from '../model/index.js';
import { VMWP_ACCESS_BASE_NS } from '../root/vmwp/device-model.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import { vmOf } from './by-name.js';
import type { NarrationLine } from './event-log.js';
import type { SimReport } from './report.js';
import { Simulation, internalsOf } from './simulation.js';

const vsps = [minimalStorvsp()];
/** The same VSP, offering storage subchannels (rule 16) — one per 4 VPs beyond the first. */
const subchannelVsps = [minimalStorvsp({ maxSubchannels: 15 })];

interface HvVm {
  /** No integration components: a generation 1 VM on emulated IDE (rule 21). */
  readonly legacy: boolean;
  readonly generation: 1 | 2;
  readonly family: 'linux' | 'windows';
  readonly vps: number;
  readonly kind: 'database' | 'file';
  readonly intensity: number;
  readonly startAtMs: number;
  /** How an enlightened VM's channel signals the host (rule 8); a legacy VM has no channel. */
  readonly signalling: 'batched' | 'low-latency';
}

interface HvHost {
  readonly cores: number;
  readonly threadsPerCore: 1 | 2;
  readonly rootVps: number;
  readonly scheduler: SchedulerType;
  readonly vms: readonly HvVm[];
  readonly seed: number;
}

const nameOf = (i: number) => `vm${String(i)}`;

function build(
  h: HvHost,
  durationMs: number,
): { scenario: ScenarioInput; configuration: ConfigurationInput } {
  return {
    scenario: {
      host: {
        processor: { sockets: 1, coresPerSocket: h.cores, threadsPerCore: h.threadsPerCore },
        memoryMiB: 65_536,
        disks: [
          { id: 'ssd0', kind: 'nvme', iops: 400_000, mbps: 3000, latencyUs: 80, queueDepth: 256 },
        ],
      },
      vms: h.vms.map((v, i) => ({
        name: nameOf(i),
        generation: v.generation,
        os: {
          family: v.family,
          release: v.legacy
            ? v.family === 'linux'
              ? 'CentOS 5'
              : 'Windows Server 2003'
            : v.family === 'linux'
              ? 'Ubuntu 22.04'
              : 'Windows Server 2019',
          integrationComponents: !v.legacy,
        },
        devices: [{ id: 'disk0', class: 'storage', sizeGiB: 100 }],
        workload: { kind: v.kind, intensity: v.intensity, memoryMiB: 512 },
        startAtMs: v.startAtMs,
      })),
      durationMs,
      seed: h.seed,
    },
    configuration: {
      host: { scheduler: h.scheduler, rootVps: h.rootVps },
      vms: Object.fromEntries(
        h.vms.map((v, i) => [
          nameOf(i),
          {
            integrationComponents: !v.legacy,
            processor: { count: v.vps },
            memory: { dynamic: false, startupMiB: 1024 },
          },
        ]),
      ),
      vsps: [{ id: 'stor', plugin: 'test.minimal-storage', device: 'ssd0' }],
      channels: h.vms.flatMap((v, i) =>
        v.legacy ? [] : [{ vm: nameOf(i), device: 'disk0', vsp: 'stor', signalling: v.signalling }],
      ),
      emulated: h.vms.flatMap((v, i) =>
        v.legacy ? [{ vm: nameOf(i), device: 'disk0', backing: 'ssd0' }] : [],
      ),
    },
  };
}

function hvVm(maxVps: number): fc.Arbitrary<HvVm> {
  return fc
    .record({
      legacy: fc.boolean(),
      generation: fc.constantFrom<1 | 2>(1, 2),
      family: fc.constantFrom<'linux' | 'windows'>('linux', 'windows'),
      vps: fc.integer({ min: 1, max: maxVps }),
      kind: fc.constantFrom<'database' | 'file'>('database', 'file'),
      intensity: fc.integer({ min: 1, max: 20 }),
      startAtMs: fc.constantFrom(0, 0, 20, 75),
      signalling: fc.constantFrom<'batched' | 'low-latency'>('batched', 'low-latency'),
    })
    .map((v) => ({ ...v, generation: v.legacy ? (1 as const) : v.generation }));
}

function hvHost(options: { maxVms?: number; maxVps?: number } = {}): fc.Arbitrary<HvHost> {
  return fc
    .record({
      cores: fc.integer({ min: 1, max: 4 }),
      threadsPerCore: fc.constantFrom<1 | 2>(1, 2),
      rootVps: fc.integer({ min: 1, max: 2 }),
      scheduler: fc.constantFrom<SchedulerType>('classic', 'core'),
      seed: fc.integer({ min: 1, max: 1000 }),
    })
    .chain((h) => {
      const lps = h.cores * h.threadsPerCore;
      return fc
        .array(hvVm(Math.min(lps, options.maxVps ?? 4)), {
          minLength: 1,
          maxLength: options.maxVms ?? 4,
        })
        .map((vms) => ({ ...h, rootVps: Math.min(h.rootVps, lps), vms }));
    });
}

interface Run {
  readonly report: SimReport;
  readonly lines: readonly NarrationLine[];
  /** Reports taken every `stepMs` (the last one at the end). */
  readonly samples: readonly SimReport[];
}

function run(h: HvHost, durationMs: number, stepMs = durationMs): Run {
  const { scenario, configuration } = build(h, durationMs);
  const sim = Simulation.create({ scenario, configuration, vsps });
  const lines: NarrationLine[] = [];
  sim.on((line) => lines.push(line));
  const samples: SimReport[] = [];
  while (!sim.finished) {
    sim.advance(stepMs * NS_PER_MS);
    samples.push(sim.report());
  }
  return { report: sim.report(), lines, samples };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('hypervisor properties on random hosts (rules 21–27)', () => {
  it('rules 21, 27: a legacy guest makes no hypercall, takes no SynIC interrupt and opens no VMBus channel; its disk is emulated, and each intercept’s emulation is root CPU, its exit the guest’s', () => {
    fc.assert(
      fc.property(hvHost(), (h) => {
        const { report, lines } = run(h, 300);
        h.vms.forEach((v, i) => {
          const name = nameOf(i);
          const vm = vmOf(report.vms, name);
          expect(vm.state).toBe('Running');
          expect(vm.path.disk0).toBe(v.legacy ? 'emulated' : 'synthetic');
          const booted = lines.filter((l) => l.source === name && l.message.id === 'guest.booted');
          expect(booted.map((l) => l.message.args)).toEqual([{ enlightened: !v.legacy }]);
          if (!v.legacy) {
            expect(vm.intercepts).toBe(0);
            return;
          }
          // rule 21: each access to the emulated IDE is an intercept; a request takes several
          expect(vm.storage.ops).toBeGreaterThan(0);
          expect(vm.intercepts).toBeGreaterThan(vm.storage.ops);
          expect(vm.hypercalls).toBe(0);
          expect(vm.interrupts).toBe(0);
          expect(
            lines.filter((l) => l.source === name && l.message.id.startsWith('channel.')),
          ).toEqual([]);
        });
        // every intercept is a VM's: the host's are the sum of its VMs'
        expect(report.host.intercepts).toBe(
          sum(h.vms.map((_, i) => vmOf(report.vms, nameOf(i)).intercepts)),
        );
        // Scheduler cross-check: an intercept's emulation (the worker process) and completion
        // are root CPU, its exit the guest VP's. At most one per VP is still in flight at the end;
        // the report rounds each CPU figure to 0.1 % of its VPs' time.
        const cpuMs = (percent: number, vps: number) => (percent / 100) * report.durationMs * vps;
        const slack = (vps: number) => 0.0005 * report.durationMs * vps;
        const inFlight = sum(h.vms.filter((v) => v.legacy).map((v) => v.vps));
        const handled = Math.max(0, report.host.intercepts - inFlight);
        expect(
          cpuMs(report.host.rootCpuPercent, h.rootVps) + slack(h.rootVps),
        ).toBeGreaterThanOrEqual(
          (handled * (VMWP_ACCESS_BASE_NS + INTERCEPT_COMPLETION_COST_NS)) / NS_PER_MS,
        );
        h.vms.forEach((v, i) => {
          const vm = vmOf(report.vms, nameOf(i));
          expect(cpuMs(vm.cpuPercent, v.vps) + slack(v.vps)).toBeGreaterThanOrEqual(
            (Math.max(0, vm.intercepts - v.vps) * INTERCEPT_DELIVERY_COST_NS) / NS_PER_MS,
          );
        });
      }),
      { numRuns: 4 },
    );
  });

  it('rule 27: an enlightened guest makes no hypercall and sees no channel before its boot handshake', () => {
    fc.assert(
      fc.property(hvHost(), (h) => {
        const { lines, samples } = run(h, 300, 1);
        h.vms.forEach((v, i) => {
          if (v.legacy) return;
          const name = nameOf(i);
          const booted = lines.find((l) => l.source === name && l.message.id === 'guest.booted');
          expect(booted).toBeDefined();
          const bootedAt = booted?.time ?? Infinity;
          // a sample at time t counts what happened up to t: one before the boot shows none
          for (const s of samples) {
            if (s.durationMs * NS_PER_MS >= bootedAt) break;
            expect(vmOf(s.vms, name).hypercalls).toBe(0);
            expect(vmOf(s.vms, name).interrupts).toBe(0);
          }
          // The host registers its offers when the VM starts ('channel.registered'); the guest
          // hears them (OFFERCHANNEL: 'channel.offered') only after it connects and asks (rule
          // 11), and opens nothing before.
          for (const l of lines)
            if (
              l.source === name &&
              (l.message.id.startsWith('channel.') || l.message.id.startsWith('vmbus.')) &&
              l.message.id !== 'channel.registered'
            )
              expect(l.time).toBeGreaterThanOrEqual(bootedAt);
        });
      }),
      { numRuns: 4 },
    );
  });

  it('rules 8, 24–26: every SynIC interrupt has a cause, and a guest is counted only the hypercalls it makes — none for a batched channel, whose signals are the hypervisor’s monitor scans', () => {
    fc.assert(
      fc.property(hvHost(), (h) => {
        const { samples } = run(h, 300, 50);
        const batched = h.vms.some((v) => !v.legacy && v.signalling === 'batched');
        for (const r of samples) {
          const vms = h.vms.map((_, i) => vmOf(r.vms, nameOf(i)));
          const childCalls = sum(vms.map((v) => v.hypercalls));
          const childInterrupts = sum(vms.map((v) => v.interrupts));
          const rootCalls = r.host.hypercalls - childCalls;
          const rootInterrupts = r.host.interrupts - childInterrupts;
          expect(rootCalls).toBeGreaterThanOrEqual(0);
          expect(rootInterrupts).toBeGreaterThanOrEqual(0);
          // rule 26: a signal interrupts only on a 0→1 flag, a message only when it reaches its
          // slot; a child's come from the root's posts and signals
          expect(childInterrupts).toBeLessThanOrEqual(rootCalls);
          // the root's from the children's posts and signals and their intercepts — and, on a
          // host with a batched channel, from the hypervisor's monitor scans (rule 8)
          if (!batched) expect(rootInterrupts).toBeLessThanOrEqual(childCalls + r.host.intercepts);
        }
        // From 150 ms every guest has booted and opened its channel: what it does now is I/O.
        const from = samples[2];
        const to = samples[samples.length - 1];
        h.vms.forEach((v, i) => {
          if (v.legacy) return;
          const a = vmOf(from.vms, nameOf(i));
          const b = vmOf(to.vms, nameOf(i));
          expect(b.storage.ops).toBeGreaterThan(a.storage.ops);
          // rule 8: a batched channel's guest sets its monitor bit — no hypercall; rule 25: a
          // low-latency one's signals are its own HvCallSignalEvents
          if (v.signalling === 'batched') expect(b.hypercalls).toBe(a.hypercalls);
          else expect(b.hypercalls).toBeGreaterThan(a.hypercalls);
        });
      }),
      { numRuns: 5 },
    );
  });

  it('rule 26: a child’s SynIC interrupt lands on VP 0 (VMBus control messages) or on the VP its channel targets, and its handler runs only while that VP holds an LP', () => {
    fc.assert(
      fc.property(
        // at least one VM with a subchannel: a generation 2 VM with 5 VPs or more (rule 16)
        hvHost({ maxVms: 3, maxVps: 8 }).filter((x) =>
          x.vms.some((v) => !v.legacy && v.generation === 2 && v.vps >= 5),
        ),
        (h) => {
          const { scenario, configuration } = build(h, 200);
          const sim = Simulation.create({ scenario, configuration, vsps: subchannelVsps });
          const targets = new Map<string, Set<number>>();
          sim.on((line) => {
            if (line.message.id !== 'channel.opened') return;
            const { vm, targetVp } = line.message.args;
            const set = targets.get(vm) ?? new Set([0]);
            targets.set(vm, set.add(targetVp));
          });
          const rt = internalsOf(sim);
          const nameOfPid = (pid: number) =>
            Object.entries(sim.snapshot({ history: 0 }).vms).find(
              ([, v]) => v?.partitionId === pid,
            )?.[0];
          const raised: string[] = [];
          const misplaced: string[] = [];
          const unscheduled: string[] = [];
          // The router is where the hypervisor's SINT interrupts reach the host model (raise), and
          // where the ISR runs once the VP has done its interrupt entry (run): both are watched.
          const router = rt.router as unknown as {
            raise(pid: number, vp: number, sint: number): void;
            run(p: { partitionId: number; vpIndex: number; sint: number }): void;
          };
          const raise = router.raise.bind(router);
          router.raise = (pid, vp, sint) => {
            const vm = nameOfPid(pid);
            if (vm !== undefined) {
              raised.push(vm);
              if (!(targets.get(vm) ?? new Set([0])).has(vp))
                misplaced.push(`${vm} VP ${String(vp)} SINT ${String(sint)}`);
            }
            raise(pid, vp, sint);
          };
          const run = router.run.bind(router);
          // The ISR runs when its VP's interrupt entry is done. A VP taken off its LP at that very
          // instant held the LP until then: its entry finished on the LP, and events at one instant
          // fire one after the other.
          const vpRecords = (rt.scheduler as unknown as { vps: readonly { vacatedAt: number }[] })
            .vps;
          const leftItsLpJustNow = (pid: number, vp: number) =>
            vpRecords[rt.scheduler.vpOf(pid, vp)]?.vacatedAt === sim.now;
          router.run = (p) => {
            const vm = nameOfPid(p.partitionId);
            if (
              vm !== undefined &&
              !sim
                .snapshot({ history: 0 })
                .lps.some((lp) => lp.runs === 'vm' && lp.vm === vm && lp.vp === p.vpIndex) &&
              !leftItsLpJustNow(p.partitionId, p.vpIndex)
            )
              unscheduled.push(`${vm} VP ${String(p.vpIndex)} at ${String(sim.now)}`);
            run(p);
          };
          sim.runToEnd();
          expect(raised.length).toBeGreaterThan(0);
          // that VM's subchannel targets another VP than 0 (a generation 1 VM's disk is on the IDE
          // accelerator, which has no subchannels)
          expect([...targets.values()].some((t) => t.size > 1)).toBe(true);
          expect(misplaced.slice(0, 3)).toEqual([]);
          expect(unscheduled.slice(0, 3)).toEqual([]);
        },
      ),
      { numRuns: 5 },
    );
  });

  it('rule 21: a legacy guest’s root CPU per I/O is far above the same guest’s with integration components, on any host', () => {
    fc.assert(
      fc.property(
        hvHost({ maxVms: 1 }).filter((h) => h.vms[0].startAtMs === 0),
        (h) => {
          const rootMs = (r: SimReport) => (r.host.rootCpuPercent / 100) * r.durationMs * h.rootVps;
          /** Root CPU per completed request beyond the same VM's without a disk. */
          const perOp = (legacy: boolean) => {
            const vm = { ...h.vms[0], legacy, generation: 1 as const };
            const { report } = run({ ...h, vms: [vm] }, 300);
            const ops = vmOf(report.vms, nameOf(0)).storage.ops;
            const bare = build({ ...h, vms: [vm] }, 300);
            const noDisk = Simulation.create({
              scenario: {
                ...bare.scenario,
                vms: bare.scenario.vms.map((v) => ({ ...v, devices: [] })),
              },
              configuration: { ...bare.configuration, channels: [], emulated: [] },
              vsps,
            }).runToEnd();
            expect(ops).toBeGreaterThan(0);
            return { ops, ms: (rootMs(report) - rootMs(noDisk)) / ops };
          };
          const emulated = perOp(true);
          const synthetic = perOp(false);
          expect(emulated.ms).toBeGreaterThan(5 * synthetic.ms);
        },
      ),
      { numRuns: 4 },
    );
  });

  /**
   * The hypercalls of rules 22–25 a guest's kernel could make, made from a live VP of a random
   * host at a random instant: the hypercall interface is not the admin's API, so this reaches the
   * hypervisor through the core's internals, and reads the run's outcome through the report.
   */
  describe('hypercalls a child makes on a live host (rules 22–25)', () => {
    /** The calls that need a management privilege only the root has (rule 25). */
    const ROOT_ONLY = [
      HvCallCode.CreatePartition,
      HvCallCode.InitializePartition,
      HvCallCode.FinalizePartition,
      HvCallCode.DeletePartition,
      HvCallCode.GetPartitionProperty,
      HvCallCode.SetPartitionProperty,
      HvCallCode.DepositMemory,
      HvCallCode.WithdrawMemory,
      HvCallCode.InstallIntercept,
      HvCallCode.CreateVp,
      HvCallCode.CreatePort,
      HvCallCode.ConnectPort,
      HvCallCode.DeletePort,
      HvCallCode.DisconnectPort,
    ];

    /** Plausible attacks: aimed at the host's real partitions, ports and connections. */
    const attack = fc.record({
      code: fc.constantFrom(...ROOT_ONLY),
      /** 0: the root, 1: the caller itself, 2: another VM (or the root when there is none). */
      victim: fc.constantFrom(0, 1, 2),
      n: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom(-1, 0xffffffff, 2 ** 53)),
      fast: fc.boolean(),
      repCount: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xfff })),
      repStartIndex: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xfff })),
      reservedBitsSet: fc.boolean(),
      inputGpa: fc.constantFrom(0x1000, 0x1004, 0x1ff8, -8),
      /** Rule 23: from user mode the instruction faults (#UD) before any status. */
      cpl: fc.constantFrom(0, 0, 0, 3),
    });

    const liveHost = fc.record({
      host: hvHost().filter((x) => x.vms.some((v) => !v.legacy && v.startAtMs === 0)),
      atMs: fc.integer({ min: 60, max: 120 }),
      vp: fc.nat(),
    });

    /**
     * Runs `sim` to `atMs`, or on (1 ms at a time, before `endMs`) until the caller's guest has
     * enabled its hypercall page (rule 27) if it had not by then: on a crowded host a guest boots
     * later (HYPERKATA_FC_SEED=99: one LP shared by the root and two legacy VMs, enabled at 67 ms),
     * and before that its hypercalls are #UD, not what these properties test. Returns the
     * caller's partition id.
     */
    const goLive = (sim: Simulation, caller: number, atMs: number, endMs: number): number => {
      sim.advance(atMs * NS_PER_MS);
      const hv = internalsOf(sim).hv;
      const pid = () => vmOf(sim.snapshot({ history: 0 }).vms, nameOf(caller)).partitionId;
      const live = () => hv.partition(pid())?.enlightenment.hypercallPageEnabled === true;
      while (!live() && sim.now < (endMs - 10) * NS_PER_MS) sim.advance(NS_PER_MS);
      expect(live()).toBe(true);
      return pid();
    };

    /** The report without the counts the calls themselves add (the caller's and the host's). */
    const withoutHypercalls = (r: SimReport) =>
      JSON.stringify({
        ...r,
        host: { ...r.host, hypercalls: 0 },
        vms: Object.fromEntries(
          Object.entries(r.vms).map(([k, v]) => [k, v === undefined ? v : { ...v, hypercalls: 0 }]),
        ),
      });

    it('rules 23–25: every root-only hypercall a child makes is ACCESS_DENIED, whatever else is wrong with it (from user mode, #UD), and the run goes on exactly as without it', () => {
      fc.assert(
        fc.property(liveHost, fc.array(attack, { minLength: 1, maxLength: 12 }), (l, attacks) => {
          const h = l.host;
          const caller = h.vms.findIndex((v) => !v.legacy && v.startAtMs === 0);
          const { scenario, configuration } = build(h, 160);
          const twin = Simulation.create({ scenario, configuration, vsps });
          const sim = Simulation.create({ scenario, configuration, vsps });
          const pid = goLive(sim, caller, l.atMs, 160);
          const pids = sim.snapshot({ history: 0 }).vms;
          const other = h.vms.findIndex((_, i) => i !== caller);
          const victims = [1, pid, other < 0 ? 1 : vmOf(pids, nameOf(other)).partitionId];
          const hv = internalsOf(sim).hv;
          let counted = 0; // a #UD is no hypercall: the report does not count it
          for (const a of attacks) {
            const target = victims[a.victim];
            const control: HypercallControl = {
              code: a.code,
              fast: a.fast,
              repCount: a.repCount,
              repStartIndex: a.repStartIndex,
              reservedBitsSet: a.reservedBitsSet,
            };
            // every field any of these calls reads, aimed at the victim
            const params = {
              code: a.code,
              partitionId: target,
              portPartitionId: target,
              connectionPartitionId: target,
              portId: a.n,
              connectionId: a.n,
              vpIndex: a.n,
              propertyCode: a.n,
              value: 0n,
              flags: 0n,
              compatibilityVersion: 0,
              reserved: 0n,
              gpaPageList: [a.n],
              accessTypeMask: 1,
              interceptType: 0,
              parameters: a.n,
              portType: 1,
              portInfo: {
                portType: 1,
                targetSint: 2,
                targetVp: 0,
                baseFlagNumber: 0,
                flagCount: 1,
              },
            } as unknown as HypercallParams;
            const r = hv.hypercall(pid, l.vp % h.vms[caller].vps, {
              control,
              cpl: a.cpl,
              inputGpa: a.inputGpa,
              outputGpa: a.inputGpa,
              params,
            });
            if (a.cpl !== 0) {
              expect(r.outcome).toBe(HypercallOutcome.UndefinedOpcode);
              continue;
            }
            expect(r.outcome).toBe(HypercallOutcome.Completed);
            expect(hvStatusName(r.status)).toBe(hvStatusName(HvStatus.ACCESS_DENIED));
            expect(r.status).toBe(6); // rule 24's number
            counted++;
          }
          const after = sim.runToEnd();
          const without = twin.runToEnd();
          expect(vmOf(after.vms, nameOf(caller)).hypercalls).toBe(
            vmOf(without.vms, nameOf(caller)).hypercalls + counted,
          );
          expect(after.hash).toBe(without.hash);
          expect(withoutHypercalls(after)).toBe(withoutHypercalls(without));
        }),
        { numRuns: 4 },
      );
    });

    it('rule 22: a rep hypercall past the 50 µs budget returns early and, re-executed from the reps completed, does every rep exactly once', () => {
      fc.assert(
        fc.property(
          liveHost,
          fc.integer({ min: 1, max: 509 }), // 24 + 8 × 509 bytes: the input fits its page (rule 23)
          fc.constantFrom(0, 1, 2, 3),
          fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
          (l, reps, flags, processorMask) => {
            const h = l.host;
            const caller = h.vms.findIndex((v) => !v.legacy && v.startAtMs === 0);
            const { scenario, configuration } = build(h, 130);
            const sim = Simulation.create({ scenario, configuration, vsps });
            const pid = goLive(sim, caller, l.atMs, 130);
            const hv = internalsOf(sim).hv;
            const params: HypercallParams = {
              code: HvCallCode.FlushVirtualAddressList,
              addressSpace: 0n,
              flags,
              processorMask,
              gvaRanges: Array.from({ length: reps }, (_, i) => BigInt(i) << 12n),
            };
            let start = 0;
            let calls = 0;
            let done = 0;
            for (;;) {
              const r = hv.hypercall(pid, l.vp % h.vms[caller].vps, {
                control: repCall(HvCallCode.FlushVirtualAddressList, reps, start),
                cpl: 0,
                inputGpa: 0x1000,
                outputGpa: 0,
                params,
              });
              calls++;
              expect(hvStatusName(r.status)).toBe('HV_STATUS_SUCCESS');
              // progress on every call; the budget is kept unless one rep alone exceeds it
              expect(r.repsCompleted).toBeGreaterThan(start);
              if (r.repsCompleted - start > 1)
                expect(r.costNs).toBeLessThanOrEqual(HYPERCALL_TIME_BUDGET_NS);
              done += r.repsCompleted - start;
              start = r.repsCompleted;
              if (r.outcome !== HypercallOutcome.TimeSliced) break;
              expect(start).toBeLessThan(reps);
            }
            expect(start).toBe(reps);
            expect(done).toBe(reps);
            expect(calls).toBeLessThanOrEqual(reps);
            expect(vmOf(sim.report().vms, nameOf(caller)).hypercalls).toBeGreaterThanOrEqual(calls);
          },
        ),
        { numRuns: 10 },
      );
    });
  });
});
