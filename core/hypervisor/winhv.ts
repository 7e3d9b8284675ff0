/**
 * A WinHv-style library over the hypercall interface (the root's winhvr.sys, or Linux mshv): it
 * re-issues time-sliced rep calls until done (rule 22), batches deposits, and answers
 * INSUFFICIENT_MEMORY by depositing root pages into the right pool and retrying (rule 25), the
 * way L: drivers/hv/mshv_root_hv_call.c and hv_proc.c do. Not a hot path.
 */
import { inject, injectable, optional } from 'inversify';
import type { Ns } from '../engine/index.js';
import { HvCallCode } from './call-codes.js';
import { repCall, simpleCall, type HypercallControl } from './hypercall-input.js';
import {
  HypercallOutcome,
  type HypercallParams,
  type HypercallRequest,
} from './hypercall-types.js';
import { HvInterceptType, ioPortRangeParameter } from './intercepts.js';
import { HV_DEPOSIT_MAX, HV_PAGE_SIZE, HV_PARTITION_ID_SELF } from './limits.js';
import { HvPartitionProperty } from './partition-calls.js';
import type { PortInfo } from './ports.js';
import type { PrivilegeMask } from './privileges.js';
import { HvStatus } from './status.js';
import { Hypervisor } from './hypervisor.js';
import { WINHV_OPTIONS, type WinHvOptions } from './tokens.js';

/** The result of a WinHv operation (possibly several hypercalls). */
export interface WinHvResult {
  readonly status: number;
  /** Summed cost of every hypercall made, to charge to the calling VP. */
  readonly costNs: Ns;
  readonly hypercalls: number;
  /** Root pages deposited along the way. */
  readonly pagesDeposited: number;
}

/** {@link WinHv.callUntilDone}'s result: the final invocation's answer plus the sums. */
export interface WinHvCallResult extends WinHvResult {
  /** Completed, or UndefinedOpcode if the call raised #UD. */
  readonly outcome: string;
  readonly repsCompleted: number;
  readonly outputPartitionId: number;
  readonly outputValue: bigint;
  /** HvCallWithdrawMemory: every page withdrawn across the re-issued calls. */
  readonly outputPages: readonly number[];
}

/** L: mshv_root_hv_call.c / hv_proc.c deposit one page per INSUFFICIENT_MEMORY retry. */
export const RETRY_DEPOSIT_PAGES = 1;
/** L: mshv deposits HV_INIT_PARTITION_DEPOSIT_PAGES (208) before HvCallInitializePartition. */
export const INITIALIZE_PARTITION_PREDEPOSIT_PAGES = 208;
/** L: hv_proc.c deposits 90 pages before HvCallCreateVp for a child. */
export const CREATE_VP_PREDEPOSIT_PAGES = 90;
/** L: HV_WITHDRAW_BATCH_SIZE — one output page of page numbers. */
export const WITHDRAW_BATCH_PAGES = HV_PAGE_SIZE / 8;
/** Safety net: give up after this many deposit-and-retry rounds. */
export const MAX_DEPOSIT_RETRIES = 4096;

// The per-VP input and output pages the library builds parameters in (page aligned).
const INPUT_PAGE_GPA = 0x10000;
const OUTPUT_PAGE_GPA = 0x11000;

/** Root memory the library deposits from: page numbers handed out in order, reused when returned. */
class RootPageSource {
  private readonly returned: number[] = [];
  private next: number;
  private remaining: number;

  constructor(first: number, count: number) {
    this.next = first;
    this.remaining = count;
  }

  get available(): number {
    return this.remaining + this.returned.length;
  }

  take(count: number): number[] | null {
    if (count > this.available) return null;
    const pages: number[] = [];
    while (pages.length < count && this.returned.length > 0)
      pages.push(this.returned.pop() as number);
    while (pages.length < count) {
      pages.push(this.next++);
      this.remaining--;
    }
    return pages;
  }

  give(pages: readonly number[]): void {
    for (const p of pages) this.returned.push(p);
  }
}

class Tally {
  costNs = 0;
  hypercalls = 0;
  pagesDeposited = 0;

  add(r: WinHvResult): void {
    this.costNs += r.costNs;
    this.hypercalls += r.hypercalls;
    this.pagesDeposited += r.pagesDeposited;
  }

  result(status: number): WinHvResult {
    return {
      status,
      costNs: this.costNs,
      hypercalls: this.hypercalls,
      pagesDeposited: this.pagesDeposited,
    };
  }
}

function request(control: HypercallControl, params: HypercallParams): HypercallRequest {
  return { control, cpl: 0, inputGpa: INPUT_PAGE_GPA, outputGpa: OUTPUT_PAGE_GPA, params };
}

