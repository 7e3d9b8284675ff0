/**
 * The built-in VSPs: written on the public SDK like any plugin, loaded natively and allowed the
 * reserved `hyperkata.` namespace. Each built-in appends one entry to {@link BUILT_IN_VSPS}.
 *
 * @example
 * ```ts
 * import { Simulation } from './core/index.js';
 * import { BUILT_IN_VSPS } from './plugins/index.js';
 *
 * const sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS });
 * ```
 */
import { toVspModule } from './sdk/index.js';
import type { VspModule } from './sdk/index.js';
import { frameFaultLocator, inFolder } from './fault-location/index.js';
import dynmem from './dynmem/index.js';
import heartbeat from './heartbeat/index.js';
import storvsp, { STORVSP_VERSION } from './storvsp/index.js';
import netvsp, { NETVSP_VERSION } from './netvsp/index.js';
import { synthhidVsp } from './synthhid/index.js';
import { synthvidVsp } from './synthvid/index.js';

/**
 * A stable digest of a built-in: its id and version (FNV-1a, 64 bits as hex), recorded in
 * replays so a run names exactly which built-in ran.
 *
 * @example
 * ```ts
 * builtInDigest('hyperkata.storvsp', '1.0.0'); // "hyperkata.storvsp@1.0.0#…16 hex digits"
 * ```
 */
export function builtInDigest(id: string, version: string): string {
  const text = `${id}@${version}`;
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    // 64-bit multiply by the FNV prime 0x100000001b3, in two 32-bit halves.
    const loMul = lo * 0x1b3;
    const carry = Math.floor(loMul / 0x1_0000_0000);
    hi = (Math.imul(hi, 0x1b3) + Math.imul(lo, 0x100) + carry) >>> 0;
    lo = loMul >>> 0;
  }
  return `${text}#${hi.toString(16).padStart(8, '0')}${lo.toString(16).padStart(8, '0')}`;
}

/**
 * A built-in, loaded natively from `folder` (its place in the repository): a fault names the
 * first frame of its own code there, as the stack gives it — its TypeScript file and line under
 * tsx or Jest, webpack's module in the browser's development build (`plugins/storvsp/…`).
 */
function builtIn(definition: { readonly id: string }, version: string, folder: string): VspModule {
  const id = definition.id;
  return toVspModule(definition, {
    source: `built-in ${id}`,
    builtIn: true,
    isolation: 'native',
    digest: builtInDigest(id, version),
    locateFault: frameFaultLocator(inFolder(folder)),
  });
}

/** Every built-in VSP, in a stable order. */
export const BUILT_IN_VSPS: readonly VspModule[] = Object.freeze([
  builtIn(storvsp, STORVSP_VERSION, 'plugins/storvsp'),
  builtIn(netvsp, NETVSP_VERSION, 'plugins/netvsp'),
  builtIn(synthvidVsp, '1.0.0', 'plugins/synthvid'),
  builtIn(synthhidVsp, '1.0.0', 'plugins/synthhid'),
  builtIn(heartbeat, '1.0.0', 'plugins/heartbeat'),
  builtIn(dynmem, '1.0.0', 'plugins/dynmem'),
]);
