/**
 * Playing level 1: build the winning solution with the keyboard only and with the mouse, run it,
 * see three stars — and the score the browser shows equals what the CLI prints for the same
 * solution (`hyperkata run 01 --solution FILE --json`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import {
  collectErrors,
  expectFocus,
  openGame,
  openLevel,
  screenshot,
  waitForPlayReady,
  waitForScene,
} from './helpers.js';

const VSC = '#vsc-db01-scsi0';
const VSP = '#vsp-storvsp-ssd0';

/** What the CLI prints for a solution the game built. */
function cliRun(solutionJson: string): Record<string, unknown> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hyperkata-e2e-'));
  const file = path.join(dir, 'game.solution.json');
  writeFileSync(file, solutionJson);
  const out = execFileSync(
    'npx',
    ['tsx', 'cli/main.ts', 'run', '01', '--solution', file, '--json'],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(out) as Record<string, unknown>;
}

async function runToResults(page: Page): Promise<void> {
  await page.locator('#speed-64').click();
  await page.locator('#play-run').click();
  await expect(page.locator('#play-results')).toBeVisible({ timeout: 90_000 });
}

async function expectSameAsCli(page: Page): Promise<void> {
  const solution = await page.locator('#solution-json').textContent();
  expect(solution).toBeTruthy();
  const shown = JSON.parse((await page.locator('#result-json').textContent()) ?? '{}') as Record<
    string,
    unknown
  >;
  const cli = cliRun(solution ?? '');
  expect(shown.stars).toBe(cli.stars);
  expect(shown.scores).toEqual(cli.scores);
  expect(shown.objectives).toEqual(cli.objectives);
  expect(shown.hash).toBe(cli.hash);
  // And the table shows the same numbers.
  const scores = cli.scores as Record<string, number>;
  for (const [kind, value] of Object.entries(scores)) {
    await expect(page.locator(`#score-${kind} .score-value`)).toHaveAttribute(
      'data-value',
      String(value),
    );
  }
}

/**
 * The tutorial's last step comments on the results: it must be readable, so it stands beside the
 * results panel, on top of everything at its own centre, not under the panel.
 */
async function expectTutorialBesideResults(page: Page): Promise<void> {
  const note = page.locator('.play-tutorial');
  await expect(note).toHaveAttribute('data-step', '5');
  await expect(note).toBeVisible();
  const [n, r] = await Promise.all([
    note.boundingBox(),
    page.locator('#play-results').boundingBox(),
  ]);
  if (!n || !r) throw new Error('tutorial or results not laid out');
  const overlap =
    n.x < r.x + r.width && r.x < n.x + n.width && n.y < r.y + r.height && r.y < n.y + n.height;
  expect(overlap, 'the tutorial box overlaps the results panel').toBe(false);
  const column = await page.locator('.play-inspector').boundingBox();
  if (!column) throw new Error('inspector not laid out');
  expect(n.x + n.width, 'the tutorial box leaves the game area').toBeLessThanOrEqual(
    column.x + column.width + 0.5,
  );
  const onTop = await page.evaluate(
    ([x, y]) => document.elementFromPoint(x, y)?.closest('.play-tutorial') !== null,
    [n.x + n.width / 2, n.y + n.height / 2],
  );
  expect(onTop, 'something covers the tutorial box').toBe(true);
}

