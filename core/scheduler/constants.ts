/**
 * The scheduler's numbers. Hyper-V publishes the ranges of its per-VM controls (rule 32) but not
 * its time slice, accounting period or wakeup rules; those are estimates, chosen to match what
 * general-purpose fair-share schedulers use so the qualitative behaviour (sharing, latency under
 * load, caps) is right at the millisecond scale the game shows.
 */
import type { Ns } from '../engine/index.js';

/** WS: Msvm_ProcessorSettingData.Weight default 100, range 1–10000 (rule 32). */
export const DEFAULT_WEIGHT = 100;
export const MIN_WEIGHT = 1;
export const MAX_WEIGHT = 10_000;

/** WS: Msvm_ProcessorSettingData AllocationUnits = "percent / 1000": 100 % is stored as 100000. */
export const WMI_PERCENT_SCALE = 1000;

// estimate: Hyper-V does not publish its quantum; 10 ms sits between CFS's 3–24 ms latency
// targets and a Windows client quantum (2 clock ticks ≈ 31 ms), short enough that sharing is
// visible at the millisecond scale.
export const DEFAULT_QUANTUM_NS: Ns = 10_000_000;

// estimate: reserve and limit are enforced per accounting period; 100 ms is the Linux CFS
// bandwidth-control default (cpu.cfs_period_us) and keeps a 25 % cap visibly "on/off" in the game.
export const DEFAULT_ACCOUNTING_PERIOD_NS: Ns = 100_000_000;

// estimate: a waking VP preempts a running one only if it is at least this far behind in
// virtual runtime (at the default weight), like CFS's 1 ms sched_wakeup_granularity; stops
// ping-pong between VPs that are almost even.
export const WAKEUP_GRANULARITY_NS: Ns = 1_000_000;

// estimate: a VP waking from a halt may be at most this much virtual runtime behind the
// least-served runnable VP (CFS "gentle fair sleepers": half its latency target). Sleepers get a
// small head start, never a bank of credit.
export const SLEEPER_CREDIT_NS: Ns = 5_000_000;

// estimate: how old the virtual-runtime floor may be when a VP wakes onto an idle LP (the
// floor is the least-served runnable VP, the reference for new VPs and the sleeper credit).
// CFS refreshes its min_vruntime at every tick; 1 ms is a 1000 Hz tick.
export const FLOOR_REFRESH_NS: Ns = 1_000_000;

/**
 * The host release a scheduler built without one assumes: the scenario default (scenario.ts).
 * Its rule-40 limits (VPs per VM, guest VPs, running VMs, root VPs) come from the release
 * (core/model/release-limits.ts).
 */
export const DEFAULT_SCHEDULER_HOST_OS = 'ws2019';
