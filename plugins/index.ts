/**
 * The built-in VSPs, loaded through the SDK exactly as a user's plugin is, with the reserved
 * `hyperkata.` namespace. (icsvc created this file with the integration services; other built-ins
 * — storvsp, netvsp… — register here too.)
 */
import type { VspModule } from '../core/vsp/types.js';
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
  builtIn(heartbeat, 'plugins/heartbeat', 'hyperkata.heartbeat@1'),
  builtIn(dynmem, 'plugins/dynmem', 'hyperkata.dynmem@1'),
];
