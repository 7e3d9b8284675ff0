/**
 * The built-in VSP plugins, loaded natively with the reserved `hyperkata.` namespace.
 * (Created minimally by the emulation branch for synthvid and synthhid; other built-ins register
 * here too.)
 *
 * @example
 * ```ts
 * const sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS });
 * ```
 */
import { toVspModule } from './sdk/index.js';
import type { VspDefinition, VspModule } from './sdk/index.js';
import { synthhidVsp } from './synthhid/index.js';
import { synthvidVsp } from './synthvid/index.js';

function builtIn(definition: VspDefinition, folder: string): VspModule {
  return toVspModule(definition, {
    source: `plugins/${folder}`,
    builtIn: true,
    isolation: 'native',
    digest: `builtin:${definition.id}@1`,
  });
}

export const BUILT_IN_VSPS: readonly VspModule[] = [
  builtIn(synthvidVsp, 'synthvid'),
  builtIn(synthhidVsp, 'synthhid'),
];
