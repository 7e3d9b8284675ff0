/**
 * Progress is never lost: export it to a file, clear the browser's storage, import the file, and
 * the stars and solutions are back. A solution travels as a link.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
  SAVE_KEY,
  collectErrors,
  openGame,
  sampleSave,
  screenshot,
  seedStorage,
  waitForScene,
} from './helpers.js';

test.use({ locale: 'en-US' });

test('export, clear storage, import: progress is back', async ({ page }) => {
  const errors = collectErrors(page);
  await seedStorage(page, { [SAVE_KEY]: sampleSave() });
  await openGame(page);
  await expect(page.getByRole('button', { name: /^Campaign/ })).toContainText('7 of 36 stars');

  // Export from Settings.
  await page.getByRole('button', { name: /^Settings/ }).click();
  await waitForScene(page, 'Settings');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export to a file' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^hyperkata-progress-\d{4}-\d{2}-\d{2}\.json$/);
  mkdirSync('artifacts', { recursive: true });
  const file = path.join('artifacts', download.suggestedFilename());
  await download.saveAs(file);
  const exported = JSON.parse(readFileSync(file, 'utf8')) as { format: string; version: number };
  expect(exported).toMatchObject({ format: 'hyperkata-save', version: 2 });
  await expect(page.getByRole('status')).toContainText('Progress exported');

  // Clear storage: the game starts over.
  await page.evaluate(() => {
    localStorage.clear();
  });
  await page.reload();
  await waitForScene(page, 'Title');
  await expect(page.getByRole('button', { name: /^Campaign/ })).toContainText('0 of 36 stars');

  // Import the file: everything is back.
  await page.getByRole('button', { name: /^Settings/ }).click();
  await waitForScene(page, 'Settings');
  const choosing = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import a file…' }).click();
  await (await choosing).setFiles(file);
  await expect(page.getByRole('status')).toContainText('Imported 4 levels and 1 solutions');
  await page.keyboard.press('Escape');
  await waitForScene(page, 'Title');
  await expect(page.getByRole('button', { name: /^Campaign/ })).toContainText('7 of 36 stars');
  await page.getByRole('button', { name: /^Campaign/ }).click();
  await waitForScene(page, 'CampaignMap');
  await expect(page.locator('#level-01-first-partition')).toContainText('First partition');
  await expect(page.locator('#level-01-first-partition').getByRole('img')).toHaveAccessibleName(
    '3 of 3 stars',
  );
  await page.locator('#level-01-first-partition').focus();
  await expect(page.locator('.solution-name')).toHaveText('Synthetic path');
  await screenshot(page, 'progress-imported');

  // And it survives a reload (it was written to storage, not just shown).
  await page.reload();
  await waitForScene(page, 'Title');
  await expect(page.getByRole('button', { name: /^Campaign/ })).toContainText('7 of 36 stars');
  expect(errors).toEqual([]);
});

test('a file that is not a save is refused and nothing changes', async ({ page }) => {
  const errors = collectErrors(page);
  await seedStorage(page, { [SAVE_KEY]: sampleSave() });
  await openGame(page);
  await page.getByRole('button', { name: /^Settings/ }).click();
  await waitForScene(page, 'Settings');
  const choosing = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import a file…' }).click();
  await (
    await choosing
  ).setFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"a":1}') });
  await expect(page.getByRole('alert')).toContainText(
    'That file could not be imported: it is not a Hyperkata save.',
  );
  await page.keyboard.press('Escape');
  await waitForScene(page, 'Title');
  await expect(page.getByRole('button', { name: /^Campaign/ })).toContainText('7 of 36 stars');
  expect(errors).toEqual([]);
});

test('a saved solution can be shared as a link and opened elsewhere', async ({ page, browser }) => {
  const errors = collectErrors(page);
  await seedStorage(page, { [SAVE_KEY]: sampleSave() });
  await openGame(page);
  await page.getByRole('button', { name: /^Campaign/ }).click();
  await waitForScene(page, 'CampaignMap');
  await page.locator('#level-01-first-partition').focus();
  await page.getByRole('button', { name: 'Share link for “Synthetic path”' }).click();
  const link = page.getByRole('textbox', { name: 'Share link for “Synthetic path”' });
  await expect(link).toHaveValue(/#solution=1\.01-first-partition\./);
  const url = await link.inputValue();

  // Another browser profile, with nothing saved, opens the link.
  const other = await browser.newContext({ locale: 'en-US' });
  const friend = await other.newPage();
  const friendErrors = collectErrors(friend);
  await friend.goto(url);
  await waitForScene(friend, 'Title');
  await expect(friend.getByRole('status')).toContainText(
    'A shared solution for level 1 was added to your saved solutions.',
  );
  // The fragment is consumed, so a reload does not add it twice.
  expect(new URL(friend.url()).hash).toBe('');
  await friend.getByRole('button', { name: /^Campaign/ }).click();
  await waitForScene(friend, 'CampaignMap');
  await friend.locator('#level-01-first-partition').focus();
  await expect(friend.locator('.solution')).toContainText('Synthetic path');
  await expect(friend.locator('.solution')).toContainText('shared with you');
  await other.close();
  expect(errors).toEqual([]);
  expect(friendErrors).toEqual([]);
});