test('level 1 with the keyboard only, in Portuguese: three stars, the CLI score', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openGame(page);
  // Switch the language from the title screen.
  await page.locator('#title-lang-pt-BR').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR');
  // Continue opens level 1.
  await page.locator('#menu-continue').focus();
  await page.keyboard.press('Enter');
  await waitForPlayReady(page);
  await expect(page.locator(VSC)).toBeVisible();
  await expectFocus(page, 'vsc-db01-scsi0');
  await expect(page.locator('.play-tutorial')).toHaveAttribute('data-step', '1');
  await screenshot(page, 'play-01-tutorial-start');
  // Select the VSC, then the VSP, with Enter.
  await page.keyboard.press('Enter');
  await expect(page.locator(VSC)).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.play-tutorial')).toHaveAttribute('data-step', '2');
  await page.locator(VSP).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator(VSC)).toHaveClass(/connected/);
  await expectFocus(page, 'play-run');
  await expect(page.locator('.play-tutorial')).toHaveAttribute('data-step', '3');
  // Fastest speed, then Run — all by keyboard.
  await page.locator('#speed-64').focus();
  await page.keyboard.press('Enter');
  await page.locator('#play-run').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#play-results')).toBeVisible({ timeout: 90_000 });
  await expect(page.locator('#play-results')).toHaveAttribute('data-stars', '3');
  await expect(page.locator('#result-stars')).toContainText('3 de 3 estrelas');
  await expectTutorialBesideResults(page);
  await expectFocus(page, 'results-next');
  await screenshot(page, 'play-02-results-pt');
  await expectSameAsCli(page);
  expect(errors).toEqual([]);
});

test('level 1 with the mouse: drag the VSC onto the VSP, run, three stars', async ({ page }) => {
  const errors = collectErrors(page);
  await openGame(page);
  await page.locator('#menu-continue').click();
  await waitForPlayReady(page);
  const from = await page.locator(VSC).boundingBox();
  const to = await page.locator(VSP).boundingBox();
  if (!from || !to) throw new Error('chips not laid out');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await screenshot(page, 'play-03-dragging');
  await page.mouse.up();
  await expect(page.locator(VSC)).toHaveClass(/connected/);
  await page.locator('#host-chip').click();
  await screenshot(page, 'play-04-built');
  // At ×1 the run lasts 10 s: long enough to see it move; then ×16 to the end.
  await page.locator('#speed-1').click();
  await page.locator('#play-run').click();
  await page.waitForTimeout(1500);
  await screenshot(page, 'play-05-running');
  await expect(page.locator('#play-clock')).not.toContainText('· 0.0 of');
  // The simulation runs in a Web Worker, not on the page.
  expect(page.workers().length).toBeGreaterThan(0);
  await page.locator('#speed-16').click();
  await expect(page.locator('#play-results')).toBeVisible({ timeout: 90_000 });
  await expect(page.locator('#play-results')).toHaveAttribute('data-stars', '3');
  await screenshot(page, 'play-06-results');
  // The event log followed the narration down to its newest line (and holds more than it shows).
  const log = () =>
    page.evaluate(() => {
      const list = document.getElementById('log');
      return list
        ? {
            overflow: list.scrollHeight - list.clientHeight,
            below: list.scrollHeight - list.scrollTop - list.clientHeight,
          }
        : null;
    });
  await expect.poll(async () => (await log())?.below).toBeLessThan(24);
  expect((await log())?.overflow).toBeGreaterThan(0);
  await expectSameAsCli(page);
  // Progress is saved: the map shows three stars on level 1.
  await page.locator('#results-map').click();
  await waitForScene(page, 'CampaignMap');
  await expect(page.locator('#level-01-first-partition')).toContainText('★★★');
  expect(errors).toEqual([]);
});

