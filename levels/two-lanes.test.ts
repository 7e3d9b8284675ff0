/**
 * Level 02 "two lanes" (rules 11, 37, 38): a VSC wired to a VSP of another class. The misrouted
 * count comes from the run (packets reaching a VSP of another class), and the diagnosis names it.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import { parseLevel, parseSolution, playLevel } from './index.js';

const dir = new URL('./campaign/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const level = parseLevel(read('02-two-lanes.json'), '02-two-lanes.json');
const play = (kind: 'reference' | 'naive') =>
  playLevel({
    level,
    solution: parseSolution(read(`02-two-lanes.${kind}.solution.json`), kind),
    vsps: BUILT_IN_VSPS,
  });

describe('level 02: two lanes', () => {
  it('rule 37: a network VSC wired to storvsp is misrouted; the diagnosis names the device, its class and the VSP, in both languages', () => {
    const naive = play('naive');
    expect(naive.report.vms.web01.misrouted).toBeGreaterThan(0);
    const right = naive.result.objectives.find((o) => o.id === 'right-class');
    expect(right?.met).toBe(false);
    expect(right?.diagnosis?.cause).toBe('misrouted');
    expect(right?.diagnosis?.control).toBe('routing');
    expect(right?.diagnosis?.en).toMatch(/eth0 VSC speaks the network protocol.*storvsp-ssd0/);
    expect(right?.diagnosis?.['pt-BR']).toMatch(/eth0 fala o protocolo de rede.*storvsp-ssd0/);
  });

  it('each VSC on the VSP of its class: nothing misrouted, the web server serves its clients', () => {
    const reference = play('reference');
    const naive = play('naive');
    expect(reference.report.vms.web01.misrouted).toBe(0);
    expect(reference.report.vms.web01.network.ops).toBeGreaterThan(
      10 * naive.report.vms.web01.network.ops,
    );
    expect(reference.result.stars).toBe(3);
  });
});
