/**
 * What the game benchmarks share: the system Chromium launched the way `bench:game` measures it
 * (software WebGL, as on a machine without a GPU), and a page opened on a campaign level with
 * every earlier level already won.
 */
import { readdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

/** Launches the system Chromium headless, WebGL through SwiftShader. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.HYPERKATA_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      ...extraArgs,
    ],
  });
}

/**
 * Opens level `levelId` in a new 1280×720 page served on `port`, with `query` in the address, and
 * waits until its Play scene is up. The save says every campaign level is won, so any level is open.
 */
export async function openLevel(
  browser: Browser,
  options: {
    port: number;
    levelId: string;
    query: URLSearchParams;
    /** Collects the page's uncaught errors, from the first script on. */
    errors?: string[];
  },
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors = options.errors;
  if (errors) page.on('pageerror', (e) => errors.push(e.message));
  const progress = Object.fromEntries(
    readdirSync('levels/campaign')
      .filter((f) => /^\d\d-[a-z0-9-]+\.json$/.test(f))
      .map((f) => [f.replace(/\.json$/, ''), { stars: 3, best: {}, solutions: [] }]),
  );
  await page.addInitScript(
    (save) => {
      localStorage.setItem('hyperkata.save', save);
    },
    JSON.stringify({
      format: 'hyperkata-save',
      version: 2,
      savedAt: new Date(0).toISOString(),
      settings: { language: 'en' },
      progress,
    }),
  );
  const query = options.query.size > 0 ? `?${options.query.toString()}` : '';
  await page.goto(`http://127.0.0.1:${String(options.port)}/${query}`);
  await page.waitForFunction(() => document.body.dataset.scene === 'Title', null, {
    timeout: 60_000,
  });
  await page.locator('#menu-campaign').click();
  await page.waitForFunction(() => document.body.dataset.scene === 'CampaignMap');
  await page.locator(`#level-${options.levelId}`).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.body.dataset.scene === 'Play');
  await page.locator('#play-run').waitFor();
  await page.waitForTimeout(500);
  return page;
}
