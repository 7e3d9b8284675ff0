/**
 * Saved data the game cannot read never gives a blank screen: the game starts, says so in a
 * visible, announced notice, and keeps the data as a backup. An old format is upgraded.
 */
import { expect, test } from '@playwright/test';
import {
  SAVE_KEY,
  collectErrors,
  openGame,
  screenshot,
  seedStorage,
  waitForScene,
} from './helpers.js';

test.use({ locale: 'en-US' });

test('corrupt storage: the game starts, says so, and keeps a backup', async ({ page }) => {
  const errors = collectErrors(page);
  const garbage = '{"format":"hyperkata-save","version":2,"progress":{"first-partition":{"stars":';
  await seedStorage(page, { [SAVE_KEY]: garbage });
  await openGame(page);

  const alert = page.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('Your saved progress could not be read (it is not valid JSON)');
  // The log keeps it for screen-reader users and for later.
  await expect(page.getByRole('log')).toContainText('could not be read');
  await screenshot(page, 'corrupt-save-notice');

  // The unreadable data is still in the browser, byte for byte, under the key the notice names.
  const backups = await page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('hyperkata.save.backup.'))
      .map((k) => [k, localStorage.getItem(k)]),
  );
  expect(backups).toHaveLength(1);
  expect(backups[0]?.[1]).toBe(garbage);
  await expect(alert).toContainText(backups[0]?.[0] ?? 'no backup key');

  // The player can download the copy.
  const downloading = page.waitForEvent('download');
  await alert.getByRole('button', { name: 'Download the copy' }).click();
  expect((await downloading).suggestedFilename()).toBe('hyperkata-unreadable-save.txt');

  // And play on: the game works with a fresh save.
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alert).toHaveCount(0);
  await page.getByRole('button', { name: /^Campaign/ }).click();
  await waitForScene(page, 'CampaignMap');
  expect(errors).toEqual([]);
});

test('a save from a newer version is kept aside, not overwritten', async ({ page }) => {
  const errors = collectErrors(page);
  const newer = JSON.stringify({ format: 'hyperkata-save', version: 7, progress: {} });
  await seedStorage(page, { [SAVE_KEY]: newer });
  await openGame(page);
  await expect(page.getByRole('alert')).toContainText(
    'written by a newer version of Hyperkata (format 7)',
  );
  expect(errors).toEqual([]);
});

test('an old (format 1) save is upgraded and the player is told', async ({ page }) => {
  const errors = collectErrors(page);
  const v1 = JSON.stringify({ version: 1, lang: 'en', sound: true, levels: { '1': { stars: 2 } } });
  await seedStorage(page, { [SAVE_KEY]: v1 });
  await openGame(page);
  await expect(page.getByRole('status')).toContainText(
    'Your progress was upgraded from save format 1 to 2.',
  );
  await expect(page.getByRole('button', { name: /^Campaign/ })).toContainText('2 of 36 stars');
  const stored = await page.evaluate((key) => localStorage.getItem(key), SAVE_KEY);
  expect(JSON.parse(stored ?? '{}')).toMatchObject({ format: 'hyperkata-save', version: 2 });
  expect(errors).toEqual([]);
});
