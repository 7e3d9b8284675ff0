/**
 * Accessibility as a player who uses a screen reader and the keyboard only, or who does not see
 * every colour: axe-core checks every DOM state a player reaches (title, campaign map, settings,
 * codex, a level in build mode with the inspector open, a run, the results after a won and a
 * failed run) in English and pt-BR; the event log is a polite live region that gets summaries
 * while a run streams; results and refusals are announced; keyboard focus looks different from
 * the board's selection; and every status the board shows by colour also has a shape or text.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { AxeResults, Result } from 'axe-core';
import {
  SAVE_KEY,
  collectErrors,
  expectFocus,
  openLevel,
  openGame,
  sampleSave,
  screenshot,
  seedStorage,
  waitForPlayReady,
  waitForScene,
} from './helpers.js';

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

type Language = 'en' | 'pt-BR';

/** Runs axe on the page as it is now; fails on serious or critical violations, listing them. */
async function audit(page: Page, state: string): Promise<void> {
  // The settled screen, as a player reads it: axe measures contrast through a fade-in's opacity.
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
  );
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ path: AXE_SOURCE });
  }
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document) => Promise<AxeResults> } }).axe;
    return axe.run(document);
  });
  const list = (violations: readonly Result[]) =>
    violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  // Every violation of every impact, one file per state, for the record (artifacts/a11y/).
  const dir = path.join('artifacts', 'a11y');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, `${state.replace(/[^a-zA-Z0-9-]+/g, '-')}.json`),
    JSON.stringify(list(results.violations), null, 2),
  );
  const grave = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const message = list(grave)
    .map((v) => `${v.impact} ${v.id}: ${v.targets.join(' | ')}`)
    .join('\n');
  // Soft: one run lists the violations of every state, not only the first.
  expect.soft(grave.length, `axe in ${state}:\n${message}`).toBe(0);
}

/** What a player reads, in each language. */
const TEXT = {
  en: {
    summary: /^Event log, new lines: \d+\. Latest: ./,
    won: '3 of 3 stars',
    finished: 'Run finished: 3 of 3 stars.',
  },
  'pt-BR': {
    summary: /^Registro de eventos, linhas novas: \d+\. A mais recente: ./,
    won: '3 de 3 estrelas',
    finished: 'Execução concluída: 3 de 3 estrelas.',
  },
} as const;

