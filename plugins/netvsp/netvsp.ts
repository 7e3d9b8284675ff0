/**
 * netvsp — Hyper-V's network VSP, as a built-in plugin on the public SDK: the host side of NVSP and
 * RNDIS for synthetic network adapters (rule 19), SR-IOV offers (rule 20) and the checks a root
 * component must make on everything a guest sends (rules 36–38).
 */
import { defineVsp, toVspModule } from '../sdk/index.js';
import type { VspModule } from '../sdk/index.js';
import { emptyStats } from './adapter.js';
import type { NetvspStats } from './adapter.js';
import { NetvspInstance } from './netvsp-instance.js';

export const NETVSP_ID = 'hyperkata.netvsp';
/** The plugin's own version (part of its digest). */
export const NETVSP_VERSION = '1.0.0';

/** netvsp's settings, shown in the game's VSP inspector. */
export const NETVSP_SETTINGS = {
  sriov: {
    type: 'boolean',
    default: true,
    description:
      'Offer the NIC’s SR-IOV virtual function to guests that support it (rule 20; needs an SR-IOV NIC)',
  },
  maxQueues: {
    type: 'integer',
    default: 64,
    min: 1,
    max: 64,
    description: 'vRSS receive queues per adapter: the primary channel plus subchannels (rule 19)',
  },
} as const;

/** Options for tests and the game: see each instance's counters. */
export interface NetvspOptions {
  /** Called with the counters of each instance netvsp creates. */
  readonly observe?: (stats: Readonly<NetvspStats>, instance: string) => void;
}

/**
 * The netvsp definition.
 *
 * @example
 * ```ts
 * import { netvspDefinition } from 'hyperkata/plugins/netvsp';
 * const seen: NetvspStats[] = [];
 * const def = netvspDefinition({ observe: (s) => seen.push(s) });
 * ```
 */
export function netvspDefinition(options: NetvspOptions = {}) {
  return defineVsp({
    id: NETVSP_ID,
    sdk: '^1.0.0',
    deviceClass: 'network',
    description: 'Synthetic networking: NVSP/RNDIS over VMBus, vRSS, SR-IOV',
    settings: NETVSP_SETTINGS,
    create(host, settings) {
      const stats = emptyStats();
      options.observe?.(stats, host.instance);
      return new NetvspInstance(host, settings, stats);
    },
  });
}

/**
 * netvsp as the module the core loads (native, built in).
 *
 * @example
 * ```ts
 * const sim = Simulation.create({ scenario, configuration, vsps: [netvspModule()] });
 * ```
 */
export function netvspModule(options: NetvspOptions = {}): VspModule {
  return toVspModule(netvspDefinition(options), {
    source: 'plugins/netvsp',
    builtIn: true,
    isolation: 'native',
    digest: `${NETVSP_ID}@${NETVSP_VERSION}`,
  });
}

/** The netvsp definition the built-in registry loads. */
export const netvsp = netvspDefinition();
