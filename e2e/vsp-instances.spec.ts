/**
 * Level 10 ("two disks") needs a second VSP instance: the player adds a storvsp for the second
 * disk in the host inspector, routes two VMs to it and earns three stars, as the level's
 * reference solution does.
 */
import { expect, test } from '@playwright/test';
import { collectErrors, openLevel, screenshot } from './helpers.js';

test('level 10: add a storvsp for the second disk, route two VMs to it, three stars', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '10-two-disks');
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

test("level 11 as it opens runs the third-party 'turbo' storvsp to the results, as the CLI does", async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '11-hostile-guest');
  await expect(page.locator('#vsp-storage')).toContainText('turbo-storvsp');
  // Before: "The host refused this configuration: … expected the id of a loaded VSP plugin".
  await page.locator('#speed-64').click();
  await page.locator('#play-run').click();
  await expect(page.locator('#play-results')).toBeVisible({ timeout: 120_000 });
  await expect(page.locator('#play-results')).toHaveAttribute('data-stars', '0');
  await expect(page.locator('#result-no-breach')).toHaveClass(/unmet/);
  await screenshot(page, 'vsp-11-turbo-results');
  expect(errors).toEqual([]);
});