async function openTitle(page: Page, language: Language): Promise<void> {
  // A first-time player who chose a language: Continue opens level 1.
  const save = JSON.parse(sampleSave({ language })) as Record<string, unknown>;
  await seedStorage(page, { [SAVE_KEY]: JSON.stringify({ ...save, progress: {} }) });
  await openGame(page);
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

async function runToResults(page: Page): Promise<void> {
  await page.locator('#speed-64').click();
  await page.locator('#play-run').click();
  await expect(page.locator('#play-results')).toBeVisible({ timeout: 90_000 });
}

for (const language of ['en', 'pt-BR'] as const) {
  test(`axe (${language}): title, campaign map, settings, codex`, async ({ page }) => {
    const errors = collectErrors(page);
    await openTitle(page, language);
    await audit(page, `${language} title`);
    await page.locator('#menu-campaign').click();
    await waitForScene(page, 'CampaignMap');
    await audit(page, `${language} campaign map`);
    await page.keyboard.press('Escape');
    await waitForScene(page, 'Title');
    await page.locator('#menu-settings').click();
    await waitForScene(page, 'Settings');
    await audit(page, `${language} settings`);
    await page.keyboard.press('Escape');
    await waitForScene(page, 'Title');
    await page.locator('#menu-codex').click();
    await waitForScene(page, 'Codex');
    await audit(page, `${language} codex`);
    expect(errors).toEqual([]);
  });

  test(`axe (${language}): build mode with the inspector, a run, won results`, async ({ page }) => {
    const errors = collectErrors(page);
    await openTitle(page, language);
    await page.locator('#menu-continue').click();
    await waitForPlayReady(page);
    await page.locator('#host-chip').click();
    await expect(page.locator('.play-inspector')).toBeVisible();
    await audit(page, `${language} build + inspector`);
    await page.locator('#vsc-db01-scsi0').focus();
    await page.keyboard.press('Enter');
    await page.locator('#vsp-storvsp-ssd0').focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('#vsc-db01-scsi0')).toHaveClass(/connected/);
    // The event log: a polite live region that announces additions only.
    const log = page.locator('#log');
    await expect(log).toHaveAttribute('role', 'log');
    await expect(log).toHaveAttribute('aria-live', 'polite');
    await expect(log).toHaveAttribute('aria-relevant', 'additions');
    await page.locator('#speed-1').click();
    await page.locator('#play-run').click();
    await expect(page.locator('#play-clock')).not.toContainText(/· 0[.,]0 /);
    // While the run streams, every line is shown but the region is quiet; a summary is spoken.
    await expect(log).toHaveAttribute('aria-live', 'off');
    await expect(page.locator('#log-summary')).toHaveAttribute('aria-live', 'polite');
    await expect(page.locator('#log-summary')).toHaveText(TEXT[language].summary);
    const before = await page.locator('#log .log-line').count();
    await expect.poll(() => page.locator('#log .log-line').count()).toBeGreaterThan(before);
    await audit(page, `${language} running`);
    await page.locator('#speed-64').click();
    await expect(page.locator('#play-results')).toBeVisible({ timeout: 90_000 });
    await expect(page.locator('#play-results')).toHaveAttribute('data-stars', '3');
    // Once it ends the log speaks again, and its last line is the outcome.
    await expect(log).toHaveAttribute('aria-live', 'polite');
    await expect(page.locator('#log .log-line').last()).toContainText(TEXT[language].finished);
    await expect(page.locator('#log-summary')).toHaveText('');
    // Focus is in the results panel, which is described by its stars.
    await expect(page.locator('#play-results')).toHaveAttribute(
      'aria-describedby',
      'result-stars-text',
    );
    await expect(page.locator('#result-stars-text')).toHaveText(` ${TEXT[language].won}`);
    expect(
      await page.evaluate(() => document.activeElement?.closest('#play-results') !== null),
    ).toBe(true);
    await audit(page, `${language} results won`);
    expect(errors).toEqual([]);
  });

  test(`axe (${language}): failed results`, async ({ page }) => {
    const errors = collectErrors(page);
    await openTitle(page, language);
    await page.locator('#menu-continue').click();
    await waitForPlayReady(page);
    await runToResults(page);
    await expect(page.locator('#play-results')).toHaveAttribute('data-stars', '0');
    await audit(page, `${language} results failed`);
    expect(errors).toEqual([]);
  });
}

test('a refused wiring is an alert, heard at once, and stays in the log', async ({ page }) => {
  const errors = collectErrors(page);
  await openLevel(page, '02-two-lanes');
  await page.locator('#vsc-web01-eth0').focus();
  await page.keyboard.press('Enter');
  await page.locator('#vsp-storvsp-ssd0').focus();
  await page.keyboard.press('Enter');
  const refusal = /Refused: web01 · eth0 is a network VSC and storvsp-ssd0 serves storage/;
  const notice = page.locator('.notice');
  await expect(notice).toHaveAttribute('role', 'alert');
  await expect(notice).toContainText(refusal);
  await expect(page.locator('#log .log-line').last()).toContainText(refusal);
  // Said by the alert and kept in the log; no third copy in a status line.
  await expect(page.getByRole('status')).toHaveCount(0);
  await audit(page, 'en refusal');
  expect(errors).toEqual([]);
});

/** The focus ring and the selection ring of an element, as computed. */
async function rings(page: Page, selector: string) {
  return page.locator(selector).evaluate((el) => {
    const style = getComputedStyle(el);
    return {
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth),
      outlineColor: style.outlineColor,
      boxShadow: style.boxShadow,
    };
  });
}

