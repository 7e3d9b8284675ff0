export * from './errors.js';
export * from './scenario.js';
export * from './release-limits.js';
export * from './configuration.js';
export * from './parse.js';
export * from './check-configuration.js';
export * from './configuration-reasons.js';
export * from './check-memory.js';
export { nearest } from './suggest.js';
