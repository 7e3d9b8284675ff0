// Jest 30 in ESM mode (inversify 8 ships ESM only). ts-jest transpiles each file on its own
// (isolatedModules); `npm run typecheck` does the type checking once for the whole tree.
import { availableParallelism } from 'node:os';

/** @type {import('jest').Config} */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  // docs/examples hold plugin projects' own node:test files (docs/plugins.test.ts runs them).
  testPathIgnorePatterns: ['/node_modules/', '/e2e/', '/dist/', '/docs/examples/'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
  extensionsToTreatAsEsm: ['.ts'],
  testTimeout: 60000,
  // Jest's default, one worker fewer than the cores, runs a 2-core machine (CI's) one file at a
  // time while the parent process idles: two workers there took the suite from 900 s to 447 s.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  // One fixed fast-check seed for every property (HYPERKATA_FC_SEED overrides it): see the file.
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
};