test('keyboard focus looks different from the board selection, on every control', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openTitle(page, 'en');
  await page.locator('#menu-continue').focus();
  await page.keyboard.press('Enter');
  await waitForPlayReady(page);
  // Select the VM with the keyboard, then move focus on to the host chip.
  await page.locator('#vm-db01').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#vm-db01')).toHaveAttribute('aria-pressed', 'true');
  await page.locator('#host-chip').focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await expectFocus(page, 'host-chip');
  const selected = await rings(page, '#vm-db01');
  const focused = await rings(page, '#host-chip');
  // Selected: a solid ring on the edge in the selection colour (#ffe066), no outline.
  expect(selected.outlineStyle).toBe('none');
  expect(selected.boxShadow).toContain('rgb(255, 224, 102)');
  expect(selected.boxShadow).toContain('0px 0px 0px 2px');
  // Focused: a dashed ring, in another colour.
  expect(focused.outlineStyle).toBe('dashed');
  expect(focused.outlineWidth).toBeGreaterThanOrEqual(2);
  expect(focused.outlineColor).not.toBe('rgb(255, 224, 102)');
  expect(focused.boxShadow).toBe('none');
  await screenshot(page, 'a11y-focus-vs-selection');
  // Both at once on a selected chip that has focus (focus moved after a key press shows its ring).
  await page.locator('#vm-db01').focus();
  await expectFocus(page, 'vm-db01');
  const both = await rings(page, '#vm-db01');
  expect(both.outlineStyle).toBe('dashed');
  expect(both.boxShadow).toContain('rgb(255, 224, 102)');
  await screenshot(page, 'a11y-focus-on-selection');

  // Every control Tab reaches on the play screen shows the dashed ring (round once, to the
  // first control seen again; each is marked so two without an id are not taken for one).
  const seen: { key: string; ring: string }[] = [];
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    const now = await page.evaluate(() => {
      const el = document.activeElement;
      // Past the last control Tab leaves the page for the browser's own bar: nothing to see.
      if (el === document.body) return { key: '', ring: '' };
      if (!(el instanceof HTMLElement) || el.dataset.a11ySeen !== undefined) return null;
      el.dataset.a11ySeen = '';
      const style = getComputedStyle(el);
      const key = el.id || `${el.tagName.toLowerCase()}.${el.className}`;
      return { key, ring: `${style.outlineStyle} ${parseFloat(style.outlineWidth) >= 2}` };
    });
    if (!now) break;
    if (now.key !== '') seen.push(now);
  }
  expect(seen.length, seen.map((s) => s.key).join(', ')).toBeGreaterThan(10);
  const without = seen.filter((s) => s.ring !== 'dashed true');
  expect(without, 'controls whose focus is not the dashed ring').toEqual([]);
  expect(errors).toEqual([]);
});

test('colour-blind palette: focus and selection still differ; states have shapes and text', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openTitle(page, 'en');
  await page.locator('#menu-settings').click();
  await waitForScene(page, 'Settings');
  await page.locator('#set-palette-colour-blind').click();
  await expect(page.locator('#set-palette-colour-blind')).toHaveAttribute('aria-pressed', 'true');
  const vars = await page.evaluate(() => {
    const style = getComputedStyle(document.documentElement);
    return {
      focus: style.getPropertyValue('--focus').trim(),
      ring: style.getPropertyValue('--focus-ring').trim(),
    };
  });
  expect(vars.focus).toBe('#ffffff');
  expect(vars.ring).not.toBe(vars.focus);
  await audit(page, 'en settings colour-blind');
  await page.keyboard.press('Escape');
  await waitForScene(page, 'Title');
  await page.locator('#menu-continue').click();
  await waitForPlayReady(page);
  // The board in build mode: VSCs without a channel show their emulated path, dashed.
  await screenshot(page, 'a11y-colour-blind-build');
  // A naive run fails: every objective says met or missed with a mark and in words.
  await page.locator('#speed-64').click();
  await page.locator('#play-run').click();
  await expect(page.locator('#play-results')).toBeVisible({ timeout: 90_000 });
  await expect(page.locator('#play-results')).toHaveAttribute('data-stars', '0');
  await expect(page.locator('#result-stars .stars')).toHaveText('☆☆☆');
  const objectives = page.locator('#play-results .objective');
  const count = await objectives.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    const item = objectives.nth(i);
    const met = await item.evaluate((el) => el.classList.contains('met'));
    await expect(item.locator('.objective-mark')).toHaveText(met ? '✓' : '✗');
    await expect(item.locator('.sr-only')).toHaveText(met ? ' (met)' : ' (not met)');
  }
  // Log lines carry a glyph for their kind: the failed run's line is a warning, marked "!".
  await expect(page.locator('#log .log-warning .log-glyph').last()).toHaveText('!');
  await screenshot(page, 'a11y-colour-blind-failed');
  await audit(page, 'en results failed colour-blind');
  expect(errors).toEqual([]);
});
