/**
 * The whole board as the PowerShell an administrator would run on a real host: opened from the
 * inspector, it shows the player's draft as it is now (not the level's defaults), copies to the
 * clipboard with a visible "copied", closes with Esc back to the button, and speaks pt-BR in its
 * comments while the commands stay as one types them.
 */
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { collectErrors, expectFocus, openLevel, screenshot } from './helpers.js';

/** Types a value into a number field of the inspector as a player does (the change on Tab). */
async function setField(page: Page, id: string, value: number): Promise<void> {
  await page.locator(`#${id}`).fill(String(value));
  await page.locator(`#${id}`).press('Tab');
  await expect(page.locator(`#${id}`)).toHaveValue(String(value));
}

test('level 12: the script follows the board, copies, and closes with Esc', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const errors = collectErrors(page);
  await openLevel(page, '12-consolidation');

  // The host is selected: change the root's VPs to another value the field accepts.
  const rootField = page.locator('#field-root-vps');
  const root = Number(await rootField.inputValue());
  const rootMax = Number(await rootField.getAttribute('max'));
  const rootMin = Number(await rootField.getAttribute('min'));
  const newRoot = root < rootMax ? root + 1 : rootMin;
  expect(newRoot).not.toBe(root);
  await setField(page, 'field-root-vps', newRoot);
  // And db01's VP count, from its 4.
  await page.locator('#vm-db01').click();
  await setField(page, 'field-vps-db01', 2);

  // Keyboard: the button is a real button in the inspector; Enter opens the dialog.
  await page.locator('#play-script').focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'PowerShell for this configuration' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  await expectFocus(page, 'script-copy');
  const text = page.locator('#script-text');
  await expect(text).toContainText(`bcdedit /set hypervisorrootproc ${newRoot} `);
  await expect(text).toContainText('Set-VMProcessor -VMName db01 -Count 2 ');
  await expect(text).not.toContainText('Set-VMProcessor -VMName db01 -Count 4 ');
  await expect(text).toContainText('# Hyperkata · Level 12 · Consolidation');
  await expect(text).toContainText('takes effect after a reboot');

  // Space is Run on the play screen, but not while the script is open.
  await page.keyboard.press('Space');
  await expect(page.locator('#script-status')).toHaveText('Script copied to the clipboard.');
  await expect(page.locator('#play-pause')).toHaveAttribute('aria-disabled', 'true');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const shown = await text.evaluate((el) => el.textContent);
  expect(copied).toBe(shown);
  expect(copied).toContain(`bcdedit /set hypervisorrootproc ${newRoot} `);
  await screenshot(page, 'script-dialog-en');

  // Tab stays in the dialog: from the last control (Close) it comes back to the script.
  await page.locator('#script-close').focus();
  await page.keyboard.press('Tab');
  await expectFocus(page, 'script-text');

  // Esc closes the dialog, not the level, and gives focus back to the button.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('body')).toHaveAttribute('data-scene', 'Play');
  await expectFocus(page, 'play-script');
  await screenshot(page, 'script-button-en');

  // A change after closing is in the script when it opens again.
  await setField(page, 'field-vps-db01', 1);
  await page.locator('#play-script').click();
  await expect(text).toContainText('Set-VMProcessor -VMName db01 -Count 1 ');
  await expect(text).not.toContainText('Set-VMProcessor -VMName db01 -Count 2 ');
  await page.locator('#script-close').click();
  await expect(dialog).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('level 12 (pt-BR): the script comments are in Portuguese, the commands are not translated', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '12-consolidation', 'pt-BR');
  await expect(page.locator('#play-script')).toHaveText('Script PowerShell completo…');
  await page.locator('#play-script').scrollIntoViewIfNeeded();
  await screenshot(page, 'script-button-pt-BR');
  await page.locator('#play-script').click();
  const dialog = page.getByRole('dialog', { name: 'PowerShell desta configuração' });
  await expect(dialog).toBeVisible();
  const text = page.locator('#script-text');
  await expect(text).toContainText(
    '# Hyperkata · Fase 12 · Consolidação: a configuração do tabuleiro',
  );
  await expect(text).toContainText('minroot: a partição raiz recebe');
  await expect(text).toContainText('vale depois de reiniciar');
  await expect(text).not.toContainText('takes effect after a reboot');
  await expect(text).toContainText('Set-VMProcessor -VMName db01 -Count 4 ');
  await expect(dialog.getByRole('button', { name: 'Copiar script' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Fechar' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Texto do script' })).toBeVisible();
  await screenshot(page, 'script-dialog-pt-BR');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('body')).toHaveAttribute('data-scene', 'Play');
  expect(errors).toEqual([]);
});
