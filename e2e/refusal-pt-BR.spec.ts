/**
 * A configuration the host refuses at Run is refused in the player's language. A saved solution
 * can carry sizes the board's fields would not let a player type: on level 7 each VM's 9 GiB fits
 * the host alone, all three together do not (rule 33). The notice said it in the core's English
 * ("vms: expected static memory plus Dynamic Memory minimums …, found 21504 MiB"); in pt-BR it
 * now names the field and the numbers in Portuguese.
 */
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import {
  SAVE_KEY,
  collectErrors,
  everyLevelOpen,
  openGame,
  screenshot,
  seedStorage,
  waitForPlayReady,
  waitForScene,
} from './helpers.js';

const BIG = { memory: { dynamic: false, startupMiB: 9216 } };

function saveWithBigSolution(language: 'en' | 'pt-BR'): string {
  const save = JSON.parse(everyLevelOpen(language)) as {
    progress: Record<string, { solutions: unknown[] }>;
  };
  save.progress['07-memory-pressure'].solutions.push({
    id: 's-big',
    name: 'Nove GiB cada',
    savedAt: '2025-01-01T00:00:00.000Z',
    origin: 'player',
    data: {
      format: 1,
      level: '07-memory-pressure',
      vms: { dayshift: BIG, nightshift: BIG },
    },
  });
  return JSON.stringify(save);
}

async function runSavedSolution(page: Page, language: 'en' | 'pt-BR', open: string) {
  await seedStorage(page, { [SAVE_KEY]: saveWithBigSolution(language) });
  await openGame(page);
  await page.locator('#menu-campaign').click();
  await waitForScene(page, 'CampaignMap');
  await page.locator('#level-07-memory-pressure').focus();
  await page.getByRole('button', { name: open }).click();
  await waitForPlayReady(page);
  await page.locator('#play-run').click();
  return page.locator('.notice[data-kind="error"]');
}

test('level 7 (pt-BR): memory the host cannot give is refused in Portuguese', async ({ page }) => {
  const errors = collectErrors(page);
  const notice = await runSavedSolution(page, 'pt-BR', 'Abrir “Nove GiB cada” na fase');
  await expect(notice).toContainText(
    'O host recusou esta configuração: Todas as VMs juntas: a memória estática e os mínimos da Memória Dinâmica somam 21.504 MiB, mas o host só pode dar 18.816 MiB (depois dos 1.664 MiB da raiz)',
  );
  await expect(notice).not.toContainText(/expected|found|solution:/);
  await screenshot(page, 'refusal-pt-BR');
  expect(errors).toEqual([]);
});

test('level 7 (English): the same refusal in the core’s words, as before', async ({ page }) => {
  const errors = collectErrors(page);
  const notice = await runSavedSolution(page, 'en', 'Open “Nove GiB cada” in the level');
  await expect(notice).toContainText(
    "The host refused this configuration: solution: vms: expected static memory plus Dynamic Memory minimums within what the host can give (18816 MiB after the root's 1664 MiB), found 21504 MiB",
  );
  expect(errors).toEqual([]);
});
