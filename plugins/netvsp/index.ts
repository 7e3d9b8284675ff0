/** netvsp: Hyper-V's network VSP as a built-in plugin (rules 19, 20, 36–38). */
import { netvsp } from './netvsp.js';

export {
  NETVSP_ID,
  NETVSP_SETTINGS,
  NETVSP_VERSION,
  netvspDefinition,
  netvspModule,
} from './netvsp.js';
export default netvsp;
export type { NetvspOptions } from './netvsp.js';
export type { NetvspStats } from './adapter.js';
export { NetvspInstance } from './netvsp-instance.js';
export type { NetvspSettings } from './netvsp-instance.js';
export {
  NETVSP_CONTROL_NS,
  NETVSP_COPY_NS_PER_BYTE,
  NETVSP_RX_COMPLETION_NS,
  NETVSP_RX_PACKET_NS,
  NETVSP_TX_COMPLETION_NS,
  NETVSP_TX_PACKET_NS,
} from './costs.js';
