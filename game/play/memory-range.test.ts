/**
 * The inspector's memory fields offer exactly the sizes the host accepts: on the campaign levels
 * that unlock memory, for every VM, the largest value of a field passes the configuration checks
 * and 2 MB more is refused — static memory, and a Dynamic Memory minimum, startup and maximum
 * (rule 33) — so Run never stops on a size the field let the player type.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseLevel, parseSolution } from '../../levels/index.js';
import type { Level } from '../../levels/index.js';
import { draftFromLevel, setIntegrationComponents, setMemory, toSolution } from './draft.js';
import type { Draft } from './draft.js';
import { vmMemoryRanges } from './memory-range.js';
import { startRun } from './session.js';

const dir = new URL('../../levels/campaign/', import.meta.url);
const level = (name: string): Level =>
  parseLevel(readFileSync(new URL(name, dir), 'utf8'), name.slice(0, 2));

/** Whether the host takes the draft (the Run button's first step). */
function accepted(lvl: Level, draft: Draft): boolean {
  try {
    startRun(lvl, parseSolution(JSON.stringify(toSolution(lvl, draft)), 'game'));
    return true;
  } catch {
    return false;
  }
}

const memoryLevels = [level('07-memory-pressure.json'), level('12-consolidation.json')];

/**
 * The level's draft where `vm` may use Dynamic Memory: the guest's balloon driver comes with the
 * integration components, and the root needs the dynamic-memory VSP (level 12 has none).
 */
function dynamicReady(lvl: Level, vm: string): Draft {
  const draft = setIntegrationComponents(draftFromLevel(lvl), vm, true);
  return draft.vsps.some((v) => v.plugin === 'hyperkata.dynmem')
    ? draft
    : {
        ...draft,
        vsps: [...draft.vsps, { id: 'dynmem', plugin: 'hyperkata.dynmem', settings: {} }],
      };
}

describe('vmMemoryRanges', () => {
  it('the memory levels unlock memory (else this test checks nothing)', () => {
    expect(memoryLevels.map((l) => l.controls.memory)).toEqual([true, true]);
  });

  for (const lvl of memoryLevels) {
    for (const vm of lvl.scenario.vms.map((v) => v.name)) {
      it(`${lvl.id} ${vm}: static memory up to the field's maximum, not 2 MB more`, () => {
        const draft = draftFromLevel(lvl);
        const static_ = { dynamic: false as const };
        const { max } = vmMemoryRanges(lvl.scenario, draft, vm).startup;
        expect(accepted(lvl, setMemory(draft, vm, { ...static_, startupMiB: max }))).toBe(true);
        expect(accepted(lvl, setMemory(draft, vm, { ...static_, startupMiB: max + 2 }))).toBe(
          false,
        );
      });

      it(`${lvl.id} ${vm}: Dynamic Memory minimum, startup and maximum within their fields`, () => {
        const dm = {
          dynamic: true as const,
          startupMiB: 1024,
          minimumMiB: 512,
          maximumMiB: 4096,
          bufferPercent: 20,
          priority: 50,
        };
        const draft = setMemory(dynamicReady(lvl, vm), vm, dm);
        const ranges = vmMemoryRanges(lvl.scenario, draft, vm);
        // Rule 33: minimum ≤ startup ≤ maximum.
        expect(ranges.minimum.max).toBe(dm.startupMiB);
        expect(ranges.startup).toEqual({ min: dm.minimumMiB, max: dm.maximumMiB });
        expect(ranges.maximum.min).toBe(dm.startupMiB);
        for (const [key, value] of [
          ['minimumMiB', ranges.minimum.max],
          ['startupMiB', ranges.startup.max],
          ['startupMiB', ranges.startup.min],
          ['maximumMiB', ranges.maximum.min],
        ] as const)
          expect(accepted(lvl, setMemory(draft, vm, { ...dm, [key]: value }))).toBe(true);
        expect(accepted(lvl, setMemory(draft, vm, { ...dm, minimumMiB: dm.startupMiB + 2 }))).toBe(
          false,
        );
        expect(accepted(lvl, setMemory(draft, vm, { ...dm, maximumMiB: dm.startupMiB - 2 }))).toBe(
          false,
        );
      });
    }
  }

  it("a Dynamic Memory minimum shares the host with the other VMs' memory", () => {
    const lvl = memoryLevels[1];
    const dm = {
      dynamic: true as const,
      startupMiB: 30_000,
      minimumMiB: 512,
      maximumMiB: 30_000,
      bufferPercent: 20,
      priority: 50,
    };
    const draft = setMemory(dynamicReady(lvl, 'db01'), 'db01', dm);
    const { max } = vmMemoryRanges(lvl.scenario, draft, 'db01').minimum;
    expect(max).toBeLessThan(dm.startupMiB);
    expect(accepted(lvl, setMemory(draft, 'db01', { ...dm, minimumMiB: max }))).toBe(true);
    expect(accepted(lvl, setMemory(draft, 'db01', { ...dm, minimumMiB: max + 2 }))).toBe(false);
  });
});
