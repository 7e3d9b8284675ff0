/**
 * What a play-tester met in the side panels and notices: a refusal notice that followed the player
 * onto the map, the codex and the title and that Esc did not close; arrow keys taken away from a
 * number field and a list; a revealed hint left below the fold; a value fixed by the level that
 * looked exactly like one the player may change.
 */
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import {
  collectErrors,
  expectFocus,
  openGame,
  openLevel,
  screenshot,
  waitForPlayReady,
  waitForScene,
} from './helpers.js';

test.use({ locale: 'en-US' });

/** Level 3's refusal: old01 has no integration components, so disk0 cannot have a channel. */
async function refuseDisk0(page: Page): Promise<Locator> {
  await page.locator('#vsc-old01-disk0').click();
  await page.keyboard.press('c');
  const notice = page.locator('.notice');
  await expect(notice).toHaveCount(1);
  await expect(notice).toHaveAttribute('role', 'alert');
  await expect(notice).toContainText('old01 has no integration components');
  return notice;
}

test('a refusal notice: Esc closes it wherever focus is, and it never follows the player off the level', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '03-legacy-guest');
  const notice = await refuseDisk0(page);
  // Focus is on the board piece, not the notice: Esc closes the notice and the level stays.
  await expectFocus(page, 'vsc-old01-disk0');
  await page.keyboard.press('Escape');
  await expect(notice).toHaveCount(0);
  await page.waitForTimeout(400);
  expect(await page.evaluate(() => document.body.dataset.scene)).toBe('Play');
  // The event log keeps what the notice said.
  await expect(page.locator('#log')).toContainText('old01 has no integration components');

  // Refused again, then Esc with no notice open leaves as it always did (after cancelling the
  // selection, if one is pending): the map has no notice of the level's over it.
  await refuseDisk0(page);
  await page.keyboard.press('Escape');
  await expect(page.locator('.notice')).toHaveCount(0);
  for (let i = 0; i < 3; i++) {
    if ((await page.evaluate(() => document.body.dataset.scene)) !== 'Play') break;
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
  }
  await waitForScene(page, 'CampaignMap');

  // Left with the Back button while the notice is open: it goes with the level.
  await page.locator('#level-03-legacy-guest').focus();
  await page.keyboard.press('Enter');
  await waitForScene(page, 'Play');
  await page.waitForSelector('.play-screen[aria-busy="false"]');
  await refuseDisk0(page);
  await page.locator('#back').click();
  await waitForScene(page, 'CampaignMap');
  await expect(page.locator('.notice')).toHaveCount(0);
  await page.waitForTimeout(1000);
  await expect(page.locator('.notice')).toHaveCount(0);
  await screenshot(page, 'panels-map-after-refusal');
  expect(errors).toEqual([]);
});

test('Esc closes the newest notice first, then the next, and only then goes back', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openGame(page);
  await page.locator('#menu-settings').click();
  await waitForScene(page, 'Settings');
  const notText = { name: 'not-a-save.json', mimeType: 'application/json' };
  await page
    .locator('#import-file')
    .setInputFiles({ ...notText, buffer: Buffer.from('{"first": 1}') });
  await page.locator('#import-file').setInputFiles({ ...notText, buffer: Buffer.from('nope') });
  const notices = page.locator('.notice');
  await expect(notices).toHaveCount(2);
  const first = await notices.nth(0).innerText();
  await page.locator('#set-palette-standard').focus();
  await page.keyboard.press('Escape');
  await expect(notices).toHaveCount(1);
  expect(await notices.nth(0).innerText()).toBe(first);
  await page.keyboard.press('Escape');
  await expect(notices).toHaveCount(0);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => document.body.dataset.scene)).toBe('Settings');
  await page.keyboard.press('Escape');
  await waitForScene(page, 'Title');
  expect(errors).toEqual([]);
});

