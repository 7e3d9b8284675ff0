/**
 * The inspector's number fields stop at what the host accepts, so Run never stops on a value the
 * field let the player type: memory larger than the host has left, or a Dynamic Memory minimum
 * above the startup memory (rule 33), is taken to the nearest accepted size. Before, level 7 took
 * 40000 MiB and Run failed with the host's English "vms.dayshift.memory.startupMiB: expected at
 * most 18816 MiB…".
 */
import { expect, test } from '@playwright/test';
import { collectErrors, openLevel } from './helpers.js';

test('level 7 (pt-BR): memory fields stop at what the host can give, and the run starts', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '07-memory-pressure', 'pt-BR');
  await page.locator('#vm-dayshift').click();
  const startup = page.locator('#field-memory-dayshift');
  const max = Number(await startup.getAttribute('max'));
  // The host's 20 GiB less the root's reserve, less what the other VMs hold.
  expect(max).toBeGreaterThan(6144);
  expect(max).toBeLessThan(20_480);
  await startup.fill('40000');
  await startup.press('Tab');
  await expect(page.locator('#field-memory-dayshift')).toHaveValue(String(max));

  await page.locator('#field-dynamic-dayshift').selectOption('on');
  const minimum = page.locator('#field-minimum-dayshift');
  await minimum.fill('90000');
  await minimum.press('Tab');
  await expect(page.locator('#field-minimum-dayshift')).toHaveValue(String(max));

  await page.locator('#speed-64').click();
  await page.locator('#play-run').click();
  await expect(page.locator('#play-results')).toBeVisible({ timeout: 90_000 });
  await expect(page.locator('.notice[data-kind="error"]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('level 12 (pt-BR): Dynamic Memory without a dynamic-memory VSP is refused in words', async ({
  page,
}) => {
  // Level 12's root has no hyperkata.dynmem, and the board cannot add one: the host refused the
  // run in English ("vsps: expected a dynamic-memory VSP…"); the inspector now says it at once.
  const errors = collectErrors(page);
  await openLevel(page, '12-consolidation', 'pt-BR');
  await page.locator('#vm-db01').click();
  await page.locator('#field-dynamic-db01').selectOption('on');
  const notice = page.locator('.notice[data-kind="warning"]');
  await expect(notice).toContainText('Recusado: a Memória Dinâmica de db01 precisa');
  await expect(notice).toContainText('dimensione db01 com memória estática');
  await expect(page.locator('#field-dynamic-db01')).toHaveValue('off');
  await notice.getByRole('button').click();
  await page.locator('#play-run').click();
  await expect(page.locator('#play-pause')).not.toHaveAttribute('aria-disabled', 'true');
  await expect(page.locator('.notice[data-kind="error"]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('level 12: a CPU reserve stops where all reserves fill the host (rule 32)', async ({
  page,
}) => {
  // Level 12's host has 4 logical processors and db01 4 VPs: 100 % on db01 reserves them all.
  const errors = collectErrors(page);
  await openLevel(page, '12-consolidation');
  await page.locator('#vm-db01').click();
  await page.locator('#field-reserve-db01').fill('100');
  await page.locator('#field-reserve-db01').press('Tab');
  await expect(page.locator('#field-reserve-db01')).toHaveValue('100');
  await page.locator('#vm-db02').click();
  await page.locator('#field-reserve-db02').fill('100');
  await page.locator('#field-reserve-db02').press('Tab');
  await expect(page.locator('#field-reserve-db02')).toHaveValue('0');
  await page.locator('#play-run').click();
  await expect(page.locator('#play-pause')).not.toHaveAttribute('aria-disabled', 'true');
  await expect(page.locator('.notice[data-kind="error"]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('level 9: storvsp settings stop at what storvsp accepts', async ({ page }) => {
  // queueDepth 0 or maxSubchannels 100000 made Run fail with "vsps[0].settings.queueDepth:
  // expected an integer from 1 to 4096, found 0".
  const errors = collectErrors(page);
  await openLevel(page, '09-ring-full');
  await page.locator('#vsp-storvsp-san0').click();
  for (const [field, typed, kept] of [
    ['queueDepth', '0', '1'],
    ['maxSubchannels', '100000', '63'],
  ] as const) {
    const input = page.locator(`#field-vsp-storvsp-san0-${field}`);
    await input.fill(typed);
    await input.press('Tab');
    await expect(page.locator(`#field-vsp-storvsp-san0-${field}`)).toHaveValue(kept);
  }
  await page.locator('#play-run').click();
  await expect(page.locator('#play-pause')).not.toHaveAttribute('aria-disabled', 'true');
  await expect(page.locator('.notice[data-kind="error"]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the host inspector names the host release as an administrator knows it, in both languages', async ({
  page,
}) => {
  // Before, it showed the scenario's id: "… · 64 GiB · ws2019".
  for (const language of ['en', 'pt-BR'] as const) {
    await openLevel(page, '01-first-partition', language);
    const summary = page.locator('.play-inspector p.muted').first();
    await expect(summary).toContainText('Windows Server 2019');
    await expect(summary).not.toContainText('ws2019');
  }
});
