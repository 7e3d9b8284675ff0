/**
 * Language: defaults from the browser, switches live from the title screen, and is remembered.
 */
import { expect, test } from '@playwright/test';
import { collectErrors, expectFocus, openGame, screenshot, waitForScene } from './helpers.js';

test.describe('in an English browser', () => {
  test.use({ locale: 'en-US' });

  test('starts in English and switches to Portuguese from the title, live and remembered', async ({
    page,
  }) => {
    const errors = collectErrors(page);
    await openGame(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('button', { name: /^Start the campaign/ })).toBeVisible();

    await page.getByRole('button', { name: 'Português (Brasil)' }).click();
    await expect(page.getByRole('button', { name: /^Começar a campanha/ })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Códex/ })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR');
    await expect(page.getByRole('button', { name: 'Português (Brasil)' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    // Focus stays on the control the player used, across the rebuild.
    await expectFocus(page, 'title-lang-pt-BR');
    // The event log follows: its heading and a narrated line.
    await expect(page.getByRole('heading', { name: 'Registro de eventos' })).toBeVisible();
    await expect(page.getByRole('log')).toContainText('Idioma: português (Brasil).');
    await screenshot(page, 'language-pt-BR');

    await page.reload();
    await waitForScene(page, 'Title');
    await expect(page.getByRole('button', { name: /^Começar a campanha/ })).toBeVisible();

    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('button', { name: /^Start the campaign/ })).toBeVisible();
    expect(errors).toEqual([]);
  });
});

test.describe('in a Brazilian browser', () => {
  test.use({ locale: 'pt-BR' });

  test('starts in Portuguese', async ({ page }) => {
    const errors = collectErrors(page);
    await openGame(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR');
    await expect(page.getByRole('navigation', { name: 'Menu principal' })).toBeVisible();
    expect(errors).toEqual([]);
  });
});

test.describe('in a Brazilian browser, in a level', () => {
  test.use({ locale: 'pt-BR' });

  test("the inspector names a VSC's class in Portuguese", async ({ page }) => {
    const errors = collectErrors(page);
    await openGame(page);
    await page.locator('#menu-continue').click();
    await waitForScene(page, 'Play');
    await page.locator('#vsc-db01-scsi0').click();
    // Before: "storage VSC → —", the class left in English.
    await expect(page.locator('#inspector-heading + p')).toHaveText('VSC de armazenamento → —');
    expect(errors).toEqual([]);
  });
});
