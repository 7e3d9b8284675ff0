/**
 * Keyboard only: title → campaign → codex → settings and back, with a visible focus ring, arrows
 * to move, Enter to choose, Esc to go back, M to mute. The mouse is never used.
 */
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import {
  collectErrors,
  expectFocus,
  focusedId,
  openGame,
  openLevel,
  screenshot,
  waitForScene,
} from './helpers.js';

test.use({ locale: 'en-US' });

/**
 * The focused element shows a ring: a dashed outline at least 2 px wide (dashed so it is never
 * taken for the board's selection, a solid ring; e2e/a11y.spec.ts compares the two).
 */
async function expectVisibleFocusRing(page: Page): Promise<void> {
  const ring = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return null;
    const style = getComputedStyle(el);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  expect(ring?.style).toBe('dashed');
  expect(ring?.width).toBeGreaterThanOrEqual(2);
}

test('every menu can be reached and left with the keyboard alone', async ({ page }) => {
  const errors = collectErrors(page);
  await openGame(page);

  // Focus starts on the first menu item; arrows move through the menu.
  await expectFocus(page, 'menu-continue');
  await page.keyboard.press('ArrowDown');
  await expectFocus(page, 'menu-campaign');
  await expectVisibleFocusRing(page);
  await screenshot(page, 'keyboard-title-focus');

  // Campaign: Enter opens it with the first open level focused; arrows move between levels.
  await page.keyboard.press('Enter');
  await waitForScene(page, 'CampaignMap');
  await expectFocus(page, 'level-01-first-partition');
  await page.keyboard.press('ArrowRight');
  await expectFocus(page, 'level-02-two-lanes');
  await expectVisibleFocusRing(page);
  // Selection follows focus: the detail panel describes the focused level.
  await expect(page.getByRole('heading', { level: 2, name: 'Two lanes' })).toBeVisible();
  // A locked level says why instead of starting.
  await page.keyboard.press('Enter');
  await expect(page.getByRole('log')).toContainText('Locked: Level 1 is finished');
  await page.keyboard.press('Escape');
  await waitForScene(page, 'Title');
  await expectFocus(page, 'menu-campaign');

  // Codex: arrows walk the list; the article follows.
  await page.keyboard.press('ArrowDown');
  await expectFocus(page, 'menu-codex');
  await page.keyboard.press('Enter');
  await waitForScene(page, 'Codex');
  await expectFocus(page, 'entry-apic');
  await page.keyboard.press('ArrowDown');
  await expectFocus(page, 'entry-child-partition');
  await expect(page.getByRole('heading', { level: 2, name: 'Child partition' })).toBeVisible();
  // Right moves into the article, which scrolls with Up/Down.
  await page.keyboard.press('ArrowRight');
  await expectFocus(page, '');
  await expect(page.locator('.codex-article')).toBeFocused();
  await page.keyboard.press('Escape');
  await waitForScene(page, 'Title');
  await expectFocus(page, 'menu-codex');

  // Settings: arrows reach the options; Enter and Space choose.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await waitForScene(page, 'Settings');
  await expectFocus(page, 'back');
  await page.keyboard.press('ArrowDown');
  await expectFocus(page, 'set-lang-en');
  await page.keyboard.press('ArrowDown');
  await expectFocus(page, 'set-palette-standard');
  await page.keyboard.press('ArrowRight');
  await expectFocus(page, 'set-palette-colour-blind');
  await page.keyboard.press('Space');
  await expect(page.locator('#set-palette-colour-blind')).toHaveAttribute('aria-pressed', 'true');
  await expectFocus(page, 'set-palette-colour-blind');
  await expectVisibleFocusRing(page);
  await screenshot(page, 'keyboard-settings-focus');

  // M mutes from anywhere, and says so.
  await page.keyboard.press('m');
  await expect(page.getByRole('log')).toContainText('Sound muted.');

  await page.keyboard.press('Escape');
  await waitForScene(page, 'Title');
  await expectFocus(page, 'menu-settings');

  // Tab also works, and reaches the event log, which is focusable for scrolling.
  for (
    let i = 0;
    i < 12 && (await page.evaluate(() => document.activeElement?.id)) !== 'log';
    i++
  ) {
    await page.keyboard.press('Tab');
  }
  await expectFocus(page, 'log');
  expect(errors).toEqual([]);
});

