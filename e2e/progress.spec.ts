/**
 * Progress is never lost: export it to a file, clear the browser's storage, import the file, and
 * the stars and solutions are back. A solution travels as a link.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { SHARE_PARAM, encodeShare } from '../game/save/share.js';
import {
  SAVE_KEY,
  collectErrors,
  openGame,
  sampleSave,
  screenshot,
  seedStorage,
  waitForPlayReady,
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
  // Esc closes the notice first (docs/playing.md), then leaves the screen.
  await page.keyboard.press('Escape');
  await expect(page.locator('.notice')).toHaveCount(0);
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
  await expect(page.locator('.notice')).toHaveCount(0);
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
  await friend.locator('.solution').scrollIntoViewIfNeeded();
  await screenshot(friend, 'saved-solutions');
  // …and opens it: the level starts with the shared routes on the board.
  await friend.getByRole('button', { name: 'Open “Synthetic path” in the level' }).click();
  await waitForPlayReady(friend);
  await expect(friend.getByText('Opened the saved solution “Synthetic path”')).toBeVisible();
  await expect(friend.locator('#solution-json')).toContainText('"vsp": "storvsp-ssd0"');
  await screenshot(friend, 'shared-solution-opened');
  await other.close();
  expect(errors).toEqual([]);
  expect(friendErrors).toEqual([]);
});

test('a saved solution that cannot be read is named, kept, and the level opens as it was', async ({
  page,
}) => {
  const errors = collectErrors(page);
  const save = JSON.parse(sampleSave()) as {
    progress: Record<string, { solutions: { id: string; name: string; data: unknown }[] }>;
  };
  // What an early build kept: not a solution file at all.
  save.progress['01-first-partition'].solutions.push({
    ...save.progress['01-first-partition'].solutions[0],
    id: 's-old',
    name: 'From the first build',
    data: { channels: [{ vm: 'vm1', vsc: 'disk0', vsp: 'storvsp' }] },
  });
  await seedStorage(page, { [SAVE_KEY]: JSON.stringify(save) });
  await openGame(page);
  await page.getByRole('button', { name: /^Campaign/ }).click();
  await waitForScene(page, 'CampaignMap');
  await page.locator('#level-01-first-partition').focus();
  await page.getByRole('button', { name: 'Open “From the first build” in the level' }).click();
  await waitForPlayReady(page);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('it stays saved, and the level opens as it was');
  await expect(alert).toContainText(
    'saved solution “From the first build”: format: expected 1, found nothing',
  );
  await expect(alert).toContainText('channels[0].device: expected');
  // The level's own starting board: nothing connected.
  await expect(page.locator('#solution-json')).not.toContainText('"channels"');
  await screenshot(page, 'saved-solution-refused');
  // Still saved: it is listed again on the way back (the first Esc closes the notice).
  await page.keyboard.press('Escape');
  await expect(page.locator('.notice')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await waitForScene(page, 'CampaignMap');
  await page.locator('#level-01-first-partition').focus();
  await expect(page.locator('.solution-name')).toHaveText([
    'Synthetic path',
    'From the first build',
  ]);
  expect(errors).toEqual([]);
});

test('a link that carries something other than a solution is refused, naming the place', async ({
  page,
}) => {
  const errors = collectErrors(page);
  // A hand-made link: a real level, but the routes are not routes.
  const value = await encodeShare({
    levelId: '01-first-partition',
    name: 'Trust me',
    data: { format: 1, level: '01-first-partition', channels: [{ vm: 'db01', vsp: 42 }] },
  });
  await openGame(page, `/#${SHARE_PARAM}=${value}`);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The shared link could not be read, and nothing was saved');
  await expect(alert).toContainText('shared solution “Trust me”: channels[0].device: expected');
  await expect(alert).toContainText('shared solution “Trust me”: channels[0].vsp: expected');
  await page.getByRole('button', { name: /^Campaign/ }).click();
  await waitForScene(page, 'CampaignMap');
  await page.locator('#level-01-first-partition').focus();
  await expect(page.locator('.solution')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a solution file opens on the board; a broken one is named with its line and column', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openGame(page);
  await page.getByRole('button', { name: /^Campaign/ }).click();
  await waitForScene(page, 'CampaignMap');
  await page.locator('#level-01-first-partition').focus();
  await page.getByRole('button', { name: /Play · Level 1/ }).click();
  await waitForPlayReady(page);
  await expect(page.locator('#solution-json')).not.toContainText('"channels"');

  // The reference solution `hyperkata verify` plays, as a file from disk.
  const reference = 'levels/campaign/01-first-partition.reference.solution.json';
  let choosing = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open a file…' }).click();
  await (await choosing).setFiles(reference);
  await expect(page.getByRole('log')).toContainText(
    'Opened 01-first-partition.reference.solution.json: its routes and settings are on the board.',
  );
  await expect(page.locator('#solution-json')).toContainText('"vsp": "storvsp-ssd0"');

  // A hand-edited file with a slip: refused, located, and the board keeps what it had.
  choosing = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open a file…' }).click();
  await (
    await choosing
  ).setFiles({
    name: 'mine.solution.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      '{"format": 1,\n "level": "01-first-partition",\n "channels": [ {"vm": "db01",, } ]}',
    ),
  });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(
    'That solution file could not be opened; the board is as it was.',
  );
  await expect(alert).toContainText('mine.solution.json: line 3, column 30: expected valid JSON');
  await expect(page.locator('#solution-json')).toContainText('"vsp": "storvsp-ssd0"');
  await screenshot(page, 'solution-file-refused');

  // A solution of another level is not put on this board.
  choosing = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open a file…' }).click();
  await (await choosing).setFiles('levels/campaign/02-two-lanes.reference.solution.json');
  await expect(alert.last()).toContainText(
    '02-two-lanes.reference.solution.json: level: expected "01-first-partition", the level it is opened in, found "02-two-lanes"',
  );
  await expect(page.locator('#solution-json')).toContainText('"level": "01-first-partition"');
  expect(errors).toEqual([]);
});
