/**
 * A narration line's `reason` can be structured — an id and its parameters — so a front end can
 * say why a channel stopped or an action was refused in its player's language; its English words
 * stay exactly what the model built before reasons had ids (the `--log`, replays, the report's
 * fault records and the event-log hash read them).
 */
import { describe, expect, it } from '@jest/globals';
import type { HostileAttack } from '../model/index.js';
import { VM_ACTIONS, VM_STATES, transition } from '../root/vm-state.js';
import { storageHost } from '../testing/scenarios.js';
import { describeRejection } from '../vmbus/ring/index.js';
import type { RingRejection } from '../vmbus/ring/index.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import { narrationText } from './narration-messages.js';
import { REASON_IDS, because, reasonText } from './narration-reasons.js';
import type { NarrationLine } from './event-log.js';
import { Simulation } from './simulation.js';

function hostileRun(attack: HostileAttack): { lines: NarrationLine[]; faults: string[] } {
  const { scenario, configuration } = storageHost({
    vms: [{ name: 'good' }, { name: 'evil' }],
    durationMs: 60,
  });
  (scenario.vms[1] as Record<string, unknown>).hostile = {
    attacks: [attack],
    ratePerSecond: 200,
    startMs: 20,
  };
  const sim = Simulation.create({ scenario, configuration, vsps: [minimalStorvsp()] });
  const lines: NarrationLine[] = [];
  sim.on((l) => lines.push(l));
  const report = sim.runToEnd();
  return { lines, faults: report.faults.plugins.map((f) => f.reason) };
}

describe('the English words of a structured reason are the model’s old words', () => {
  it('VMMS refusing an action says what vm-state.ts says, for every refused state and action', () => {
    let refused = 0;
    for (const state of VM_STATES)
      for (const action of VM_ACTIONS) {
        const r = transition(state, action);
        if (r.ok) continue;
        refused++;
        const allowed = r.reason.slice(r.reason.indexOf('(allowed: ') + 10, -1);
        const reason = because('vm.actionNotAllowed', {
          action,
          state,
          allowed: allowed === 'nothing' ? '' : allowed,
        });
        expect(reasonText(reason)).toBe(r.reason);
      }
    expect(refused).toBeGreaterThan(30);
  });

  it.each<RingRejection | null>([
    'write-index-out-of-range',
    'offset8-below-descriptor',
    'gpa-direct-no-ranges',
    null,
  ])('a ring end refusing a packet (%s) reads as before, from either end', (problem) => {
    const words = problem === null ? null : describeRejection(problem);
    expect(reasonText(because('ring.rejectedByHost', { problem }))).toBe(
      words ?? 'malformed packet',
    );
    expect(
      reasonText(because('ring.rejected', { ring: 'guest→host', problem, writing: true })),
    ).toBe(`guest→host ring: ${words ?? 'packet too large'}`);
    expect(
      reasonText(because('ring.rejected', { ring: 'host→guest', problem, writing: false })),
    ).toBe(`host→guest ring: ${words ?? 'malformed packet'}`);
  });

  it('free text stays as it is, and every id has English words', () => {
    expect(reasonText('rule 37: GPA-direct packet with no ranges')).toBe(
      'rule 37: GPA-direct packet with no ranges',
    );
    expect(reasonText(because('vsp.notStarted', { reason: 'TypeError: x' }))).toBe(
      'the VSP failed to start: TypeError: x',
    );
    expect(REASON_IDS.length).toBeGreaterThan(0);
  });
});

describe('a hostile guest’s broken ring is told with a structured reason', () => {
  const { lines, faults } = hostileRun('ring-index-out-of-range');
  const about = lines.filter(
    (l) => l.message.id === 'vsp.channelStopped' || l.message.id === 'channel.rescinded',
  );

  it('rules 37 and 38: the channel stops and is rescinded, each line saying why by id', () => {
    expect(about.map((l) => l.message.id).sort()).toEqual([
      'channel.rescinded',
      'vsp.channelStopped',
    ]);
    for (const line of about)
      expect((line.message.args as { reason: unknown }).reason).toEqual({
        id: 'ring.rejectedByHost',
        args: { problem: 'write-index-out-of-range' },
      });
  });

  it('keeps the English the log, the hash and the fault record have always had', () => {
    for (const line of about) {
      expect(line.text).toMatch(/[:—] write_index points outside the ring data area$/);
      expect(narrationText(line.message)).toBe(line.text);
    }
    expect(faults).toEqual(['write_index points outside the ring data area']);
  });

  it('freezes the reason with the line: no listener can change what another reads', () => {
    const reason = (about[0].message.args as { reason: object }).reason;
    expect(Object.isFrozen(reason)).toBe(true);
  });
});
