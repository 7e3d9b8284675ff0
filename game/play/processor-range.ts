/**
 * The ranges of the inspector's processor fields: exactly what the model's configuration checks
 * accept (core/model/check-configuration.ts, rule 40 per host release in release-limits.ts), so a
 * player cannot type a count the simulation would then refuse.
 */
import type { Configuration, Scenario } from '../../core/index.js';
import { HOST_RELEASE_LIMITS } from '../../core/model/release-limits.js';
import {
  logicalProcessorCount,
  reserveCapacity,
  reservedUnits,
} from '../../core/model/scenario.js';

export interface FieldRange {
  readonly min: number;
  readonly max: number;
}

/**
 * Root VPs: one per logical processor, and no more than the host's release lets the root see
 * (WS: Windows Server 2016/2019's root sees at most 320 LPs).
 *
 * @example
 * rootVpRange(level.scenario) // { min: 1, max: 8 } on a 1×4×2 host
 */
export function rootVpRange(scenario: Scenario): FieldRange {
  const limits = HOST_RELEASE_LIMITS[scenario.host.os];
  return {
    min: 1,
    max: Math.min(logicalProcessorCount(scenario.host), limits.rootVisibleProcessors),
  };
}

/**
 * What the VMs reserve, with `vm` at `count` VPs and `percent` reserve, summed in the units the
 * model's check sums them (logical processors, or cores under the core scheduler on an SMT host).
 */
function reservedWith(
  scenario: Scenario,
  draft: Configuration,
  vm: string,
  over: { readonly count?: number; readonly percent?: number },
): number {
  let reserved = 0;
  for (const [name, c] of Object.entries(draft.vms)) {
    const mine = name === vm;
    reserved += reservedUnits(
      scenario.host,
      draft.host.scheduler,
      mine ? (over.count ?? c.processor.count) : c.processor.count,
      mine ? (over.percent ?? c.processor.reservePercent) : c.processor.reservePercent,
    );
  }
  return reserved;
}

/**
 * A VM's virtual processors: at most the host's logical processors, what its generation may have
 * on the host's release (generation 1: 64), what the release allows all VMs together less the
 * other VMs' VPs, and as many as keep the CPU reserves within the host (rule 32). When the other
 * VMs already take everything, the range is the one value 1 (the model refuses the draft anyway,
 * and names the field that went over).
 *
 * @example
 * vmVpRange(level.scenario, draft, 'old01') // { min: 1, max: 64 } for a gen 1 VM on a 2022 host
 */
export function vmVpRange(scenario: Scenario, draft: Configuration, vm: string): FieldRange {
  const limits = HOST_RELEASE_LIMITS[scenario.host.os];
  const lps = logicalProcessorCount(scenario.host);
  const spec = scenario.vms.find((v) => v.name === vm);
  const perVm = spec?.generation === 1 ? limits.generation1VpsPerVm : limits.vpsPerVm;
  let others = 0;
  for (const [name, c] of Object.entries(draft.vms)) if (name !== vm) others += c.processor.count;
  let max = Math.min(lps, perVm, limits.virtualProcessors - others);
  // Rule 32: the same sum and tolerance as the model's check.
  const capacity = reserveCapacity(scenario.host, draft.host.scheduler);
  while (max > 1 && reservedWith(scenario, draft, vm, { count: max }) > capacity + 1e-9) max--;
  return { min: 1, max: Math.max(1, max) };
}

/**
 * A VM's CPU reserve, in percent of each of its VPs: 0–100, and no more than keeps the CPU
 * reserves of all VMs within the host's logical processors — its cores under the core scheduler on
 * an SMT host (rule 32, the model's same sum and tolerance). When the other VMs already reserve everything, the range is the one value 0.
 *
 * @example
 * vmReserveRange(level.scenario, draft, 'db01') // { min: 0, max: 100 } while nothing is reserved
 */
export function vmReserveRange(scenario: Scenario, draft: Configuration, vm: string): FieldRange {
  const capacity = reserveCapacity(scenario.host, draft.host.scheduler);
  let max = 100;
  while (max > 0 && reservedWith(scenario, draft, vm, { percent: max }) > capacity + 1e-9) max--;
  return { min: 0, max };
}
