/**
 * The ranges of the inspector's memory fields: what the model's configuration checks accept
 * (core/model/check-configuration.ts, core/model/check-memory.ts), so a player cannot type a size
 * the host would then refuse at Run with its own English message ("vms.dayshift.memory.startupMiB:
 * expected at most 18816 MiB…"). The host gives the VMs what is left after the root's reserve;
 * static memory and a Dynamic Memory minimum are held from the start, so they share it with the
 * other VMs' (rule 33: minimum ≤ startup ≤ maximum; per-VM maximum by host release, rule 40).
 */
import type { Configuration, Scenario } from '../../core/index.js';
import { committedMemoryMiB, vmMemoryLimitMiB } from '../../core/model/check-memory.js';
import { HOST_RELEASE_LIMITS } from '../../core/model/release-limits.js';
import { defaultRootReserveMiB } from '../../core/model/scenario.js';
import type { FieldRange } from './processor-range.js';

/** Hyper-V's smallest VM memory the inspector offers (the fields' old lower bound). */
const SMALLEST_MIB = 32;

export interface MemoryRanges {
  /** Static memory, or the memory a Dynamic Memory VM starts with. */
  readonly startup: FieldRange;
  readonly minimum: FieldRange;
  readonly maximum: FieldRange;
}

/** Sizes are whole 2 MB units (draft.ts setMemory): an upper bound is taken down to one. */
const even = (mib: number): number => 2 * Math.floor(mib / 2);

const range = (min: number, max: number): FieldRange => ({ min, max: Math.max(min, even(max)) });

/**
 * The memory fields' ranges for `vm`, given what the other VMs of the draft hold. When the other
 * VMs already hold everything, a held field's range is the one smallest value (the model refuses
 * the draft anyway, and names the field that went over).
 *
 * @example
 * vmMemoryRanges(level7.scenario, draft, 'dayshift').startup // { min: 32, max: 12672 }
 */
export function vmMemoryRanges(scenario: Scenario, draft: Configuration, vm: string): MemoryRanges {
  const { host } = scenario;
  const limits = HOST_RELEASE_LIMITS[host.os];
  const spec = scenario.vms.find((v) => v.name === vm);
  const perVm = vmMemoryLimitMiB(limits, spec?.generation ?? 2);
  let others = 0;
  for (const [name, c] of Object.entries(draft.vms))
    if (name !== vm) others += committedMemoryMiB(c.memory);
  const room = host.memoryMiB - defaultRootReserveMiB(host.memoryMiB) - others;
  const memory = Object.hasOwn(draft.vms, vm) ? draft.vms[vm].memory : undefined;
  if (!memory?.dynamic) {
    const startup = range(SMALLEST_MIB, Math.min(room, perVm));
    return { startup, minimum: startup, maximum: startup };
  }
  return {
    minimum: range(SMALLEST_MIB, Math.min(room, memory.startupMiB)),
    startup: range(memory.minimumMiB, Math.min(memory.maximumMiB, perVm)),
    maximum: range(memory.startupMiB, perVm),
  };
}
