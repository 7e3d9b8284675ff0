/**
 * What a caller of the public API holds — the checked inputs, a snapshot, a report, a
 * subscription — is its own: changing it cannot change the run, and what it read stays what it
 * read. A library user expects that of any API that hands back objects (issue 2 item 11).
 */
import { describe, expect, it } from '@jest/globals';
import { storageHost } from '../testing/scenarios.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import { Simulation } from './simulation.js';

const vsps = [minimalStorvsp()];

/** db01 starts 20 ms into the run, so settings it is launched with are read after create. */
function lateStart() {
  const { scenario, configuration } = storageHost({ vms: [{ name: 'db01' }], durationMs: 60 });
  (scenario.vms[0] as Record<string, unknown>).startAtMs = 20;
  return { scenario, configuration };
}

/** Runs `fn`, ignoring the TypeError a frozen object raises in strict mode. */
function attempt(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
  }
}

describe('what the caller holds cannot change the run', () => {
  it('the checked scenario and configuration are read-only: a change after create cannot slip past the checks', () => {
    const untouched = Simulation.create({ ...lateStart(), vsps }).runToEnd();
    const sim = Simulation.create({ ...lateStart(), vsps });
    // 300 VPs is refused by create (rule 40); written afterwards it must not reach the VM's launch.
    attempt(() => {
      sim.configuration.vms.db01.processor.count = 300;
    });
    attempt(() => {
      sim.scenario.vms[0].workload.intensity = 50;
    });
    attempt(() => {
      sim.scenario.host.memoryMiB = 1;
    });
    expect(sim.configuration.vms.db01.processor.count).toBe(2);
    const report = sim.runToEnd();
    expect(report.vms.db01?.failure).toBe('');
    expect(report.host.memory.totalMiB).toBe(untouched.host.memory.totalMiB);
    expect(report.hash).toBe(untouched.hash);
  });

  it('a report taken mid-run keeps what it said: later faults do not appear in it', () => {
    const { scenario, configuration } = storageHost({
      vms: [{ name: 'good' }, { name: 'evil' }],
      durationMs: 120,
    });
    (scenario.vms[1] as Record<string, unknown>).hostile = {
      attacks: ['unknown-packet-type'],
      ratePerSecond: 200,
      startMs: 20,
    };
    const sim = Simulation.create({ scenario, configuration, vsps });
    sim.advance(10_000_000);
    const early = sim.report();
    expect(early.faults.plugins).toEqual([]);
    const final = sim.runToEnd();
    expect(final.faults.plugins.length).toBeGreaterThan(0);
    expect(early.faults.plugins).toEqual([]);
  });

  it('changing one snapshot changes neither the run nor the next snapshot', () => {
    const { scenario, configuration } = lateStart();
    const sim = Simulation.create({ scenario, configuration, vsps });
    sim.advance(5_000_000);
    const first = sim.snapshot();
    // Before db01 starts every guest LP is idle; a caller scribbles on what it was given.
    const idle = first.lps.findIndex((lp) => lp.runs === 'idle');
    expect(idle).toBeGreaterThanOrEqual(0);
    attempt(() => {
      Object.assign(first.lps[idle], { runs: 'vm', vm: 'scribbled', vp: 9 });
    });
    const second = sim.snapshot();
    expect(second.lps.filter((lp) => lp.runs === 'vm')).toEqual([]);
  });

  it('a narration line one listener scribbles on reads the same to the next listener and in recent()', () => {
    const sim = Simulation.create({ ...lateStart(), vsps });
    sim.on((line) => {
      attempt(() => {
        (line as { text: string }).text = 'scribbled';
      });
    });
    const heard: string[] = [];
    sim.on((line) => heard.push(line.text));
    sim.advance(25_000_000);
    const texts = sim.recent(10_000).map((l) => l.text);
    expect(heard.length).toBeGreaterThan(0);
    expect(heard).not.toContain('scribbled');
    expect(texts).toEqual(heard);
  });

  it('the same listener subscribed twice is followed twice; each unsubscribe ends only its own subscription', () => {
    const sim = Simulation.create({ ...lateStart(), vsps });
    const seen: string[] = [];
    const listener = (line: { text: string }) => seen.push(line.text);
    const first = sim.on(listener);
    const second = sim.on(listener);
    sim.advance(25_000_000);
    const lines = sim.recent(10_000).length;
    expect(lines).toBeGreaterThan(0);
    expect(seen.length).toBe(2 * lines);
    first();
    first(); // a second call of the same unsubscribe changes nothing
    seen.length = 0;
    sim.runToEnd();
    const later = sim.recent(10_000).length - lines;
    expect(later).toBeGreaterThan(0);
    expect(seen.length).toBe(later);
    second();
  });
});

describe('the public API reaches no internals', () => {
  it('a Simulation offers no way to the assembled runtime, and core/index exports none', async () => {
    const sim = Simulation.create({ ...lateStart(), vsps });
    expect(Reflect.has(sim, 'internals')).toBe(false);
    const api = await import('../index.js');
    expect(Object.keys(api)).not.toContain('internalsOf');
  });
});
