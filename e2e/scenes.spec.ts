/**
 * Every scene loads with no console errors, and a screenshot of each is saved as an artifact
 * (artifacts/screenshots/).
 */
import { expect, test } from '@playwright/test';
import {
  collectErrors,
  sampleSave,
  screenshot,
  seedStorage,
  waitForPlayReady,
  waitForScene,
} from './helpers.js';

test('every scene loads without console errors and is captured', async ({ page }) => {
  const errors = collectErrors(page);
  await seedStorage(page, { 'hyperkata.save': sampleSave() });

  // Boot and Preloader pass quickly. Hold the game's script to see what a player sees while it
  // downloads (the page's own splash), then hold the page clock to see the Preloader's progress.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(/\/main\.[^/]*js$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.clock.install();
  await page.clock.pauseAt(new Date('2030-01-01T00:00:00Z'));
  await page.goto('/', { waitUntil: 'commit' });
  await expect(page.locator('#splash')).toBeVisible();
  await screenshot(page, '01-boot');
  release();
  await page.waitForLoadState('load');
  await expect
    .poll(
      async () => {
        await page.clock.runFor(50);
        return page.evaluate(() =>
          Number(document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow') ?? -1),
        );
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0);
  await expect(page.getByRole('progressbar')).toBeVisible();
  await screenshot(page, '02-preloader');
  await page.clock.resume();

  await waitForScene(page, 'Title');
  await expect(page.getByRole('heading', { level: 1, name: 'Hyperkata' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main menu' })).toBeVisible();
  await screenshot(page, '03-title');

  await page.getByRole('button', { name: /^Campaign/ }).click();
  await waitForScene(page, 'CampaignMap');
  await expect(page.getByRole('heading', { level: 1, name: 'Campaign' })).toBeVisible();
  await expect(page.getByRole('button', { name: /First partition/ })).toBeVisible();
  await screenshot(page, '04-campaign-map');

  // Levels 1 to 4 are finished, so level 5 is selected: its concepts link to the codex.
  await page.getByRole('button', { name: 'Weight, reserve and limit', exact: true }).click();
  await waitForScene(page, 'Codex');
  await expect(
    page.getByRole('heading', { level: 2, name: 'Weight, reserve and limit' }),
  ).toBeVisible();
  await screenshot(page, '05-codex');

  await page.keyboard.press('Escape');
  await waitForScene(page, 'CampaignMap');
  await page.getByRole('button', { name: /Play · Level/ }).click();
  await waitForPlayReady(page);
  await expect(page.getByRole('heading', { level: 1, name: /Level 5/ })).toBeVisible();
  await expect(page.locator('#play-run')).toBeVisible();
  await screenshot(page, '06-play');

  await page.keyboard.press('Escape');
  await waitForScene(page, 'CampaignMap');
  await page.keyboard.press('Escape');
  await waitForScene(page, 'Title');
  await page.getByRole('button', { name: /^Settings/ }).click();
  await waitForScene(page, 'Settings');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await screenshot(page, '07-settings');

  expect(errors).toEqual([]);
});

test('the colour-blind palette and Portuguese are captured too', async ({ page }) => {
  const errors = collectErrors(page);
  await seedStorage(page, {
    'hyperkata.save': sampleSave({ language: 'pt-BR', palette: 'colour-blind' }),
  });
  await page.goto('/');
  await waitForScene(page, 'Title');
  await expect(page.getByRole('heading', { level: 1, name: 'Hyperkata' })).toBeVisible();
  await screenshot(page, '08-title-pt-BR-colour-blind');
  await page.getByRole('button', { name: /^Campanha/ }).click();
  await waitForScene(page, 'CampaignMap');
  await screenshot(page, '09-campaign-pt-BR-colour-blind');
  expect(errors).toEqual([]);
});

test('a screen’s entrance animation leaves nothing running behind it', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForScene(page, 'Title');
  await page.locator('#menu-campaign').click();
  await waitForScene(page, 'CampaignMap');
  // The screen fades in (full motion is the default here)…
  expect(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches)).toBe(
    false,
  );
  // …and once the entrance ends it holds no animation: an entrance that kept its end state kept
  // the whole overlay on a composited layer of its own, which a software compositor re-blended
  // over the canvas on every frame of a run.
  await expect(page.locator('.screen-enter')).toHaveCount(0);
  expect(
    await page.evaluate(
      () =>
        document.getAnimations().filter((a) => {
          const target = (a.effect as KeyframeEffect | null)?.target;
          return target instanceof Element && target.classList.contains('screen');
        }).length,
    ),
  ).toBe(0);
  expect(errors).toEqual([]);
});

test('the game fills a larger window and stays aligned', async ({ page }) => {
  const errors = collectErrors(page);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/');
  await waitForScene(page, 'Title');
  // The DOM overlay is scaled with the canvas: at 1920 × 1080 the 1024-wide design space is 1.5×.
  const box = await page.locator('#ui').boundingBox();
  expect(box?.width).toBeCloseTo(1536, 0);
  await screenshot(page, '10-title-1920x1080');
  expect(errors).toEqual([]);
});

test('hiding and showing the event log keeps the menus on the canvas art', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForScene(page, 'Title');
  const overlayLeft = async () => (await page.locator('#ui').boundingBox())?.x ?? -1;
  const stageCentre = async () => {
    const stage = await page.locator('#stage').boundingBox();
    return (stage?.width ?? 0) / 2;
  };
  expect(await overlayLeft()).toBeCloseTo(0, 0);

  await page.getByRole('button', { name: 'Hide the event log' }).click();
  // The stage widens; the 1024-wide design space re-centres in it.
  await expect.poll(async () => (await overlayLeft()) + 512).toBeCloseTo(await stageCentre(), 0);
  await expect(page.getByRole('button', { name: 'Show the event log' })).toBeVisible();
  await screenshot(page, '11-title-log-hidden');

  await page.getByRole('button', { name: 'Show the event log' }).click();
  await expect.poll(overlayLeft).toBeCloseTo(0, 0);
  expect(errors).toEqual([]);
});
