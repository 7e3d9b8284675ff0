/**
 * HvCallDepositMemory (0x48) and HvCallWithdrawMemory (0x49): rep calls on a partition's pool
 * (rule 25). Each processes reps in order until done or until the 50 µs budget is spent
 * (T: "Hypercall Continuation"); at least one rep is always attempted.
 */
import {
  DEPOSIT_PER_PAGE_COST_NS,
  HYPERCALL_BASE_COST_NS,
  HYPERCALL_TIME_BUDGET_NS,
  WITHDRAW_PER_PAGE_COST_NS,
} from './costs.js';
import { fail, type CallFrame, type HvContext } from './hv-context.js';
import {
  HypercallOutcome,
  type DepositMemoryParams,
  type WithdrawMemoryParams,
} from './hypercall-types.js';
import { PartitionState } from './partition.js';
import { selfOrChild } from './port-calls.js';
import { HvStatus } from './status.js';

/**
 * Ends a rep call: success with every rep done, success cut short by the budget (time-sliced:
 * the VP re-issues from `done`), or the failing element's status with the reps done before it.
 */
function finishReps(f: CallFrame, done: number, status: number, costNs: number): void {
  f.out.repsCompleted = done;
  f.out.costNs = costNs;
  f.out.status = status;
  if (status === HvStatus.SUCCESS && done < f.control.repCount) {
    f.out.outcome = HypercallOutcome.TimeSliced;
  }
}

export function depositMemory(hv: HvContext, f: CallFrame, p: DepositMemoryParams): void {
  const target = selfOrChild(hv, f, p.partitionId);
  if (target === undefined) return;
  // T: after HvCallFinalizePartition "no additional activity … other than deletion (including
  // deposits)".
  if (target.state === PartitionState.Finalized) {
    fail(f, HvStatus.INVALID_PARTITION_STATE, HYPERCALL_BASE_COST_NS);
    return;
  }
  const list = p.gpaPageList;
  const count = f.control.repCount;
  let i = f.control.repStartIndex;
  let cost = HYPERCALL_BASE_COST_NS;
  let status: number = HvStatus.SUCCESS;
  let thisCall = 0;
  while (i < count) {
    if (thisCall > 0 && cost + DEPOSIT_PER_PAGE_COST_NS > HYPERCALL_TIME_BUDGET_NS) break;
    const page = i < list.length ? list[i] : -1;
    if (!Number.isSafeInteger(page) || page < 0) {
      status = HvStatus.INVALID_PARAMETER;
      break;
    }
    target.pool.deposit(page);
    cost += DEPOSIT_PER_PAGE_COST_NS;
    i++;
    thisCall++;
  }
  finishReps(f, i, status, cost);
}

export function withdrawMemory(hv: HvContext, f: CallFrame, p: WithdrawMemoryParams): void {
  const target = selfOrChild(hv, f, p.partitionId);
  if (target === undefined) return;
  const count = f.control.repCount;
  const pages: number[] = [];
  let i = f.control.repStartIndex;
  let cost = HYPERCALL_BASE_COST_NS;
  let status: number = HvStatus.SUCCESS;
  while (i < count) {
    if (pages.length > 0 && cost + WITHDRAW_PER_PAGE_COST_NS > HYPERCALL_TIME_BUDGET_NS) break;
    const page = target.pool.withdraw();
    if (page < 0) {
      // L: mshv hv_call_withdraw_memory treats HV_STATUS_NO_RESOURCES as "nothing left".
      status = HvStatus.NO_RESOURCES;
      break;
    }
    pages.push(page);
    cost += WITHDRAW_PER_PAGE_COST_NS;
    i++;
  }
  f.out.outputPages = pages;
  finishReps(f, i, status, cost);
}
