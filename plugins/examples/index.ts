/**
 * Example third-party plugins the campaign offers (level 11's "turbo" storage VSP). They are ours,
 * so they run natively with a fixed digest; a player's own plugin files run in the sandbox.
 */
import type { VspModule } from '../sdk/index.js';
import { toVspModule } from '../sdk/index.js';
import turbo from './turbo-storvsp.js';

export const EXAMPLE_VSPS: readonly VspModule[] = Object.freeze([
  toVspModule(turbo, {
    source: 'plugins/examples/turbo-storvsp.ts',
    builtIn: false,
    isolation: 'native',
    digest: 'example.turbo-storvsp@1.0.0',
  }),
]);
