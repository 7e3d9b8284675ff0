/**
 * The example on core/index.ts, whole: build a simulation, follow its narration, advance it in
 * fixed steps as the game's frame loop does, read the report. core/tsdoc.test.ts runs it.
 */
// #region core/index
import { formatNs, Simulation } from '../../../core/index.js';
import { BUILT_IN_VSPS } from '../../../plugins/index.js';
import { configuration, scenario } from './my-host.js'; // plain data: ScenarioInput, ConfigurationInput

const sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS, seed: 42 });
const stop = sim.on((line) => {
  console.log(`${formatNs(line.time)} ${line.source}: ${line.text}`);
});
while (!sim.finished) sim.advance(16_000_000); // a 16 ms simulation step per frame
stop();
const report = sim.report();
console.log(report.vms.db01?.p99LatencyUs, report.host.rootCpuPercent, report.hash);
// #endregion core/index
