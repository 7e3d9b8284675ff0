/**
 * A test page, not part of the game: exposes {@link runSandboxCases} to the browser test and
 * shows what each case did, so a screenshot tells a person the same story as the assertions.
 */
import { runSandboxCases } from './cases.js';
import type { SandboxCaseOutcome } from './cases.js';

declare global {
  interface Window {
    hyperkataSandbox?: {
      run(code: string, cases: readonly string[]): Promise<SandboxCaseOutcome[]>;
    };
  }
}

function cell(row: HTMLTableRowElement, text: string): void {
  row.insertCell().textContent = text;
}

function show(outcomes: readonly SandboxCaseOutcome[]): void {
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const title of ['plugin does', 'db01 done', 'web01 done', 'root CPU charged', 'fault'])
    cell(head, title);
  const body = table.createTBody();
  for (const { misbehave, chargedNs, report } of outcomes) {
    const row = body.insertRow();
    cell(row, misbehave);
    for (const vm of ['db01', 'web01']) cell(row, String(report.vms[vm]?.completed ?? '—'));
    cell(row, `${(chargedNs / 1e6).toFixed(3)} ms`);
    const fault = report.faults.plugins.at(0);
    cell(row, fault === undefined ? 'none' : `${fault.kind}: ${fault.reason}`);
  }
  document.body.append(table);
}

window.hyperkataSandbox = {
  async run(code, cases) {
    const outcomes = await runSandboxCases(code, cases);
    show(outcomes);
    return outcomes;
  },
};
document.title = 'Hyperkata sandbox check: ready';