test('a naive run fails with a diagnosis, hints come one at a time', async ({ page }) => {
  const errors = collectErrors(page);
  await openGame(page);
  await page.locator('#menu-continue').click();
  await waitForPlayReady(page);
  await expect(page.locator('.hint-item')).toHaveCount(0);
  await page.locator('#play-hint').click();
  await expect(page.locator('.hint-item')).toHaveCount(1);
  await page.locator('#play-hint').click();
  await page.locator('#play-hint').click();
  await expect(page.locator('.hint-item')).toHaveCount(3);
  await expect(page.locator('#play-hint')).toHaveCount(0);
  await runToResults(page);
  await expect(page.locator('#play-results')).toHaveAttribute('data-stars', '0');
  await expect(page.locator('#play-results .diagnosis').first()).toBeVisible();
  await expectTutorialBesideResults(page);
  await expect(page.locator('.play-tutorial')).toContainText('hint');
  await expectFocus(page, 'results-again');
  await screenshot(page, 'play-07-failed');
  await page.locator('#results-again').click();
  await expect(page.locator('#play-results')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('without a worker (?sim=page) the run steps on the page and scores the same', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openGame(page, '/?sim=page');
  await page.locator('#menu-continue').click();
  await waitForPlayReady(page);
  await page.locator(VSC).click();
  await page.locator(VSP).click();
  await expect(page.locator(VSC)).toHaveClass(/connected/);
  // Step (while paused) advances 1 ms of simulated time.
  await page.locator('#play-step').click();
  await expect(page.locator('#play-clock')).toContainText('1.0 of');
  await runToResults(page);
  await expect(page.locator('#play-results')).toHaveAttribute('data-stars', '3');
  expect(page.workers()).toEqual([]);
  await expectSameAsCli(page);
  expect(errors).toEqual([]);
});

test("level 7: the diagnosis's 'buffer or priority' are fields the inspector offers", async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '07-memory-pressure');
  await page.locator('#vm-nightshift').click();
  await page.locator('#field-dynamic-nightshift').selectOption('on');
  for (const [field, value] of [
    ['#field-buffer-nightshift', '50'],
    ['#field-priority-nightshift', '80'],
  ] as const) {
    await page.locator(field).fill(value);
    await page.locator(field).press('Tab');
  }
  await expect(page.locator('.ps-line').first()).toContainText('-Buffer 50 -Priority 80');
  await page.locator('#host-chip').click();
  await expect(page.locator('#solution-json')).toContainText('"bufferPercent": 50');
  await expect(page.locator('#solution-json')).toContainText('"priority": 80');
  expect(errors).toEqual([]);
});

test("level 5: the briefing's 'maximum' is the inspector's limit field, named both ways", async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '05-noisy-neighbour');
  await page.locator('#vm-batch01').click();
  // Hint 2: "a maximum caps a VM"; PowerShell: Set-VMProcessor -Maximum. The field said "Limit %".
  await expect(page.getByLabel('Limit (maximum) %')).toHaveValue('100');
  await expect(page.locator('.ps-line').first()).toContainText('-Maximum 100');
  expect(errors).toEqual([]);
});

/** The focused element lies wholly inside the results panel's visible part, and nothing covers it. */
async function expectFocusedButtonInView(page: Page): Promise<void> {
  const seen = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const panel = document.getElementById('play-results');
    if (!el || !panel) return 'no focus or no panel';
    const b = el.getBoundingClientRect();
    const p = panel.getBoundingClientRect();
    if (b.top < p.top - 0.5 || b.bottom > p.bottom + 0.5)
      return `${el.id} at ${b.top.toFixed(0)}–${b.bottom.toFixed(0)}, panel shows ${p.top.toFixed(0)}–${p.bottom.toFixed(0)}`;
    const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
    return hit === el || el.contains(hit)
      ? 'visible'
      : `${el.id} covered by ${hit?.className ?? 'nothing'}`;
  });
  expect(seen).toBe('visible');
}

test('level 5 (pt-BR): after a run the focused results button is in view, stars still at the top', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '05-noisy-neighbour', 'pt-BR');
  await runToResults(page);
  // A failed run: long diagnoses push the actions below the panel's fold; focus is on
  // "Voltar à montagem", which was half cut off at the panel's bottom edge.
  await expectFocus(page, 'results-again');
  await expectFocusedButtonInView(page);
  await expect(page.locator('#result-stars')).toBeInViewport();
  await screenshot(page, 'play-results-focus-failed-pt-BR');
  // Tab walks the actions; each stays in view.
  await page.keyboard.press('Tab');
  await expectFocus(page, 'results-map');
  await expectFocusedButtonInView(page);
  expect(errors).toEqual([]);
});
