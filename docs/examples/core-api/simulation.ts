/**
 * The examples on Simulation and its members. Importing this file runs the class's example;
 * core/tsdoc.test.ts runs it and calls the others.
 */
import { ms, Simulation } from '../../../core/index.js';
import { BUILT_IN_VSPS } from '../../../plugins/index.js';
import { configuration, scenario } from './my-host.js';

// #region Simulation
const sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS, seed: 7 });
const stop = sim.on((line) => {
  console.log(line.text);
});
sim.advance(ms(50)); // the first 50 ms of simulated time
stop(); // no narration from here on
const report = sim.runToEnd();
const again = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS, seed: 7 });
console.log(report.hash === again.runToEnd().hash); // true: same inputs and seed, same run
// #endregion Simulation

/** What one frame of a host view reads from a running simulation. */
export function drawFrame(sim: Simulation): { busy: number; backlog: number } {
  // #region Simulation.snapshot
  const view = sim.snapshot({ history: 100 });
  const busy = view.lps.filter((lp) => lp.runs !== 'idle').length;
  const backlog = view.vms.db01?.recent.at(-1)?.ringFill ?? 0; // 0..1
  // #endregion Simulation.snapshot
  return { busy, backlog };
}

/** Suspend-VM twice: VMMS accepts the first and refuses the second. */
export function pauseTwice(sim: Simulation): [boolean, boolean] {
  // #region Simulation.manage
  sim.advance(ms(100));
  const paused = sim.manage('db01', 'pause'); // true: db01 is Paused, its VPs no longer run
  const again = sim.manage('db01', 'pause'); // false: "cannot pause a VM that is Paused (allowed: …)"
  // #endregion Simulation.manage
  return [paused, again];
}
