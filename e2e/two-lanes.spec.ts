/**
 * Level 2 ("two lanes"), rule 11: wiring eth0 (a network VSC) to storvsp is refused on the spot,
 * by mouse and by keyboard, with the class GUIDs shown in a notice and written to the ARIA event
 * log; wiring it to netvsp is accepted.
 */
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import {
  SAVE_KEY,
  collectErrors,
  openGame,
  sampleSave,
  screenshot,
  seedStorage,
  waitForPlayReady,
  waitForScene,
} from './helpers.js';

const ETH0 = '#vsc-web01-eth0';
const STORVSP = '#vsp-storvsp-ssd0';
const NETVSP = '#vsp-netvsp-nic0';
const REFUSAL = /Refused: web01 · eth0 is a network VSC and storvsp-ssd0 serves storage/;

async function openLevel2(page: Page): Promise<void> {
  await seedStorage(page, { [SAVE_KEY]: sampleSave() });
  await openGame(page);
  await page.locator('#menu-campaign').click();
  await waitForScene(page, 'CampaignMap');
  await page.locator('#level-02-two-lanes').focus();
  await page.keyboard.press('Enter');
  await waitForPlayReady(page);
  await expect(page.locator(ETH0)).toBeVisible();
}

test('level 2: dragging eth0 onto storvsp is refused with the class GUIDs; netvsp is accepted', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel2(page);
  const from = await page.locator(ETH0).boundingBox();
  const to = await page.locator(STORVSP).boundingBox();
  if (!from || !to) throw new Error('chips not laid out');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await page.mouse.up();
  const notice = page.locator('.notice[data-kind="warning"]');
  await expect(notice).toContainText(REFUSAL);
  await expect(notice).toContainText('f8615163-df3e-46c5-913f-f2d2f965ed0e');
  await expect(notice).toContainText('ba6163d9-04a1-4d29-b605-72e2ffb1dc7f');
  await expect(page.locator('#log')).toContainText(REFUSAL);
  await expect(page.locator(ETH0)).not.toHaveClass(/connected/);
  await screenshot(page, 'two-lanes-refused');
  await notice.getByRole('button').click(); // it sits over the hardware strip and the host chip
  await page.locator('#host-chip').click();
  await expect(page.locator('#solution-json')).toBeVisible();
  await expect(page.locator('#solution-json')).not.toContainText('eth0');
  // The VSP of its own class takes the channel.
  await page.locator(ETH0).click();
  await page.locator(NETVSP).click();
  await expect(page.locator(ETH0)).toHaveClass(/connected/);
  await page.locator('#host-chip').click();
  await expect(page.locator('#solution-json')).toContainText('netvsp-nic0');
  expect(errors).toEqual([]);
});

test('level 2: with the keyboard, Enter on eth0 then on storvsp is refused and said in the event log', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel2(page);
  await page.locator(ETH0).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator(ETH0)).toHaveAttribute('aria-pressed', 'true');
  await page.locator(STORVSP).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#log')).toContainText(REFUSAL);
  await expect(page.locator(ETH0)).not.toHaveClass(/connected/);
  await expect(page.locator(ETH0)).toHaveAttribute('aria-pressed', 'false');
  expect(errors).toEqual([]);
});
