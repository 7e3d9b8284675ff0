/**
 * The Virtualization Infrastructure Driver (VID) in the root: it turns "start this VM" into
 * hypercalls through WinHv — create the partition, give it a guest's privileges, initialise it
 * (depositing hypervisor memory when asked, rule 25), create its virtual processors — and maps the
 * VM's memory. Every hypercall's cost is charged to the root VP doing the work.
 */
import type { CostMeter } from '../host/cpu.js';
import { DEFAULT_CHILD_PRIVILEGES, HvStatus, hvStatusName } from '../hypervisor/index.js';
import type { WinHv } from '../hypervisor/index.js';
import { HyperkataError } from '../model/index.js';

export class VidError extends HyperkataError {
  constructor(message: string) {
    super('vid', message);
    this.name = 'VidError';
  }
}

export interface CreatedPartition {
  readonly partitionId: number;
  readonly hypercalls: number;
}

export class Vid {
  constructor(private readonly winhv: WinHv) {}

  /** Creates and initialises a child partition with `vpCount` VPs. */
  createPartition(vpCount: number, meter: CostMeter): CreatedPartition | VidError {
    let hypercalls = 0;
    const check = (
      what: string,
      r: { status: number; costNs: number; hypercalls: number },
    ): boolean => {
      meter.add(r.costNs);
      hypercalls += r.hypercalls;
      return r.status === HvStatus.SUCCESS;
    };
    const created = this.winhv.createPartition();
    if (!check('create', created))
      return new VidError(`HvCallCreatePartition failed: ${hvStatusName(created.status)}`);
    const pid = created.partitionId;
    // A partition half made is deleted again, with the pages deposited for it: it would otherwise
    // stay in the hypervisor's partition table (and count against rule 40's limit) for nothing.
    const abandon = (message: string): VidError => {
      this.destroy(pid, meter);
      return new VidError(message);
    };
    const privileges = this.winhv.setPrivileges(pid, DEFAULT_CHILD_PRIVILEGES);
    if (!check('privileges', privileges))
      return abandon(`setting privileges failed: ${hvStatusName(privileges.status)}`);
    const init = this.winhv.initializePartition(pid);
    if (!check('initialize', init))
      return abandon(`HvCallInitializePartition failed: ${hvStatusName(init.status)}`);
    for (let vp = 0; vp < vpCount; vp++) {
      const r = this.winhv.createVp(pid, vp);
      if (!check('vp', r)) return abandon(`HvCallCreateVp ${vp} failed: ${hvStatusName(r.status)}`);
    }
    return { partitionId: pid, hypercalls };
  }

  /** Intercepts a generation 1 VM's emulated device ports so its accesses reach the worker process (rule 21). */
  installIntercepts(
    partitionId: number,
    ranges: readonly { base: number; end: number }[],
    meter: CostMeter,
  ): void {
    for (const r of ranges)
      meter.add(this.winhv.installIoPortIntercept(partitionId, r.base, r.end, 0x3).costNs);
  }

  /**
   * Tears a partition down (finalize, withdraw its pages, delete): its VPs, ports and intercepts
   * go, the pages deposited for it come back to the root.
   */
  destroy(partitionId: number, meter: CostMeter): void {
    meter.add(this.winhv.destroyPartition(partitionId).costNs);
  }
}
