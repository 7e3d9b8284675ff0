import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
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
