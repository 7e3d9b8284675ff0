/**
 * Language: defaults from the browser, switches live from the title screen, and is remembered.
 */
import { expect, test } from '@playwright/test';
import {
  collectErrors,
  expectFocus,
  openGame,
  openLevel,
  SAVE_KEY,
  sampleSave,
  screenshot,
  seedStorage,
  waitForPlayReady,
  waitForScene,
} from './helpers.js';

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

test.describe('in an English browser, switching language after a run', () => {
  test.use({ locale: 'en-US' });

  test('the event log says its earlier lines again in Portuguese, the run’s included', async ({
    page,
  }) => {
    const errors = collectErrors(page);
    await openLevel(page, '01-first-partition');
    await page.locator('#vsc-db01-scsi0').click();
    await page.keyboard.press('c');
    await page.locator('#speed-4').click();
    await page.locator('#play-run').click();
    const log = page.getByRole('log');
    await expect(log).toContainText('db01 is Running', { timeout: 30_000 });
    await page.locator('#play-pause').click();
    await expect(log).toContainText('Now on: Level 1');
    await expect(log.locator('.log-time').first()).toHaveText(/^\d+\.\d{2} ms$/);
    // To the title, where the language is chosen, and Portuguese.
    await page.keyboard.press('Escape');
    await waitForScene(page, 'CampaignMap');
    await page.keyboard.press('Escape');
    await waitForScene(page, 'Title');
    await page.getByRole('button', { name: 'Português (Brasil)' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR');
    // Every line written before the switch now reads in Portuguese: the welcome, the screens
    // opened, the board's moves and the simulation's narration, its times with a decimal comma.
    await expect(log).toContainText('Bem-vindo ao Hyperkata');
    await expect(log).toContainText('Agora em: Fase 1 · Primeira partição.');
    await expect(log).toContainText('db01 está em execução (Running)');
    await expect(log).not.toContainText('Welcome to Hyperkata');
    await expect(log).not.toContainText('Now on:');
    await expect(log).not.toContainText('db01 is Running');
    await expect(log.locator('.log-time').first()).toHaveText(/^\d+,\d{2} ms$/);
    // The line that tells of the switch names the language chosen, once.
    await expect(log).toContainText('Idioma: português (Brasil).');
    await screenshot(page, 'language-log-said-again-pt-BR');
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
    await waitForPlayReady(page);
    await page.locator('#vsc-db01-scsi0').click();
    // Before: "storage VSC → —", the class left in English.
    await expect(page.locator('#inspector-heading + p')).toHaveText('VSC de armazenamento → —');
    expect(errors).toEqual([]);
  });

  test('the event log narrates the run in Portuguese', async ({ page }) => {
    const errors = collectErrors(page);
    await openGame(page);
    await page.locator('#menu-continue').click();
    await waitForPlayReady(page);
    // Connect db01's disk, so its channel is offered and opened, then run.
    const from = await page.locator('#vsc-db01-scsi0').boundingBox();
    const to = await page.locator('#vsp-storvsp-ssd0').boundingBox();
    if (!from || !to) throw new Error('chips not laid out');
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.locator('#speed-1').click();
    await page.locator('#play-run').click();
    const log = page.getByRole('log');
    // Before: “db01 is Running”, “scsi0: channel opened — …”, the core's English.
    await expect(log).toContainText('db01 está em execução (Running)');
    await expect(log).toContainText('scsi0: canal aberto — db01/scsi0 ↔ storvsp');
    await expect(log).not.toContainText('db01 is Running');
    // The offer waits with the host until the guest asks for it (rule 11), in Portuguese too.
    await expect(log).toContainText('scsi0: canal registrado — oferta de');
    await expect(log).toContainText('aguarda o convidado pedir as ofertas');
    await expect(log).toContainText('VMBus conectado (versão 5.2 acordada)');
    await expect(log).not.toContainText('waits for the guest');
    // Its times write their decimals as Portuguese does, as the clock does ("2.00 ms" before).
    await expect(log.locator('.log-time').last()).toHaveText(/^\d+,\d{2} ms$/);
    await page.locator('#play-pause').click();
    await screenshot(page, 'language-event-log-pt-BR');
    expect(errors).toEqual([]);
  });
});

test.describe('a Brazilian student in levels 7 and 9', () => {
  test('numbers are grouped as Portuguese writes them, speeds read ×N everywhere', async ({
    page,
  }) => {
    const errors = collectErrors(page);
    await openLevel(page, '07-memory-pressure', 'pt-BR');
    // Before: "Montagem · 0,0 de 10000 ms".
    await expect(page.locator('#play-clock')).toHaveText('Montagem · 0,0 de 10.000 ms');
    await page.locator('#speed-64').click();
    await page.locator('#play-run').click();
    // Before: "Execução iniciada (64×)." under a toolbar reading ×64.
    await expect(page.getByRole('log')).toContainText('Execução iniciada (×64).');
    await expect(page.locator('#play-results')).toBeVisible({ timeout: 90_000 });
    await expect(page.locator('#play-clock')).toHaveText('Concluído · 10.000,0 de 10.000 ms');
    // Before: "hypercalls 17697" — tens of thousands, ungrouped.
    await expect(page.locator('#host-counters')).toHaveText(
      /^hypercalls \d{1,3}(\.\d{3})+\s+interrupções \d{1,3}(\.\d{3})+\s+interceptações \d+$/,
    );
    await screenshot(page, 'language-numbers-pt-BR');
    // The settings write a speed as the toolbar does (before: "2×" there, "×2" here).
    await openGame(page);
    await page.locator('#menu-settings').click();
    await waitForScene(page, 'Settings');
    await expect(page.locator('#set-speed-2')).toHaveText(/^(✓ )?×2$/);
    await page.locator('#set-speed-2').click();
    await expect(page.getByRole('log')).toContainText('×2');
    await expect(page.getByRole('log')).not.toContainText('2×');
    expect(errors).toEqual([]);
  });

  test("the inspector names storvsp's settings and the signalling in Portuguese", async ({
    page,
  }) => {
    const errors = collectErrors(page);
    await openLevel(page, '09-ring-full', 'pt-BR');
    // The objective's target as the results write it (before: "30 000").
    await expect(page.locator('#objective-throughput')).toContainText('ao menos 30.000 E/S');
    await page.locator('#vsp-storvsp-san0').click();
    // Before: fields labelled "queueDepth" and "maxSubchannels".
    await expect(page.getByLabel('Profundidade da fila (queueDepth)')).toHaveValue('256');
    await expect(page.getByLabel('Subcanais oferecidos (maxSubchannels)')).toHaveValue('0');
    await screenshot(page, 'language-vsp-inspector-pt-BR');
    await page.locator('#vsc-bigdb-scsi0').click();
    // Before: "low-latency" / "batched", the English words alone.
    await expect(page.getByLabel('Sinalização').locator('option')).toHaveText([
      'imediata (low-latency)',
      'agrupada (batched)',
    ]);
    expect(errors).toEqual([]);
  });
});

test.describe('a Brazilian student on the campaign map', () => {
  test('best scores carry their unit and Portuguese digits', async ({ page }) => {
    const errors = collectErrors(page);
    await seedStorage(page, { [SAVE_KEY]: sampleSave({ language: 'pt-BR' }) });
    await openGame(page);
    await page.locator('#menu-campaign').click();
    await waitForScene(page, 'CampaignMap');
    await page.locator('#level-01-first-partition').focus();
    // Before: "Vazão 5120", "Latência p99 840" — the save's raw numbers, no unit.
    const best = page.locator('.score-list');
    await expect(best.locator('dd')).toHaveText(['5.120 op/s', '840 µs']);
    await screenshot(page, 'language-best-scores-pt-BR');
    expect(errors).toEqual([]);
  });
});
