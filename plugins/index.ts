/**
 * The built-in VSPs: each a plugin on the public SDK, exactly as a third-party plugin would be,
 * loaded natively (they are trusted). Each built-in appends itself to this list.
 */
import type { VspModule } from '../core/index.js';
import dynmem from './dynmem/index.js';
import heartbeat from './heartbeat/index.js';
import { toVspModule } from './sdk/index.js';

const builtIn = (definition: unknown, source: string, digest: string): VspModule =>
  toVspModule(definition, { source, builtIn: true, isolation: 'native', digest });

/**
 * Every built-in VSP module.
 *
 * @example
 * ```ts
 * const sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS });
 * ```
 */
export const BUILT_IN_VSPS: readonly VspModule[] = [
  // icsvc: the integration services (heartbeat, Dynamic Memory), offered without routes
  builtIn(heartbeat, 'plugins/heartbeat', 'hyperkata.heartbeat@1'),
  builtIn(dynmem, 'plugins/dynmem', 'hyperkata.dynmem@1'),
];
