/**
 * The Node side of the browser sandbox test: bundles the misbehaving fixture plugin (esbuild,
 * Node only), runs every case in Node, and prints `{ code, outcomes }` as JSON for the spec,
 * which hands the same code to the page in Chromium.
 *
 * Run: node --import tsx e2e/sandbox/reference.ts
 */
import { fileURLToPath } from 'node:url';
import { bundlePlugin } from '../../plugins/loader/index.js';
import { runSandboxCases, SANDBOX_CASES } from './cases.js';

const fixture = fileURLToPath(
  new URL('../../plugins/sandbox/testing/fixtures/misbehaving-storage.ts', import.meta.url),
);
const code = await bundlePlugin({ file: fixture }, { mode: 'sandbox', source: 'fixture' });
const outcomes = await runSandboxCases(code, SANDBOX_CASES);
process.stdout.write(JSON.stringify({ code, outcomes }));
