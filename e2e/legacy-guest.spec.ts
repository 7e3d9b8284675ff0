/**
 * Rule 21: a guest without integration components has no VSC, so the board refuses a VMBus
 * channel for it on the spot, in the player's language, and says what to do — instead of taking
 * the wire and letting Run fail with the host's English message about `channels[0].vsp`. Level 3
 * is then won from the board the way its hints say: integration components, then the channel.
 */
import { expect, test } from '@playwright/test';
import { collectErrors, openLevel, screenshot } from './helpers.js';

test('level 3 (pt-BR): wiring old01 before its ICs is refused in Portuguese; with ICs it wins', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '03-legacy-guest', 'pt-BR');
  await expect(page.locator('#play-clock')).toHaveText('Montagem · 0,0 de 400 ms');
  const disk0 = page.locator('#vsc-old01-disk0');
  await disk0.click();
  await page.keyboard.press('c');
  const notice = page.locator('.notice[data-kind="warning"]');
  await expect(notice).toContainText(
    'Recusado: old01 não tem componentes de integração, então o convidado não tem VSC',
  );
  await expect(notice).toContainText('Instale os componentes de integração em old01');
  await expect(page.locator('#log')).toContainText('Recusado: old01 não tem componentes');
  await expect(disk0).not.toHaveClass(/connected/);
  await screenshot(page, 'legacy-guest-refused-pt-BR');
  // Trying again refuses again, in one notice, not a stack of them.
  await disk0.click();
  await page.keyboard.press('c');
  await expect(notice).toHaveCount(1);

  // The notice covers neither the toolbar nor the child partitions the player turns to next
  // (Playwright's click fails when another element would receive it).
  await page.locator('#speed-64').click({ timeout: 5_000 });
  await page.locator('#vm-old01').click({ timeout: 5_000 });
  await expect(notice).toBeVisible();
  // As the hints say: integration components on old01 — the refusal is moot and goes (the event
  // log keeps it) — then the channel to storvsp.
  await page.locator('#field-ic-old01').selectOption('on');
  await expect(notice).toHaveCount(0);
  await expect(page.locator('#log')).toContainText('Recusado: old01 não tem componentes');
  await disk0.click();
  await page.keyboard.press('c');
  await expect(disk0).toHaveClass(/connected/);
  await page.locator('#play-run').click();
  await expect(page.locator('#play-results')).toContainText('3 de 3 estrelas', {
    timeout: 60_000,
  });
  // The clock writes its decimal as the results do in Portuguese ("400.0" before).
  await expect(page.locator('#play-clock')).toHaveText('Concluído · 400,0 de 400 ms');
  await expect(page.locator('.notice[data-kind="error"]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('level 12: Run with a channel on a VM whose ICs were switched off says why, in words', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '12-consolidation');
  await page.locator('#vm-db02').click();
  await page.locator('#field-ic-db02').selectOption('off');
  await page.locator('#play-run').click();
  await expect(page.locator('.notice[data-kind="warning"]')).toContainText(
    'Refused: db02 has no integration components, so its guest has no VSC and no VMBus driver to open a channel for scsi0',
  );
  // Refused before the host: no English schema path, and the level stays in the build.
  await expect(page.locator('.notice[data-kind="error"]')).toHaveCount(0);
  await expect(page.locator('#play-clock')).toContainText('Build');
  expect(errors).toEqual([]);
});