test('arrow keys in a number field and a list are the control’s, not the board’s', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '06-isolated-cores');
  await page.locator('#vm-app01').click();
  const vps = page.locator('#field-vps-app01');
  await vps.focus();
  const before = Number(await vps.inputValue());
  await page.keyboard.press('ArrowUp');
  await expectFocus(page, 'field-vps-app01');
  await expect(vps).toHaveValue(String(before + 1));
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expectFocus(page, 'field-vps-app01');
  await expect(vps).toHaveValue(String(before - 1));
  await page.keyboard.press('ArrowLeft');
  await expectFocus(page, 'field-vps-app01');

  await page.locator('#host-chip').click();
  const scheduler = page.locator('#field-scheduler');
  await scheduler.focus();
  await expect(scheduler).toHaveValue('classic');
  await page.keyboard.press('ArrowDown');
  await expectFocus(page, 'field-scheduler');
  await expect(scheduler).toHaveValue('core');
  await page.keyboard.press('ArrowUp');
  await expectFocus(page, 'field-scheduler');
  await expect(scheduler).toHaveValue('classic');
  // Off the fields the arrows still move between controls.
  await page.locator('#vm-db01').focus();
  await page.keyboard.press('ArrowLeft');
  await expectFocus(page, 'vm-app02');
  expect(errors).toEqual([]);
});

test('level 6 at 1280×720: a revealed hint is scrolled into view, above the key footer', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '06-isolated-cores');
  const body = page.locator('.play-side-body');
  // More below the fold than the card shows: a cue says so in so many glyphs.
  await expect(body).toHaveClass(/more-below/);
  await expect(page.locator('.play-side > .more-cue')).toBeVisible();
  for (let n = 1; n <= 3; n++) {
    await page.locator('#play-hint').focus();
    await page.keyboard.press('Enter');
    const hint = page.locator(`#hint-${n}`);
    await expect(hint).toBeVisible();
    // Wholly inside the part of the card that scrolls, so not under the key footer.
    await expect
      .poll(() =>
        page.evaluate((id) => {
          const h = document.getElementById(id)?.getBoundingClientRect();
          const b = document.querySelector('.play-side-body')?.getBoundingClientRect();
          const k = document.getElementById('play-keys')?.getBoundingClientRect();
          if (!h || !b || !k) return 'missing';
          if (h.top < b.top - 0.5) return `top ${h.top} above ${b.top}`;
          if (h.bottom > b.bottom + 0.5) return `bottom ${h.bottom} below ${b.bottom}`;
          if (h.bottom > k.top + 0.5) return `under the footer (${h.bottom} > ${k.top})`;
          return 'in view';
        }, `hint-${n}`),
      )
      .toBe('in view');
  }
  await screenshot(page, 'panels-l6-hint-3-shown');
  expect(errors).toEqual([]);
});

test('level 12 at 1280×720: the inspector says when more of it lies below the fold, and a click scrolls there', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '12-consolidation');
  const panel = page.locator('.play-inspector');
  const cue = panel.locator('.more-cue');
  // The host's settings, its VSP instances and the solution file run past the panel's bottom.
  await expect(panel).toHaveClass(/more-below/);
  await expect(cue).toBeVisible();
  await expect(cue).toHaveText('▾ More below');
  // Stuck to the panel's bottom edge, inside it.
  const edges = await page.evaluate(() => {
    const p = document.querySelector('.play-inspector')?.getBoundingClientRect();
    const c = document.querySelector('.play-inspector > .more-cue')?.getBoundingClientRect();
    return p && c ? { panel: p.bottom, cue: c.bottom } : null;
  });
  expect(edges).not.toBeNull();
  expect(Math.abs((edges?.panel ?? 0) - (edges?.cue ?? 99))).toBeLessThan(3);
  await screenshot(page, 'panels-l12-inspector-more-below');
  // Out to the map and back in (a new inspector): a click scrolls down; at the end the cue goes.
  await page.keyboard.press('Escape');
  await waitForScene(page, 'CampaignMap');
  await page.locator('#level-12-consolidation').focus();
  await page.keyboard.press('Enter');
  await waitForPlayReady(page);
  await expect(cue).toBeVisible();
  for (let i = 0; i < 10 && (await cue.isVisible()); i++) {
    await cue.click();
    await page.waitForTimeout(400);
  }
  await expect(cue).toBeHidden();
  await expect(panel).not.toHaveClass(/more-below/);
  await expect(page.locator('#field-vsp-plugin, .play-inspector button').last()).toBeInViewport();
  // A VM's few settings fit: no cue.
  await page.locator('#vm-db01').click();
  await expect(cue).toBeHidden();
  expect(errors).toEqual([]);
});

