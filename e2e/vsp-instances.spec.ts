/**
 * Level 10 ("two disks") needs a second VSP instance: the player adds a storvsp for the second
 * disk in the host inspector, routes two VMs to it and earns three stars, as the level's
 * reference solution does.
 */
import { readdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  SAVE_KEY,
  collectErrors,
  openGame,
  screenshot,
  seedStorage,
  waitForScene,
} from './helpers.js';

/** A save where every level has three stars, so every level is open. */
function everyLevelOpen(): string {
  const progress = Object.fromEntries(
    readdirSync('levels/campaign')
      .filter((f) => /^\d\d-[a-z0-9-]+\.json$/.test(f))
      .map((f) => [f.replace(/\.json$/, ''), { stars: 3, best: {}, solutions: [] }]),
  );
  return JSON.stringify({
    format: 'hyperkata-save',
    version: 2,
    savedAt: new Date(0).toISOString(),
    settings: { language: 'en' },
    progress,
  });
}

test('level 10: add a storvsp for the second disk, route two VMs to it, three stars', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await seedStorage(page, { [SAVE_KEY]: everyLevelOpen() });
  await openGame(page);
  await page.locator('#menu-campaign').click();
  await waitForScene(page, 'CampaignMap');
  await page.locator('#level-10-two-disks').focus();
  await page.keyboard.press('Enter');
  await waitForScene(page, 'Play');
  await page.locator('#host-chip').click();
  await page.locator('#field-new-vsp-device').selectOption('ssd1');
  await expect(page.locator('#field-new-vsp-plugin')).toHaveValue('hyperkata.storvsp');
  await page.locator('#add-vsp').click();
  await expect(page.locator('#vsp-storvsp-ssd1')).toBeVisible();
  for (const vm of ['db02', 'files02']) {
    await page.locator(`#vsc-${vm}-scsi0`).click();
    await page.locator('#vsp-storvsp-ssd1').click();
  }
  await expect(page.locator('#solution-json')).toContainText('storvsp-ssd1');
  await screenshot(page, 'vsp-10-built');
  await page.locator('#speed-64').click();
  await page.locator('#play-run').click();
  await expect(page.locator('#play-results')).toBeVisible({ timeout: 120_000 });
  await expect(page.locator('#play-results')).toHaveAttribute('data-stars', '3');
  expect(errors).toEqual([]);
});
