/**
 * Level 02 "two lanes" (rules 11, 19, 37): each VSC needs a channel to the VSP of its own class.
 * The naive solution leaves eth0 without a channel and loses the clients' requests; wiring eth0 to
 * storvsp is refused before the run, as Hyper-V never lets such a channel exist; and "misrouted"
 * is left for what can still happen: a guest that writes another class's protocol.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ConfigurationError, DEVICE_CLASS_GUIDS, formatPath, vmOf } from '../core/index.js';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import { parseLevel, parseSolution, playLevel } from './index.js';
import type { Level, Solution } from './index.js';

const dir = new URL('./campaign/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const level = parseLevel(read('02-two-lanes.json'), '02-two-lanes.json');
const solutionOf = (kind: 'reference' | 'naive'): Solution =>
  parseSolution(read(`02-two-lanes.${kind}.solution.json`), kind);
const play = (kind: 'reference' | 'naive') =>
  playLevel({ level, solution: solutionOf(kind), vsps: BUILT_IN_VSPS });

describe('level 02: two lanes', () => {
  it('naive: eth0 has no channel, so client requests are lost; the diagnosis names eth0, in both languages', () => {
    const naive = play('naive');
    expect(naive.report.vms.web01?.path.eth0).toBe('none');
    expect(naive.report.vms.web01?.dropped).toBeGreaterThan(0);
    const lost = naive.result.objectives.find((o) => o.id === 'no-lost-requests');
    expect(lost?.met).toBe(false);
    expect(lost?.diagnosis?.cause).toBe('not-connected');
    expect(lost?.diagnosis?.control).toBe('routing');
    expect(lost?.diagnosis?.en).toMatch(/eth0 is connected to nothing/);
    expect(lost?.diagnosis?.['pt-BR']).toMatch(/eth0 não está ligado a nada/);
    expect(naive.result.objectives.find((o) => o.id === 'serves-clients')?.met).toBe(false);
  });

  it('rule 11: eth0 wired to storvsp is refused before the run, naming the solution file, the field and both class GUIDs', () => {
    const crossWired = parseSolution(
      JSON.stringify({
        format: 1,
        level: level.id,
        channels: [
          { vm: 'web01', device: 'scsi0', vsp: 'storvsp-ssd0' },
          { vm: 'web01', device: 'eth0', vsp: 'storvsp-ssd0' },
        ],
      }),
      'cross-wired.solution.json',
    );
    let refused: unknown = null;
    try {
      playLevel({
        level,
        solution: crossWired,
        vsps: BUILT_IN_VSPS,
        sources: { solution: 'cross-wired.solution.json' },
      });
    } catch (e) {
      refused = e;
    }
    if (!ConfigurationError.is(refused)) throw new Error('the cross-class channel was accepted');
    expect(refused.issues.map((i) => formatPath(i.path))).toEqual(['channels[1].vsp']);
    expect(refused.message).toMatch(
      /^cross-wired\.solution\.json: channels\[1\]\.vsp: expected a network VSP for web01\/eth0/,
    );
    expect(refused.message).toContain(DEVICE_CLASS_GUIDS.network);
    expect(refused.message).toContain(
      `found "storvsp-ssd0", which serves storage (class GUID ${DEVICE_CLASS_GUIDS.storage})`,
    );
  });

  it('each VSC on the VSP of its class: nothing lost, nothing misrouted, the web server serves its clients', () => {
    const reference = play('reference');
    const naive = play('naive');
    expect(reference.report.vms.web01?.dropped).toBe(0);
    expect(reference.report.vms.web01?.misrouted).toBe(0);
    expect(reference.report.vms.web01?.network.ops).toBeGreaterThan(
      10 * vmOf(naive.report.vms, 'web01').network.ops,
    );
    expect(reference.result.stars).toBe(3);
  });

  it('rule 37: a hostile guest that writes storage requests into eth0 is counted misrouted at netvsp; the diagnosis names the channel and the VSP', () => {
    // The reference wiring with eth0's channel offered first, and web01 turned hostile: its
    // attacks go to its first open channel.
    const web01 = level.scenario.vms[0];
    const hostileLevel: Level = {
      ...level,
      scenario: {
        ...level.scenario,
        vms: [
          {
            ...web01,
            hostile: { attacks: ['non-transactional-request'], ratePerSecond: 200, startMs: 50 },
          },
        ],
      },
      objectives: [
        {
          id: 'own-protocol',
          scope: 'vm',
          vm: 'web01',
          metric: 'misrouted',
          op: '<=',
          value: 0,
          label: { en: 'nothing misrouted', 'pt-BR': 'nada mal encaminhado' },
        },
      ],
      naiveFails: ['own-protocol'],
    };
    const reference = solutionOf('reference');
    expect(reference.channels?.map((c) => c.device)).toEqual(['scsi0', 'eth0']);
    const run = playLevel({
      level: hostileLevel,
      solution: { ...reference, channels: [...(reference.channels ?? [])].reverse() },
      vsps: BUILT_IN_VSPS,
    });
    expect(run.report.vms.web01?.misrouted).toBeGreaterThan(0);
    const own = run.result.objectives.find((o) => o.id === 'own-protocol');
    expect(own?.diagnosis?.cause).toBe('misrouted');
    expect(own?.diagnosis?.en).toMatch(/into its eth0 channel; netvsp-nic0, a network VSP/);
    expect(own?.diagnosis?.['pt-BR']).toMatch(/no canal eth0; netvsp-nic0, um VSP de rede/);
  });
});
