/**
 * `hyperkata.dynmem`: the built-in Dynamic Memory VSP, written on the public SDK like any
 * plugin. Offered to every guest whose memory is dynamic, without a route.
 */
import { defineVsp } from '../sdk/index.js';
import { createDynmemVsp } from './dynmem-vsp.js';

export {
  BALLOON_GRANULARITY_PAGES,
  createDynmemVsp,
  DM_HOST_MESSAGE_NS,
  DM_HOST_NS_PER_RANGE,
} from './dynmem-vsp.js';
export { BalloonedPages } from './ballooned-pages.js';

/**
 * The Dynamic Memory VSP definition.
 *
 * @example
 * ```ts
 * import dynmem from './plugins/dynmem/index.js';
 * const module = toVspModule(dynmem, { source: 'plugins/dynmem', builtIn: true, isolation: 'native', digest: 'hyperkata.dynmem@1' });
 * // configuration: vsps: [{ id: 'dm', plugin: 'hyperkata.dynmem' }], and a VM with memory.dynamic = true
 * ```
 */
const dynmem = defineVsp({
  id: 'hyperkata.dynmem',
  sdk: '^1.0.0',
  deviceClass: 'dynamic-memory',
  description: 'Dynamic Memory: relays guest pressure, balloons, unballoons and hot-adds',
  create: (host) => createDynmemVsp(host),
});

export default dynmem;
