/**
 * One round of the Dynamic Memory balancer, as a pure function: the state of every VM with
 * Dynamic Memory and the host's free pages in, each VM's new assignment and the actions that
 * reach it out (decide here, do elsewhere). HYPERV.md rules 33–34; WS: Hyper-V Dynamic Memory.
 *
 * - Target = demand × (1 + buffer %), clamped to [minimum, maximum].
 * - When free host memory plus what these VMs hold covers every target, each gets its target.
 *   Otherwise each keeps its minimum and the rest is shared by weight (priority + 1) by
 *   water-filling: a VM never gets more than its target, and what it does not need goes to the
 *   others. Higher priority keeps more; nobody goes below minimum.
 * - Growth gives back ballooned pages first (unballoon), then backs hot-added pages not backed
 *   yet, then hot-adds new address space in 128 MiB chunks (L: hv_balloon.c HA_CHUNK), never
 *   past maximum. Shrinking is ballooning; installed memory never shrinks.
 * - A VM that has not reported yet keeps what it has. Ties break by partition id.
 */
import { HOT_ADD_CHUNK_PAGES } from '../units.js';

/** What the balancer knows about one VM with Dynamic Memory, in pages. */
export interface DynamicMemoryVmState {
  readonly partition: number;
  readonly minimumPages: number;
  readonly maximumPages: number;
  readonly bufferPercent: number;
  /** Memory weight, 0–100. */
  readonly priority: number;
  /** Demand from the last status report; `undefined` before the first one. */
  readonly demandPages: number | undefined;
  readonly assignedPages: number;
  readonly balloonedPages: number;
  readonly unbackedPages: number;
  readonly visiblePages: number;
}

/** One balancing round's input. */
export interface DynamicMemoryPlanInput {
  readonly vms: readonly DynamicMemoryVmState[];
  /** Host pages nobody holds (the root reserve excluded). */
  readonly hostFreePages: number;
}

/** Something the host asks a guest's memory to do. */
export type DynamicMemoryAction =
  /** Take `pages` back from the guest (DM_BALLOON_REQUEST). */
  | { readonly kind: 'balloon'; readonly partition: number; readonly pages: number }
  /** Give back `pages` previously ballooned pages (DM_UNBALLOON_REQUEST). */
  | { readonly kind: 'unballoon'; readonly partition: number; readonly pages: number }
  /**
   * Grow installed memory by `regionPages` (0 or whole 128 MiB chunks, less only at the maximum)
   * and back `pages` of the hot-added pages not yet backed (DM_MEM_HOT_ADD_REQUEST).
   */
  | {
      readonly kind: 'hot-add';
      readonly partition: number;
      readonly pages: number;
      readonly regionPages: number;
    };

/** One VM's outcome of a round. */
export interface DynamicMemoryTarget {
  readonly partition: number;
  /** demand × (1 + buffer), clamped to [minimum, maximum]; current assignment before any report. */
  readonly targetPages: number;
  /** What the VM should hold after this round (≤ target under contention). */
  readonly allocatedPages: number;
}

/** Targets and actions of one round. */
export interface DynamicMemoryPlan {
  readonly targets: readonly DynamicMemoryTarget[];
  readonly actions: readonly DynamicMemoryAction[];
}

// estimate: ignore corrections under 1 % of the target (at least 1 MiB) so the balancer does
// not chase the noise of every report; Hyper-V publishes no hysteresis.
const DEADBAND_FRACTION = 0.01;
const DEADBAND_MIN_PAGES = 256;

/** demand × (1 + buffer %), rounded up, clamped to [minimum, maximum]. */
export function targetPages(vm: DynamicMemoryVmState): number {
  if (vm.demandPages === undefined) return vm.assignedPages;
  const wanted = Math.ceil((vm.demandPages * (100 + vm.bufferPercent)) / 100);
  return Math.min(vm.maximumPages, Math.max(vm.minimumPages, wanted));
}

/**
 * Plans one 1 Hz round.
 *
 * @example
 * ```ts
 * const { actions } = planDynamicMemory({ hostFreePages: 0, vms: [a, b] });
 * // e.g. [{ kind: 'balloon', partition: 2, pages: 65536 }, { kind: 'unballoon', partition: 1, pages: 65536 }]
 * ```
 */
export function planDynamicMemory(input: DynamicMemoryPlanInput): DynamicMemoryPlan {
  const vms = input.vms.slice().sort((a, b) => a.partition - b.partition);
  const targets = vms.map(targetPages);
  const allocated = share(vms, targets, input.hostFreePages);
  const shrink: DynamicMemoryAction[] = [];
  const grow: DynamicMemoryAction[] = [];
  vms.forEach((vm, i) => {
    const delta = allocated[i] - vm.assignedPages;
    const deadband = Math.max(DEADBAND_MIN_PAGES, Math.floor(targets[i] * DEADBAND_FRACTION));
    const mustGrow = vm.assignedPages < vm.minimumPages;
    if (delta < -deadband) shrink.push({ kind: 'balloon', partition: vm.partition, pages: -delta });
    else if (delta > deadband || (mustGrow && delta > 0)) grow.push(...growthActions(vm, delta));
  });
  return {
    targets: vms.map((vm, i) => ({
      partition: vm.partition,
      targetPages: targets[i],
      allocatedPages: allocated[i],
    })),
    actions: [...shrink, ...grow],
  };
}

