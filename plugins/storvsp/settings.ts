/**
 * What a player can change about storvsp in the VSP inspector.
 */
import { VmstorProtocolVersion } from '../../core/protocols/index.js';
import type { ResolvedSettings, SettingsSpec } from '../sdk/index.js';

/**
 * storvsp's settings.
 *
 * @example
 * ```json
 * { "id": "stor", "plugin": "hyperkata.storvsp", "device": "ssd0",
 *   "settings": { "queueDepth": 64, "maxSubchannels": 0 } }
 * ```
 */
export const STORVSP_SETTINGS = {
  // O: storvsp resolver.rs — `io_queue_depth.unwrap_or(256)`: openvmm's storvsp keeps at most 256
  // requests in flight per channel. Hyper-V's own figure is not published.
  queueDepth: {
    type: 'integer',
    default: 256,
    min: 1,
    max: 4096,
    description:
      'Requests storvsp keeps outstanding on the disk per channel; more wait in storvsp (FIFO)',
  },
  maxSubchannels: {
    type: 'integer',
    default: -1,
    min: -1,
    max: 63,
    description:
      'Subchannels offered per controller (-1: one per 4 vCPUs beyond the first, (vCPUs − 1) / 4)',
  },
  maxProtocolVersion: {
    type: 'choice',
    default: '6.2',
    choices: ['6.2', '6.0', '5.1', '4.2', '2.0'],
    description: 'Newest storage protocol version storvsp accepts (WS2016+ Hyper-V: 6.2)',
  },
  writeCache: {
    type: 'boolean',
    default: true,
    description: 'Report the write cache as enabled (MODE SENSE caching page): guests send flushes',
  },
} as const satisfies SettingsSpec;

export type StorvspSettings = ResolvedSettings<typeof STORVSP_SETTINGS>;

const VERSIONS: readonly (readonly [string, number])[] = [
  ['2.0', VmstorProtocolVersion.WIN6],
  ['4.2', VmstorProtocolVersion.WIN7],
  ['5.1', VmstorProtocolVersion.WIN8],
  ['6.0', VmstorProtocolVersion.WIN8_1],
  ['6.2', VmstorProtocolVersion.WIN10],
];

/** Every protocol version up to and including `newest` (a `maxProtocolVersion` choice). */
export function protocolVersionsUpTo(newest: string): number[] {
  const out: number[] = [];
  for (const [name, version] of VERSIONS) {
    out.push(version);
    if (name === newest) return out;
  }
  return out;
}

/**
 * The subchannels storvsp offers a guest with `guestVps` virtual processors: the setting, or
 * by default one per four vCPUs beyond the first (rule 16: (vCPUs − 1) / 4).
 */
export function subchannelLimit(settings: StorvspSettings, guestVps: number): number {
  if (settings.maxSubchannels >= 0) return settings.maxSubchannels;
  const vps = Number.isSafeInteger(guestVps) && guestVps > 0 ? guestVps : 1;
  return Math.min(63, Math.floor((vps - 1) / 4));
}