test('reduced motion can be chosen with the keyboard and stops the title animation', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openGame(page);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expectFocus(page, 'menu-settings');
  await page.keyboard.press('Enter');
  await waitForScene(page, 'Settings');
  await page.locator('#set-motion-reduced').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#app')).toHaveAttribute('data-motion', 'reduced');
  await page.keyboard.press('Escape');
  await waitForScene(page, 'Title');
  // Two captures a moment apart are identical: nothing moves.
  await page.waitForTimeout(300);
  const a = await page.screenshot();
  await page.waitForTimeout(700);
  const b = await page.screenshot();
  expect(a.equals(b)).toBe(true);
  expect(errors).toEqual([]);
});

/** Presses Tab until `id` has focus (at most `max` times), as a keyboard player would. */
async function tabTo(page: Page, id: string, max = 40): Promise<void> {
  for (let i = 0; i < max && (await focusedId(page)) !== id; i++) await page.keyboard.press('Tab');
  await expectFocus(page, id);
}

/** The run has not started: Pause is unavailable and the clock still says Build. */
async function expectNotRunning(page: Page): Promise<void> {
  // Starting a run is asynchronous (the worker loads the level): give it time to show.
  await page.waitForTimeout(600);
  await expect(page.locator('#play-pause')).toHaveAttribute('aria-disabled', 'true');
  await expect(page.locator('#play-clock')).toHaveText(/^Build · /);
}

test('Space presses the focused control on the play screen; elsewhere it runs and pauses', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '12-consolidation');
  // Whether the page's own keydown handling cancelled the last Space (read after the game's).
  await page.evaluate(() => {
    window.addEventListener('keydown', (event) => {
      if (event.key === ' ') document.body.dataset.spacePrevented = String(event.defaultPrevented);
    });
  });

  // A button reached with Tab: Space shows the hint, as Enter or a click would.
  await tabTo(page, 'play-hint');
  await page.keyboard.press('Space');
  await expect(page.locator('#hint-1')).toBeVisible();
  await expectFocus(page, 'play-hint');
  await expectNotRunning(page);

  // A toggle button reached with the arrows: Space chooses the speed.
  await tabTo(page, 'speed-1');
  await page.keyboard.press('ArrowRight');
  await expectFocus(page, 'speed-2');
  await page.keyboard.press('Space');
  await expect(page.locator('#speed-2')).toHaveAttribute('aria-pressed', 'true');
  await expectNotRunning(page);

  await screenshot(page, 'keyboard-space-on-controls');

  // Focus on the board (no control): Space runs, and Space pauses.
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
  });
  await page.keyboard.press('Space');
  await expect(page.locator('body')).toHaveAttribute('data-space-prevented', 'true');
  await expect(page.locator('#play-pause')).not.toHaveAttribute('aria-disabled', 'true');
  await expect(page.locator('#play-clock')).toHaveText(/^Running · /);
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
  });
  await page.keyboard.press('Space');
  await expect(page.locator('#play-clock')).toHaveText(/^Paused · /);
  await expect(page.locator('#play-run')).toHaveText('Resume');
  await screenshot(page, 'keyboard-space-on-board');

  // A list: Space is the browser's (it opens the list), not the run's. Last: the open list
  // takes the keys that follow.
  await page.locator('#play-reset').click();
  await expect(page.locator('#play-clock')).toHaveText(/^Build · /);
  await page.locator('#host-chip').click();
  await page.locator('#field-new-vsp-device').focus();
  await page.keyboard.press('Space');
  await expect(page.locator('body')).toHaveAttribute('data-space-prevented', 'false');
  await expectNotRunning(page);
  expect(errors).toEqual([]);
});

test('Esc on a level’s results closes them, back to the build; Esc again leaves for the map', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '01-first-partition');
  await page.locator('#speed-64').click();
  await page.locator('#play-run').click();
  await expect(page.locator('#play-results')).toBeVisible({ timeout: 90_000 });
  await expect(page.locator('#play-results')).toHaveAttribute('role', 'dialog');
  await page.keyboard.press('Escape');
  // The dialog closed as "Again" does: the build, Run ready and focused, the level still open.
  await expect(page.locator('#play-results')).toHaveCount(0);
  await expect(page.locator('#play-clock')).toContainText('Build');
  await expectFocus(page, 'play-run');
  expect(await page.evaluate(() => document.body.dataset.scene)).toBe('Play');
  await page.keyboard.press('Escape');
  await waitForScene(page, 'CampaignMap');
  expect(errors).toEqual([]);
});
