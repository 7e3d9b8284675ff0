/**
 * The VMBus lanes as a browser draws them: levels 03 (a legacy guest's emulated path through its
 * worker process), 04 (eight VMs, eight lanes) and 12 (six VMs, two storvsps, one legacy guest)
 * at both window sizes a player uses, saved as screenshots to look at. A run on level 04 sends
 * packets along the lanes without an error.
 */
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { collectErrors, openLevel, screenshot } from './helpers.js';

/** Goes back to the campaign map and opens another level, as a player would. */
async function switchLevel(page: Page, level: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.body.dataset.scene === 'CampaignMap');
  await page.locator(`#level-${level}`).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.body.dataset.scene === 'Play');
}

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
]) {
  test(`lanes of levels 03, 04 and 12 are drawn (${viewport.width}×${viewport.height})`, async ({
    page,
  }) => {
    const errors = collectErrors(page);
    await page.setViewportSize(viewport);
    await openLevel(page, '03-legacy-guest');
    await expect(page.locator('#vsc-old01-disk0')).toBeVisible();
    await screenshot(page, `lanes-03-${viewport.width}`);
    for (const level of ['04-the-root-works-too', '12-consolidation']) {
      await switchLevel(page, level);
      await expect(page.locator('#play-run')).toBeVisible();
      await screenshot(page, `lanes-${level.slice(0, 2)}-${viewport.width}`);
    }
    expect(errors).toEqual([]);
  });
}

test('level 04: packets travel the lanes during a run', async ({ page }) => {
  const errors = collectErrors(page);
  await openLevel(page, '04-the-root-works-too');
  await page.locator('#speed-4').click();
  await page.locator('#play-run').click();
  await expect(page.locator('#play-pause')).not.toHaveAttribute('aria-disabled', 'true');
  await page.waitForTimeout(1500);
  await page.locator('#play-pause').click();
  await screenshot(page, 'lanes-04-running');
  expect(errors).toEqual([]);
});
