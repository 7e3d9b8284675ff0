/**
 * Test helper: lists runnable VPs that wait although an LP they may use is idle (a lost wakeup).
 * Classic and root: any idle LP is usable by a guest VP; a root VP may use only its own LP.
 * Core: a VP may use an idle LP only if the LP's sibling is idle or runs the same partition.
 */
import type { HypervisorScheduler } from '../scheduler.js';

export function idleWhileWaiting(s: HypervisorScheduler, gang: boolean): string[] {
  const snap = s.snapshot();
  const lps = snap.lps;
  const usable = (partitionId: number, lp: number): boolean => {
    if (lps[lp] !== null) return false;
    if (!gang || s.topology.threadsPerCore === 1) return true;
    const sibling = lps[lp ^ 1];
    return sibling === null || sibling.partitionId === partitionId;
  };
  const problems: string[] = [];
  for (const v of snap.vps) {
    if (v.state !== 'ready') continue;
    const d = s.describeVp(v.vp);
    const candidates = d.isRoot ? [d.vpIndex] : lps.map((_, lp) => lp);
    const lp = candidates.find((c) => usable(v.partitionId, c));
    if (lp !== undefined)
      problems.push(`partition ${v.partitionId} VP ${v.vpIndex} waits, LP ${lp} idle`);
  }
  return problems;
}
