import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { SchedulerType } from '../model/index.js';
import { SCHEDULER_TYPES } from './testing/scheduler-types.js';
import { arbitraryLoad, runLoad } from './testing/load-fixture.js';

const MS = 1_000_000;

describe('root VP pinning (rule 31: root VPs are pinned 1:1 to LPs; guest VPs float)', () => {
  it.each(SCHEDULER_TYPES)('rule 31: under %s, root VP i only ever runs on LP i', (type) => {
    fc.assert(
      fc.property(
        arbitraryLoad({ maxVms: 3, maxVps: 3, horizonNs: 60 * MS, withRoot: true }),
        (load) => {
          const misplaced: string[] = [];
          const guestLps = new Set<number>();
          runLoad({
            type,
            processor: { sockets: 1, coresPerSocket: 2, threadsPerCore: 2 },
            rootVps: 3,
            load,
            untilNs: 80 * MS,
            onStep: (s) => {
              s.snapshot().lps.forEach((o, lp) => {
                if (o === null) return;
                const d = s.describeVp(o.vp);
                if (d.isRoot && d.vpIndex !== lp)
                  misplaced.push(`root VP ${d.vpIndex} on LP ${lp}`);
                if (!d.isRoot) guestLps.add(lp);
              });
            },
          });
          expect(misplaced).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it.each(SCHEDULER_TYPES)(
    'rule 31: under %s, guest VPs also run on LPs that have a pinned root VP',
    (type) => {
      const { scheduler } = runLoad({
        type,
        processor: { sockets: 1, coresPerSocket: 2, threadsPerCore: 2 },
        rootVps: 4,
        load: {
          vms: [
            {
              vpCount: 4,
              weight: 100,
              reservePercent: 0,
              limitPercent: 100,
              background: [true, true, true, true],
            },
          ],
          items: [],
          suspensions: [],
        },
        untilNs: 50 * MS,
      });
      // the root is idle: the guest's four VPs fill all four LPs although every LP has a root VP
      expect(scheduler.hostMetrics().lpBusyNs).toEqual([50 * MS, 50 * MS, 50 * MS, 50 * MS]);
    },
  );
});

describe('a root VP is not starved by a reserve (rules 31, 32)', () => {
  it.each<SchedulerType>(['classic', 'core'])(
    'rules 31, 32: under %s, a guest VP owed a whole LP’s reserve leaves the LP of a waiting root VP for an idle one',
    (type) => {
      // The guest VP starts on LP 0 (the lowest idle), the one LP root VP 0 may use, and is owed
      // all of it every period (reserve 100 %). Root VP 0 gets 1 ms of work at 5 ms (a worker
      // process starting a VM); another core is idle throughout.
      const { completions, scheduler } = runLoad({
        type,
        processor: { sockets: 1, coresPerSocket: 2, threadsPerCore: type === 'core' ? 2 : 1 },
        rootVps: 1,
        load: {
          vms: [
            { vpCount: 1, weight: 100, reservePercent: 100, limitPercent: 100, background: [true] },
          ],
          items: [{ vm: -1, vp: 0, atNs: 5 * MS, costNs: 1 * MS, interrupt: false }],
          suspensions: [],
        },
        untilNs: 300 * MS,
      });
      // The root's work is done within a slice of waking (it used to wait forever: the guest VP
      // won LP 0 back at every slice end), and the guest VP still had its whole LP.
      expect(completions).toHaveLength(1);
      expect(Number(completions[0].split(' ')[0])).toBeLessThanOrEqual(5 * MS + 10 * MS + 1 * MS);
      expect(scheduler.partitionMetrics(100).runNs).toBeGreaterThanOrEqual(299 * MS);
    },
  );

  it.each<SchedulerType>(['classic', 'core'])(
    'rules 31, 32: under %s, with no LP idle, a guest VP owed a whole LP’s reserve takes the LP of a VP owed none, not the waiting root VP’s',
    (type) => {
      // As above, but a second VM with no reserve keeps the other core busy: the reserved VP
      // moves there, the VP owed nothing waits its turn by weight, and the root VP runs.
      const { completions, scheduler } = runLoad({
        type,
        processor: { sockets: 1, coresPerSocket: 2, threadsPerCore: type === 'core' ? 2 : 1 },
        rootVps: 1,
        load: {
          vms: [
            { vpCount: 1, weight: 100, reservePercent: 100, limitPercent: 100, background: [true] },
            { vpCount: 1, weight: 100, reservePercent: 0, limitPercent: 100, background: [true] },
          ],
          items: [{ vm: -1, vp: 0, atNs: 5 * MS, costNs: 1 * MS, interrupt: false }],
          suspensions: [],
        },
        untilNs: 300 * MS,
      });
      expect(completions).toHaveLength(1);
      expect(Number(completions[0].split(' ')[0])).toBeLessThanOrEqual(100 * MS);
      // the reserve is still met in full (3 periods), and the VM owed nothing has the rest
      expect(scheduler.partitionMetrics(100).runNs).toBeGreaterThanOrEqual(300 * MS - 1 * MS);
      expect(scheduler.partitionMetrics(101).runNs).toBeGreaterThanOrEqual(280 * MS);
    },
  );
});
