/**
 * The run the sandbox's tests (and the browser check in e2e/sandbox) put a misbehaving plugin
 * through: two VMs (a database and a web server) on one instance of the fixture storage VSP
 * (`fixtures/misbehaving-storage.ts`), which misbehaves once, on its 21st data request.
 */
import { Simulation } from '../../../core/index.js';
import type { SimReport, VspModule } from '../../../core/index.js';
import { storageHost } from '../../../core/testing/scenarios.js';

export function runMisbehaving(vsp: VspModule, misbehave: string, seed = 1): SimReport {
  const { scenario, configuration } = storageHost({
    vms: [{ name: 'db01' }, { name: 'web01', kind: 'web' }],
    seed,
  });
  const sandboxed = {
    ...configuration,
    vsps: [
      {
        id: 'stor',
        plugin: 'test.sandboxed-storage',
        device: 'ssd0',
        settings: { misbehave, after: 20 },
      },
    ],
  };
  return Simulation.create({ scenario, configuration: sandboxed, vsps: [vsp] }).runToEnd();
}
