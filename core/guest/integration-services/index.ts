/**
 * The guest's integration services: the heartbeat and the balloon (Dynamic Memory) drivers,
 * bound to the offers the host makes without a route, and the in-band outbox they share.
 */
export { IntegrationServices } from './integration-services.js';
export type { IntegrationServicesDeps } from './integration-services.js';
export { InbandOutbox } from './inband-outbox.js';
export { HeartbeatIc, HEARTBEAT_MESSAGE_NS, HEARTBEAT_RING_BYTES } from '../drivers/heartbeat.js';
export type { HeartbeatPhase } from '../drivers/heartbeat.js';
export { BALLOON_RING_BYTES, FIRST_STATUS_REPORT_DELAY_NS, HvBalloon } from '../drivers/balloon.js';
export type { BalloonGuest, BalloonPhase } from '../drivers/balloon.js';
export {
  BALLOON_ALLOC_UNIT_PAGES,
  BALLOON_RESPONSE_MAX_RANGES,
  chooseBalloonPages,
  toAllocationUnits,
} from '../drivers/balloon-pages.js';
export { GuestPaging, MAX_PAGING_IN_FLIGHT, PAGING_WINDOW_NS } from '../guest-paging.js';
export type { GuestPagingDeps } from '../guest-paging.js';
