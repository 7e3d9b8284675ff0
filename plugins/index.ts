/**
 * The built-in VSPs: each a plugin on the public SDK, exactly as a third-party plugin would be,
 * loaded natively (they are trusted). Each built-in appends itself to this list.
 *
 * @example
 * ```ts
 * const sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS });
 * ```
 */
import type { VspModule } from '../core/index.js';
import { toVspModule } from './sdk/index.js';
import type { VspDefinition } from './sdk/index.js';
import { synthhidVsp } from './synthhid/index.js';
import { synthvidVsp } from './synthvid/index.js';

/** Loads a built-in definition (reserved `hyperkata.` namespace, native, trusted). */
function builtIn(definition: VspDefinition, folder: string): VspModule {
  return toVspModule(definition, {
    source: `plugins/${folder}`,
    builtIn: true,
    isolation: 'native',
    digest: `builtin:${definition.id}@1`,
  });
}

export const BUILT_IN_VSPS: readonly VspModule[] = [
  builtIn(synthvidVsp, 'synthvid'), // emulation branch: synthetic video
  builtIn(synthhidVsp, 'synthhid'), // emulation branch: synthetic mouse
];
