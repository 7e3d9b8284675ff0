/**
 * Tables keyed by the names a scenario and a configuration give: a report's and a snapshot's
 * `vms`, a VM report's `path` (by device id), the report's `vsps` and the host's `disks` and
 * `nics`. A name the table lacks reads `undefined`, and the type says so even without
 * `noUncheckedIndexedAccess` — `report.vms.db01.p99LatencyUs` does not compile, so a typo in a
 * name is caught by the type checker, not by a TypeError in the middle of a run.
 */
import { SimulationUsageError } from './simulation.js';

/**
 * A read-only table by name whose lookups may miss.
 *
 * @example
 * ```ts
 * const db01 = report.vms.db01; // VmReport | undefined
 * console.log(db01?.p99LatencyUs ?? 'no VM db01');
 * ```
 */
export type ByName<T> = { readonly [name: string]: T | undefined };

/**
 * The entries of a table by name, in its order, without the `undefined` its type allows for
 * names it lacks.
 *
 * @example
 * ```ts
 * for (const [name, vm] of entriesOf(report.vms)) console.log(name, vm.p99LatencyUs);
 * ```
 */
export function entriesOf<T>(table: ByName<T>): [string, T][] {
  const entries: [string, T][] = [];
  for (const [name, value] of Object.entries(table))
    if (value !== undefined) entries.push([name, value]);
  return entries;
}

/**
 * The values of a table by name, in its order (see {@link entriesOf}).
 *
 * @example
 * ```ts
 * const completed = valuesOf(report.vms).reduce((sum, vm) => sum + vm.completed, 0);
 * ```
 */
export function valuesOf<T>(table: ByName<T>): T[] {
  return entriesOf(table).map(([, value]) => value);
}

/**
 * The entry called `name` of a table by name, for code that knows it is there: a name the table
 * lacks is a {@link SimulationUsageError} that names the entries there are, as `kind` calls them.
 *
 * @example
 * ```ts
 * const storvsp = entryOf(report.vsps, 'storvsp-ssd0', 'VSP'); // entryOf(report.vsps, 'storvsp', 'VSP') throws: no VSP 'storvsp' (VSPs: storvsp-ssd0)
 * console.log(storvsp.packets, entryOf(report.host.disks, 'ssd0', 'disk').iops);
 * ```
 */
export function entryOf<T>(table: ByName<T>, name: string, kind = 'entry'): T {
  const value = Object.hasOwn(table, name) ? table[name] : undefined;
  if (value === undefined)
    throw new SimulationUsageError(
      `no ${kind} '${name}' (${kind}s: ${Object.keys(table).join(', ') || 'none'})`,
    );
  return value;
}

/**
 * The VM called `name` in a report's or a snapshot's `vms`, for code that knows the scenario has
 * it: a name it lacks is a {@link SimulationUsageError} that names the VMs there are.
 *
 * @example
 * ```ts
 * const db01 = vmOf(report.vms, 'db01'); // VmReport; vmOf(report.vms, 'db1') throws: no VM 'db1' (VMs: db01)
 * console.log(db01.p99LatencyUs);
 * ```
 */
export function vmOf<T>(table: ByName<T>, name: string): T {
  return entryOf(table, name, 'VM');
}
