/**
 * HvCallInstallIntercept (0x4d): the root asks to be told about a child's I/O port accesses
 * (rule 21). T: HvCallInstallIntercept.md, hv_intercept_parameters.md. Only the I/O port types
 * are modelled; other intercept types answer INVALID_PARAMETER.
 */
import { HYPERCALL_BASE_COST_NS, INSTALL_INTERCEPT_COST_NS } from './costs.js';
import { fail, type CallFrame, type HvContext } from './hv-context.js';
import type { InstallInterceptParams } from './hypercall-types.js';
import { HvInterceptAccess, HvInterceptType } from './intercepts.js';
import { PartitionState } from './partition.js';
import { HvStatus } from './status.js';

export function installIntercept(hv: HvContext, f: CallFrame, p: InstallInterceptParams): void {
  const target = hv.partitions.resolveChild(f.caller, p.partitionId);
  if (target === undefined) {
    fail(f, HvStatus.INVALID_PARTITION_ID, HYPERCALL_BASE_COST_NS);
    return;
  }
  if (target.state === PartitionState.Finalized) {
    fail(f, HvStatus.INVALID_PARTITION_STATE, HYPERCALL_BASE_COST_NS);
    return;
  }
  const access = p.accessTypeMask;
  const ioAccess = HvInterceptAccess.Read | HvInterceptAccess.Write;
  const params = p.parameters;
  let base = -1;
  let end = -1;
  if (Number.isInteger(params) && params >= 0 && params <= 0xffffffff) {
    if (p.interceptType === HvInterceptType.X64IoPort) {
      base = params & 0xffff;
      end = base;
    } else if (p.interceptType === HvInterceptType.X64IoPortRange) {
      base = params & 0xffff;
      end = (params >>> 16) & 0xffff;
    }
  }
  const accessOk = Number.isInteger(access) && access > 0 && (access & ~ioAccess) === 0;
  if (base < 0 || end < base || !accessOk) {
    fail(f, HvStatus.INVALID_PARAMETER, HYPERCALL_BASE_COST_NS);
    return;
  }
  target.intercepts.install(base, end, access);
  f.out.status = HvStatus.SUCCESS;
  f.out.costNs = INSTALL_INTERCEPT_COST_NS;
}
