/**
 * `hyperkata.heartbeat`: the built-in heartbeat integration service, written on the public SDK
 * like any plugin. Offered to every guest with integration components without a route.
 */
import { defineVsp } from '../sdk/index.js';
import { createHeartbeatVsp } from './heartbeat-vsp.js';

export {
  createHeartbeatVsp,
  HEARTBEAT_HOST_MESSAGE_NS,
  HOST_FRAMEWORK_VERSIONS,
  HOST_HEARTBEAT_VERSIONS,
} from './heartbeat-vsp.js';

/**
 * The heartbeat VSP definition.
 *
 * @example
 * ```ts
 * import heartbeat from './plugins/heartbeat/index.js';
 * const module = toVspModule(heartbeat, { source: 'plugins/heartbeat', builtIn: true, isolation: 'native', digest: 'hyperkata.heartbeat@1' });
 * // configuration: vsps: [{ id: 'heartbeat', plugin: 'hyperkata.heartbeat' }]
 * ```
 */
const heartbeat = defineVsp({
  id: 'hyperkata.heartbeat',
  sdk: '^1.0.0',
  deviceClass: 'heartbeat',
  description: 'Heartbeat integration service: VMMS knows the guest is alive',
  create: (host) => createHeartbeatVsp(host),
});

export default heartbeat;