/** The part of a VM's memory state that decides how it grows. */
export type GrowableMemory = Pick<
  DynamicMemoryVmState,
  'partition' | 'maximumPages' | 'balloonedPages' | 'unbackedPages' | 'visiblePages'
>;

/**
 * How a VM grows by `pages`: unballoon first, then back hot-added pages not backed yet, then
 * hot-add whole 128 MiB chunks, never past maximum (so possibly fewer pages than asked).
 *
 * @example
 * ```ts
 * growthActions({ partition: 1, maximumPages: 1 << 20, balloonedPages: 256, unbackedPages: 0, visiblePages: 1 << 19 }, 1024);
 * // [{ kind: 'unballoon', partition: 1, pages: 256 }, { kind: 'hot-add', partition: 1, pages: 768, regionPages: 32768 }]
 * ```
 */
export function growthActions(vm: GrowableMemory, pages: number): DynamicMemoryAction[] {
  const actions: DynamicMemoryAction[] = [];
  const unballoon = Math.min(pages, vm.balloonedPages);
  if (unballoon > 0) actions.push({ kind: 'unballoon', partition: vm.partition, pages: unballoon });
  let rest = pages - unballoon;
  const backExisting = Math.min(rest, vm.unbackedPages);
  rest -= backExisting;
  let regionPages = 0;
  if (rest > 0) {
    const chunks = Math.ceil(rest / HOT_ADD_CHUNK_PAGES) * HOT_ADD_CHUNK_PAGES;
    regionPages = Math.min(chunks, vm.maximumPages - vm.visiblePages);
    rest = Math.min(rest, regionPages);
  }
  const backed = backExisting + rest;
  if (backed > 0) {
    actions.push({ kind: 'hot-add', partition: vm.partition, pages: backed, regionPages });
  }
  return actions;
}

/**
 * What each VM holds after the round. VMs that have not reported keep their assignment; the
 * others share free memory plus what they hold.
 */
function share(
  vms: readonly DynamicMemoryVmState[],
  targets: readonly number[],
  free: number,
): number[] {
  const out = vms.map((vm) => vm.assignedPages);
  const active = vms.map((_, i) => i).filter((i) => vms[i].demandPages !== undefined);
  let pool = free;
  for (const i of active) pool += vms[i].assignedPages;
  let floors = 0;
  for (const i of active) floors += Math.min(vms[i].minimumPages, targets[i]);
  const needs = active.map((i) => targets[i] - Math.min(vms[i].minimumPages, targets[i]));
  const weights = active.map((i) => vms[i].priority + 1);
  const extra = waterFill(
    Math.max(0, pool - floors),
    needs,
    weights,
    active.map((i) => vms[i]),
  );
  active.forEach((i, k) => {
    out[i] = Math.min(vms[i].minimumPages, targets[i]) + extra[k];
  });
  return out;
}

/**
 * Shares `amount` pages among claims `needs` in proportion to `weights`, never giving a claim
 * more than it needs (weighted max-min fairness). Whole pages; leftover pages go one each by
 * priority (highest first), then partition id.
 */
export function waterFill(
  amount: number,
  needs: readonly number[],
  weights: readonly number[],
  order: readonly { readonly partition: number; readonly priority: number }[],
): number[] {
  const given = needs.map(() => 0);
  let remaining = amount;
  let open = needs.map((_, k) => k).filter((k) => needs[k] > 0);
  while (remaining > 0 && open.length > 0) {
    const totalWeight = open.reduce((sum, k) => sum + weights[k], 0);
    const sated = open.filter((k) => needs[k] - given[k] <= (remaining * weights[k]) / totalWeight);
    if (sated.length > 0) {
      for (const k of sated) {
        remaining -= needs[k] - given[k];
        given[k] = needs[k];
      }
      open = open.filter((k) => given[k] < needs[k]);
      continue;
    }
    let handed = 0;
    for (const k of open) {
      const part = Math.floor((remaining * weights[k]) / totalWeight);
      given[k] += part;
      handed += part;
    }
    remaining -= handed;
    const byRank = open
      .slice()
      .sort(
        (a, b) => order[b].priority - order[a].priority || order[a].partition - order[b].partition,
      );
    for (const k of byRank) {
      if (remaining === 0) break;
      if (given[k] < needs[k]) {
        given[k]++;
        remaining--;
      }
    }
    break;
  }
  return given;
}
