/**
 * The VMBus lanes as a browser draws them: levels 03 (a legacy guest's emulated path through its
 * worker process), 04 (eight VMs, eight lanes) and 12 (six VMs, two storvsps, one legacy guest)
 * at both window sizes a player uses, saved as screenshots to look at, and in Portuguese (the
 * root's title is longer). A run on level 04 sends packets along the lanes without an error, and
 * the hypervisor's counters read in the player's language.
 */
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { collectErrors, openLevel, screenshot, waitForPlayReady } from './helpers.js';

/** Goes back to the campaign map and opens another level, as a player would. */
async function switchLevel(page: Page, level: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.body.dataset.scene === 'CampaignMap');
  await page.locator(`#level-${level}`).focus();
  await page.keyboard.press('Enter');
  await waitForPlayReady(page);
}

for (const language of ['en', 'pt-BR'] as const) {
  for (const viewport of [
    { width: 1280, height: 720 },
    { width: 1920, height: 1080 },
  ]) {
    const suffix = language === 'en' ? '' : '-pt-BR';
    test(`lanes of levels 03, 04 and 12 are drawn (${viewport.width}×${viewport.height}, ${language})`, async ({
      page,
    }) => {
      const errors = collectErrors(page);
      await page.setViewportSize(viewport);
      await openLevel(page, '03-legacy-guest', language);
      await expect(page.locator('#vsc-old01-disk0')).toBeVisible();
      await screenshot(page, `lanes-03-${viewport.width}${suffix}`);
      for (const level of ['04-the-root-works-too', '12-consolidation']) {
        await switchLevel(page, level);
        await expect(page.locator('#play-run')).toBeVisible();
        await screenshot(page, `lanes-${level.slice(0, 2)}-${viewport.width}${suffix}`);
      }
      expect(errors).toEqual([]);
    });
  }
}

/** Runs level 04 at ×4 for a moment and pauses: the counters have counted. */
async function runLevel04(page: Page, language: 'en' | 'pt-BR'): Promise<void> {
  await openLevel(page, '04-the-root-works-too', language);
  await page.locator('#speed-4').click();
  await page.locator('#play-run').click();
  await expect(page.locator('#play-pause')).not.toHaveAttribute('aria-disabled', 'true');
  await page.waitForTimeout(1500);
  await page.locator('#play-pause').click();
}

test('level 04: packets travel the lanes during a run', async ({ page }) => {
  const errors = collectErrors(page);
  await runLevel04(page, 'en');
  await screenshot(page, 'lanes-04-running');
  await expect(page.locator('#host-counters')).toHaveText(
    /^hypercalls \d{1,3}(,\d{3})*\s+interrupts \d{1,3}(,\d{3})*\s+intercepts \d{1,3}(,\d{3})*$/,
  );
  expect(errors).toEqual([]);
});

test('level 04 in Portuguese: the hypervisor counters are translated', async ({ page }) => {
  const errors = collectErrors(page);
  await runLevel04(page, 'pt-BR');
  await screenshot(page, 'lanes-04-running-pt-BR');
  const counters = page.locator('#host-counters');
  await expect(counters).toHaveText(
    /^hypercalls \d{1,3}(\.\d{3})*\s+interrupções \d{1,3}(\.\d{3})*\s+interceptações \d{1,3}(\.\d{3})*$/,
  );
  // "hypercall" stays English in pt-BR, as Microsoft's pt-BR docs and the codex keep it.
  await expect(counters).not.toContainText('interrupts');
  expect(errors).toEqual([]);
});