test('a value fixed by the level is disabled, looks different and carries a labelled lock', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '06-isolated-cores');
  await page.locator('#vm-app01').click();
  const editable = page.locator('#field-vps-app01');
  const locked = page.locator('#field-weight-app01');
  await expect(editable).toBeEnabled();
  await expect(locked).toBeDisabled();
  const look = (el: Locator): Promise<string> =>
    el.evaluate((node) => {
      const s = getComputedStyle(node);
      return [s.borderTopStyle, s.borderTopColor, s.backgroundColor, s.color, s.opacity].join('|');
    });
  expect(await look(locked)).not.toBe(await look(editable));
  // The lock is said as well as drawn, and the field's name says it is locked.
  const field = page.locator('.field', { has: locked });
  await expect(field.getByRole('img', { name: 'Locked' })).toBeVisible();
  await expect(locked).toHaveAccessibleName(/Weight.*Locked/);
  await expect(page.locator('.field', { has: editable }).getByRole('img')).toHaveCount(0);

  // A list the level fixes (the root's VPs are a number; the scheduler is the player's).
  await page.locator('#host-chip').click();
  const rootVps = page.locator('#field-root-vps');
  await expect(rootVps).toBeDisabled();
  expect(await look(rootVps)).not.toBe(await look(page.locator('#field-scheduler')));
  await page.locator('.play-inspector').screenshot({
    path: 'artifacts/screenshots/panels-l6-host-locked.png',
  });
  await page.locator('#vm-app01').click();
  await page.locator('.play-inspector').screenshot({
    path: 'artifacts/screenshots/panels-l6-app01-locked.png',
  });
  expect(errors).toEqual([]);
});

test('level 3 (pt-BR): the lock on a fixed list is named in Portuguese', async ({ page }) => {
  const errors = collectErrors(page);
  await openLevel(page, '03-legacy-guest', 'pt-BR');
  await page.locator('#vm-old01').click();
  const dynamic = page.locator('#field-dynamic-old01');
  await expect(dynamic).toBeDisabled();
  await expect(page.locator('.field', { has: dynamic }).getByRole('img')).toHaveAccessibleName(
    'Bloqueado',
  );
  await expect(page.locator('#field-ic-old01')).toBeEnabled();
  await page.locator('.play-inspector').screenshot({
    path: 'artifacts/screenshots/panels-l3-old01-locked-pt-BR.png',
  });
  expect(errors).toEqual([]);
});

test('level 7 (10 s simulated) starts at ×16, so a first run takes 16 s, not four minutes; a speed picked there is kept', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '07-memory-pressure');
  await expect(page.locator('#speed-16')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('log')).toContainText(
    'This level simulates 10 s: it runs at ×16, so a run takes about 16 s.',
  );
  // The player slows it down; leaving and coming back keeps their choice, and says nothing.
  await page.locator('#speed-2').click();
  await page.keyboard.press('Escape');
  await waitForScene(page, 'CampaignMap');
  await page.locator('#level-07-memory-pressure').focus();
  await page.keyboard.press('Enter');
  await waitForPlayReady(page);
  await expect(page.locator('#speed-2')).toHaveAttribute('aria-pressed', 'true');
  // A 400 ms level keeps the session's speed (the one just picked).
  await page.keyboard.press('Escape');
  await waitForScene(page, 'CampaignMap');
  await page.locator('#level-06-isolated-cores').focus();
  await page.keyboard.press('Enter');
  await waitForPlayReady(page);
  await expect(page.locator('#speed-2')).toHaveAttribute('aria-pressed', 'true');
  await expect(
    page.getByRole('log').locator('.log-text', { hasText: 'This level simulates' }),
  ).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('level 8: a cap on a count that only grows reads "not over yet" mid-run, with its pace, and ✗ as soon as it is passed', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '08-interrupt-storm');
  const cap = page.locator('#objective-fewer-interrupts');
  await page.locator('#speed-1').click();
  await page.locator('#play-run').click();
  // Under the cap, a quarter of the way in: holding, not met — and where it is heading.
  await expect(cap).toHaveClass(/holding/, { timeout: 30_000 });
  await expect(cap.locator('.objective-mark')).toHaveText('○');
  await expect(cap).toContainText('on pace for', { timeout: 30_000 });
  await expect(cap.locator('.objective-state')).toHaveText(' — not over yet');
  await screenshot(page, 'panels-l8-cap-holding');
  // The level's defaults take more interrupts than the cap: once past it, missed for good.
  await page.locator('#speed-64').click();
  await expect(cap.locator('.objective-mark')).toHaveText('✗', { timeout: 60_000 });
  await expect(cap.locator('.objective-state')).toHaveText(' — not met');
  expect(errors).toEqual([]);
});