/**
 * @example
 * const winhv = new WinHv(hv);
 * const created = winhv.createPartition();
 * if (created.status === HvStatus.SUCCESS) {
 *   winhv.initializePartition(created.partitionId);
 *   winhv.createVp(created.partitionId, 0);
 * }
 * // charge created.costNs (and the others) to the root VP
 */
@injectable()
export class WinHv {
  private readonly pages: RootPageSource;
  private readonly rootVp: number;

  constructor(
    @inject(Hypervisor) private readonly hv: Hypervisor,
    @inject(WINHV_OPTIONS) @optional() options?: WinHvOptions,
  ) {
    this.rootVp = options?.rootVpIndex ?? 0;
    this.pages = new RootPageSource(
      options?.firstPageNumber ?? 0x100000,
      options?.rootFreePages ?? 1 << 24,
    );
  }

  /** Root pages still available for deposits. */
  get rootFreePages(): number {
    return this.pages.available;
  }

  /**
   * Issues a hypercall and, while it comes back time-sliced, re-issues it from the updated rep
   * start index (T: "When the hypercall is re-executed, the hypervisor will resume at element 20
   * and complete the remaining 5 elements"). Works for any partition's VP.
   */
  callUntilDone(partitionId: number, vpIndex: number, req: HypercallRequest): WinHvCallResult {
    let control = req.control;
    let cost = 0;
    let calls = 0;
    const pages: number[] = [];
    for (;;) {
      const r = this.hv.hypercall(partitionId, vpIndex, { ...req, control });
      cost += r.costNs;
      calls++;
      for (const p of r.outputPages) pages.push(p);
      if (r.outcome !== HypercallOutcome.TimeSliced) {
        return {
          status: r.status,
          costNs: cost,
          hypercalls: calls,
          pagesDeposited: 0,
          outcome: r.outcome,
          repsCompleted: r.repsCompleted,
          outputPartitionId: r.outputPartitionId,
          outputValue: r.outputValue,
          outputPages: pages,
        };
      }
      control = { ...control, repStartIndex: r.repsCompleted };
    }
  }

  private rootCall(control: HypercallControl, params: HypercallParams): WinHvCallResult {
    return this.callUntilDone(this.hv.root.id, this.rootVp, request(control, params));
  }

  /** HvCallDepositMemory in batches of 511 pages (L: HV_DEPOSIT_MAX). */
  depositPages(partitionId: number, count: number): WinHvResult {
    const tally = new Tally();
    let left = count;
    while (left > 0) {
      const n = Math.min(left, HV_DEPOSIT_MAX);
      const pages = this.pages.take(n);
      if (pages === null) return tally.result(HvStatus.INSUFFICIENT_MEMORY);
      const r = this.rootCall(repCall(HvCallCode.DepositMemory, n), {
        code: HvCallCode.DepositMemory,
        partitionId,
        gpaPageList: pages,
      });
      tally.add(r);
      tally.pagesDeposited += r.repsCompleted;
      if (r.status !== HvStatus.SUCCESS) {
        this.pages.give(pages.slice(r.repsCompleted));
        return tally.result(r.status);
      }
      left -= n;
    }
    return tally.result(HvStatus.SUCCESS);
  }

  /** Withdraws every free page of a partition's pool back to the root. */
  withdrawAllPages(partitionId: number): WinHvResult & { readonly pagesWithdrawn: number } {
    const tally = new Tally();
    let withdrawn = 0;
    for (;;) {
      const r = this.rootCall(repCall(HvCallCode.WithdrawMemory, WITHDRAW_BATCH_PAGES), {
        code: HvCallCode.WithdrawMemory,
        partitionId,
      });
      tally.add(r);
      this.pages.give(r.outputPages);
      withdrawn += r.outputPages.length;
      // L: mshv stops on HV_STATUS_NO_RESOURCES (pool empty) and treats it as success.
      if (r.status === HvStatus.NO_RESOURCES)
        return { ...tally.result(HvStatus.SUCCESS), pagesWithdrawn: withdrawn };
      if (r.status !== HvStatus.SUCCESS)
        return { ...tally.result(r.status), pagesWithdrawn: withdrawn };
    }
  }

  /**
   * Makes a call; on INSUFFICIENT_MEMORY deposits into `depositTarget` and retries
   * (the loop of every mshv_root_hv_call.c helper).
   */
  private withDeposits(
    control: HypercallControl,
    params: HypercallParams,
    depositTarget: number,
    predeposit = 0,
  ): WinHvCallResult {
    const tally = new Tally();
    if (predeposit > 0) {
      const d = this.depositPages(depositTarget, predeposit);
      tally.add(d);
      if (d.status !== HvStatus.SUCCESS) return this.withTally(tally, d.status);
    }
    for (let round = 0; ; round++) {
      const r = this.rootCall(control, params);
      tally.add(r);
      if (r.status !== HvStatus.INSUFFICIENT_MEMORY || round >= MAX_DEPOSIT_RETRIES) {
        return { ...r, ...tally.result(r.status) };
      }
      const d = this.depositPages(depositTarget, RETRY_DEPOSIT_PAGES);
      tally.add(d);
      if (d.status !== HvStatus.SUCCESS) return this.withTally(tally, d.status);
    }
  }

