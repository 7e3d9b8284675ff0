/**
 * Issue 3: an untrusted plugin's sandbox behaves the same in Node and in the browser. The same
 * bundled plugin runs the same cases in Node (e2e/sandbox/reference.ts) and in Chromium (a test
 * page webpack builds the way it builds the game, QuickJS's WebAssembly included as an asset);
 * every report must be identical — event-log hash, completions, root CPU charged, the fault
 * and its reason — and each must also be what the case is about.
 */
import { spawnSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import type { SandboxCaseOutcome } from './sandbox/cases.js';
import { SANDBOX_PAGE_URL } from './ports.js';
import { collectErrors, screenshot } from './helpers.js';

interface Reference {
  readonly code: string;
  readonly outcomes: readonly SandboxCaseOutcome[];
}

function nodeReference(): Reference {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--no-warnings', 'e2e/sandbox/reference.ts'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`the Node side failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as Reference;
}

test('a sandboxed plugin gives the same report in Chromium as in Node, case by case', async ({
  page,
}) => {
  const reference = nodeReference();
  const cases = reference.outcomes.map((o) => o.misbehave);
  const errors = collectErrors(page);
  await page.goto(SANDBOX_PAGE_URL);
  await expect(page).toHaveTitle(/ready/);
  const inBrowser = await page.evaluate(
    async ({ code, list }) => {
      const sandbox = window.hyperkataSandbox;
      if (sandbox === undefined) throw new Error('the sandbox page did not load');
      return sandbox.run(code, list);
    },
    { code: reference.code, list: cases },
  );
  await screenshot(page, 'sandbox-in-chromium');
  expect(errors).toEqual([]);

  const byCase = new Map(inBrowser.map((o) => [o.misbehave, o]));
  for (const node of reference.outcomes) {
    expect(byCase.get(node.misbehave), `case "${node.misbehave}" in Chromium`).toEqual(node);
  }

  // And each report says what the case is about (in both, as they are equal).
  const of = (kind: string) => {
    const found = byCase.get(kind);
    if (found === undefined) throw new Error(`no outcome for ${kind}`);
    return found.report;
  };
  const faultOf = (kind: string) => of(kind).faults.plugins.at(0);
  expect(of('none').faults.plugins).toEqual([]);
  expect(of('none').vms.db01?.completed).toBeGreaterThan(300);
  expect(byCase.get('none')?.chargedNs).toBeGreaterThan(0);
  expect(faultOf('loop')).toMatchObject({ plugin: 'test.sandboxed-storage', kind: 'plugin-limit' });
  expect(faultOf('loop')?.reason).toMatch(/exceeded its CPU budget of [\d,]+ ticks/);
  // Spinning until stopped burnt the whole budget (2,000,000 polls × 2 ns) of root CPU.
  expect(byCase.get('loop')?.chargedNs).toBeGreaterThanOrEqual(4_000_000);
  expect(faultOf('allocate')?.reason).toMatch(/exceeded its memory limit of 16 MiB/);
  expect(faultOf('throw-number')?.reason).toMatch(
    /^onPacket threw a non-Error value: 42 \(in onPacket \(misbehaving-storage\.ts:\d+:\d+\)\)$/,
  );
  for (const name of ['require', 'fetch']) {
    expect(faultOf(name)?.reason).toContain(`ReferenceError: '${name}' is not defined`);
  }
  expect(faultOf('timers')?.reason).toContain(`ReferenceError: 'setTimeout' is not defined`);
  expect(faultOf('function-escape')?.reason).toContain('"fetch":"undefined"');
  expect(faultOf('recurse')?.reason).toContain('stack overflow');
  expect(of('tamper').faults.plugins).toEqual([]);
  for (const { report } of inBrowser) expect(report.durationMs).toBe(200);
});
