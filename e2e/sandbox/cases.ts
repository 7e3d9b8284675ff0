/**
 * The sandbox cases the browser test runs twice — once in Node, once in Chromium — to show that
 * an untrusted plugin behaves the same in both: the same report, bit for bit (event-log hash,
 * completions, root CPU charged, the fault and its reason), whether the plugin serves its
 * guests, loops, hoards memory, throws or reaches for what a sandbox must not give it.
 *
 * Shared by `reference.ts` (Node) and `page.ts` (the page webpack builds for Chromium).
 */
import type { SimReport } from '../../core/index.js';
import { createSandboxedVsp } from '../../plugins/sandbox/index.js';
import { runMisbehaving } from '../../plugins/sandbox/testing/misbehaving-run.js';

/** The fixture's misbehaviours the test compares (plugins/sandbox/testing/fixtures). */
export const SANDBOX_CASES = [
  'none',
  'loop',
  'allocate',
  'throw-number',
  'require',
  'fetch',
  'timers',
  'function-escape',
  'huge-payload',
  'recurse',
  'tamper',
] as const;

/** The memory limit the cases run under (small, so `allocate` reaches it quickly). */
export const CASE_MEMORY_LIMIT_BYTES = 16 * 1024 * 1024;

export interface SandboxCaseOutcome {
  readonly misbehave: string;
  /** Root CPU the sandbox charged for what it measured in this run, ns. */
  readonly chargedNs: number;
  readonly report: SimReport;
}

/**
 * Loads `code` (the bundled fixture) into a sandbox and puts it through
 * {@link runMisbehaving} once per case.
 */
export async function runSandboxCases(
  code: string,
  cases: readonly string[],
): Promise<SandboxCaseOutcome[]> {
  const vsp = await createSandboxedVsp(code, {
    source: 'misbehaving-storage.ts',
    limits: { memoryLimitBytes: CASE_MEMORY_LIMIT_BYTES },
  });
  try {
    return cases.map((misbehave) => {
      const before = vsp.chargedNs();
      const report = runMisbehaving(vsp, misbehave);
      // Through JSON, as the page hands it to the test: both sides compare the same form.
      return {
        misbehave,
        chargedNs: vsp.chargedNs() - before,
        report: JSON.parse(JSON.stringify(report)) as SimReport,
      };
    });
  } finally {
    vsp.dispose();
  }
}