  private withTally(tally: Tally, status: number): WinHvCallResult {
    return {
      ...tally.result(status),
      outcome: HypercallOutcome.Completed,
      repsCompleted: 0,
      outputPartitionId: 0,
      outputValue: 0n,
      outputPages: [],
    };
  }

  /** HvCallCreatePartition; the new partition object comes from the root's own pool. */
  createPartition(): WinHvResult & { readonly partitionId: number } {
    const r = this.withDeposits(
      simpleCall(HvCallCode.CreatePartition),
      { code: HvCallCode.CreatePartition, flags: 0n, compatibilityVersion: 0 },
      HV_PARTITION_ID_SELF,
    );
    return { ...r, partitionId: r.outputPartitionId };
  }

  /** HvCallSetPartitionProperty(PrivilegeFlags) — before initialization only. */
  setPrivileges(partitionId: number, privileges: PrivilegeMask): WinHvResult {
    return this.rootCall(simpleCall(HvCallCode.SetPartitionProperty), {
      code: HvCallCode.SetPartitionProperty,
      partitionId,
      propertyCode: HvPartitionProperty.PrivilegeFlags,
      value: privileges.toBigInt(),
    });
  }

  initializePartition(partitionId: number): WinHvResult {
    return this.withDeposits(
      simpleCall(HvCallCode.InitializePartition, true),
      { code: HvCallCode.InitializePartition, partitionId },
      partitionId,
      INITIALIZE_PARTITION_PREDEPOSIT_PAGES,
    );
  }

  createVp(partitionId: number, vpIndex: number): WinHvResult {
    const isRoot = partitionId === this.hv.root.id || partitionId === HV_PARTITION_ID_SELF;
    return this.withDeposits(
      simpleCall(HvCallCode.CreateVp),
      { code: HvCallCode.CreateVp, partitionId, vpIndex },
      partitionId,
      // L: hv_proc.c — "Root VPs don't seem to need pages deposited".
      isRoot ? 0 : CREATE_VP_PREDEPOSIT_PAGES,
    );
  }

  /** HvCallCreatePort; the port comes from the port partition's pool. */
  createPort(
    portPartitionId: number,
    portId: number,
    portInfo: PortInfo,
    connectionPartitionId = 0,
  ): WinHvResult {
    return this.withDeposits(
      simpleCall(HvCallCode.CreatePort),
      { code: HvCallCode.CreatePort, portPartitionId, portId, connectionPartitionId, portInfo },
      portPartitionId,
    );
  }

  /** HvCallConnectPort; the connection comes from the connecting partition's pool. */
  connectPort(options: {
    readonly connectionPartitionId: number;
    readonly connectionId: number;
    readonly portPartitionId: number;
    readonly portId: number;
    readonly portType: number;
  }): WinHvResult {
    return this.withDeposits(
      simpleCall(HvCallCode.ConnectPort),
      { code: HvCallCode.ConnectPort, ...options },
      options.connectionPartitionId,
    );
  }

  /** HvCallInstallIntercept for an inclusive I/O port range of a child. */
  installIoPortIntercept(
    partitionId: number,
    base: number,
    end: number,
    accessMask: number,
  ): WinHvResult {
    return this.rootCall(simpleCall(HvCallCode.InstallIntercept), {
      code: HvCallCode.InstallIntercept,
      partitionId,
      accessTypeMask: accessMask,
      interceptType: HvInterceptType.X64IoPortRange,
      parameters: ioPortRangeParameter(base, end),
    });
  }

  /** L: mshv destroy order — finalize, withdraw every page, delete. */
  destroyPartition(partitionId: number): WinHvResult {
    const tally = new Tally();
    const fin = this.rootCall(simpleCall(HvCallCode.FinalizePartition, true), {
      code: HvCallCode.FinalizePartition,
      partitionId,
    });
    tally.add(fin);
    if (fin.status !== HvStatus.SUCCESS) return tally.result(fin.status);
    const w = this.withdrawAllPages(partitionId);
    tally.add(w);
    if (w.status !== HvStatus.SUCCESS) return tally.result(w.status);
    const del = this.rootCall(simpleCall(HvCallCode.DeletePartition, true), {
      code: HvCallCode.DeletePartition,
      partitionId,
    });
    tally.add(del);
    return tally.result(del.status);
  }
}
