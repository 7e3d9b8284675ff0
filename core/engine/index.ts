export { SimEngine, TIMEOUT_LOG_ID_BASE } from './engine.js';
export type { EventType } from './engine.js';
export { EventLog, hashString } from './event-log.js';
export { Random, RandomStream } from './random.js';
export { NS_PER_MS, NS_PER_S, NS_PER_US, formatNs, ms, seconds, us } from './time.js';
export type { Ns } from './time.js';
