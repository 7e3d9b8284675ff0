export * from './errors.js';
export * from './scenario.js';
export * from './configuration.js';
