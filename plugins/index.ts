/**
 * The built-in VSPs: each a plugin on the public SDK, exactly as a third-party plugin would be,
 * loaded natively (they are trusted). Each built-in appends itself to this list.
 */
import type { VspModule } from '../core/index.js';
import { netvspModule } from './netvsp/index.js';

export const BUILT_IN_VSPS: readonly VspModule[] = [
  netvspModule(), // hyperkata.netvsp: synthetic networking (rules 19, 20)
];
