/**
 * Shared steps of the browser tests: open the game with chosen saved data, wait for a scene,
 * collect console errors, save screenshots as artifacts.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

export const SAVE_KEY = 'hyperkata.save';
export const SCREENSHOTS = path.join('artifacts', 'screenshots');

/** Console errors and uncaught exceptions of a page, collected from now on. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
  return errors;
}

/**
 * Puts `items` in localStorage before the game's first load only (a reload keeps whatever the
 * game or the test wrote since).
 */
export async function seedStorage(
  page: Page,
  items: Readonly<Record<string, string>>,
): Promise<void> {
  await page.addInitScript((seed) => {
    if (sessionStorage.getItem('e2e-seeded') !== null) return;
    for (const [key, value] of Object.entries(seed)) localStorage.setItem(key, value);
    sessionStorage.setItem('e2e-seeded', '1');
  }, items);
}

export async function waitForScene(page: Page, scene: string): Promise<void> {
  await page.waitForFunction((s) => document.body.dataset.scene === s, scene, { timeout: 30_000 });
}

/** Opens the game and waits for the title screen. */
export async function openGame(page: Page, url = '/'): Promise<void> {
  await page.goto(url);
  await waitForScene(page, 'Title');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Let entry fades finish so the artifact shows the settled screen.
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** The element that has keyboard focus, by id (empty string when none has an id). */
export async function focusedId(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.id ?? '');
}

export async function expectFocus(page: Page, id: string): Promise<void> {
  await expect.poll(() => focusedId(page)).toBe(id);
}

/** A format-2 save with progress on the first three levels and one saved solution. */
export function sampleSave(settings: Readonly<Record<string, unknown>> = {}): string {
  return JSON.stringify({
    format: 'hyperkata-save',
    version: 2,
    savedAt: '2025-01-01T00:00:00.000Z',
    settings: { language: 'en', ...settings },
    progress: {
      '01-first-partition': {
        stars: 3,
        best: { throughput: 5120, p99LatencyUs: 840 },
        solutions: [
          {
            id: 's-synthetic',
            name: 'Synthetic path',
            savedAt: '2025-01-01T00:00:00.000Z',
            origin: 'player',
            data: {
              format: 1,
              level: '01-first-partition',
              channels: [{ vm: 'db01', device: 'scsi0', vsp: 'storvsp-ssd0' }],
            },
          },
        ],
      },
      '02-two-lanes': { stars: 1, best: {}, solutions: [] },
      '03-legacy-guest': { stars: 2, best: {}, solutions: [] },
      '04-the-root-works-too': { stars: 1, best: {}, solutions: [] },
    },
  });
}

/** A save where every level has three stars, so every level is open. */
export function everyLevelOpen(language: 'en' | 'pt-BR' = 'en'): string {
  const progress = Object.fromEntries(
    readdirSync('levels/campaign')
      .filter((f) => /^\d\d-[a-z0-9-]+\.json$/.test(f))
      .map((f) => [f.replace(/\.json$/, ''), { stars: 3, best: {}, solutions: [] }]),
  );
  return JSON.stringify({
    format: 'hyperkata-save',
    version: 2,
    savedAt: new Date(0).toISOString(),
    settings: { language },
    progress,
  });
}

/** With every level open, goes to level `levelId` from the campaign map, as a player would. */
export async function openLevel(
  page: Page,
  levelId: string,
  language: 'en' | 'pt-BR' = 'en',
): Promise<void> {
  await seedStorage(page, { [SAVE_KEY]: everyLevelOpen(language) });
  await openGame(page);
  await page.locator('#menu-campaign').click();
  await waitForScene(page, 'CampaignMap');
  await page.locator(`#level-${levelId}`).focus();
  await page.keyboard.press('Enter');
  await waitForPlayReady(page);
}

/**
 * Waits for the play screen to be built: the scene starts at once, but the level loads in the
 * simulation worker, and until it has, the screen is `aria-busy` and has no run controls, board or
 * inspector (a keyboard player's Tab meets only Back and the event log).
 */
export async function waitForPlayReady(page: Page): Promise<void> {
  await waitForScene(page, 'Play');
  await page.waitForSelector('.play-screen[aria-busy="false"]', { timeout: 30_000 });
}
