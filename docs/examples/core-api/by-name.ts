/**
 * The examples on ByName, entriesOf, valuesOf, vmOf and entryOf: reading a report's VMs, VSPs and
 * disks by name. core/tsdoc.test.ts calls them with the report of my-host.ts, whose one VM is
 * db01, whose one VSP is storvsp-ssd0 and whose one disk is ssd0.
 */
import { entriesOf, entryOf, valuesOf, vmOf } from '../../../core/index.js';
import type { SimReport } from '../../../core/index.js';

export function readByName(report: SimReport): void {
  // #region ByName
  const db01 = report.vms.db01; // VmReport | undefined
  console.log(db01?.p99LatencyUs ?? 'no VM db01');
  // #endregion ByName
}

export function listVms(report: SimReport): void {
  // #region entriesOf
  for (const [name, vm] of entriesOf(report.vms)) console.log(name, vm.p99LatencyUs);
  // #endregion entriesOf
}

export function completedOps(report: SimReport): number {
  // #region valuesOf
  const completed = valuesOf(report.vms).reduce((sum, vm) => sum + vm.completed, 0);
  // #endregion valuesOf
  return completed;
}

export function knownVm(report: SimReport): void {
  // #region vmOf
  const db01 = vmOf(report.vms, 'db01'); // VmReport; vmOf(report.vms, 'db1') throws: no VM 'db1' (VMs: db01)
  console.log(db01.p99LatencyUs);
  // #endregion vmOf
}

export function knownEntries(report: SimReport): void {
  // #region entryOf
  const storvsp = entryOf(report.vsps, 'storvsp-ssd0', 'VSP'); // entryOf(report.vsps, 'storvsp', 'VSP') throws: no VSP 'storvsp' (VSPs: storvsp-ssd0)
  console.log(storvsp.packets, entryOf(report.host.disks, 'ssd0', 'disk').iops);
  // #endregion entryOf
}
