/**
 * Text fits its box in the Play scene, in both languages and at the sizes a player uses: no
 * list shows a cut choice ("low-laten" for low-latency), no chip a cut guest OS name, no inspector
 * field or toolbar button a cut label, the toolbar's clock stays on the toolbar's one row, and the
 * event log's heading stays on one line beside its Hide button ("REGISTRO DE EVENTOS" wrapped).
 */
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { collectErrors, openLevel, screenshot, waitForPlayReady } from './helpers.js';

const LANGUAGES = ['en', 'pt-BR'] as const;

/**
 * Every visible text control or leaf text of the toolbar, the inspector and the chips on the host
 * whose text does not fit its box. A `<select>` never scrolls: its chosen option's text is
 * measured against the room the closed list gives it.
 */
async function cutTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const canvas = document.createElement('canvas').getContext('2d');
    const cut: string[] = [];
    const roots = document.querySelectorAll(
      '.play-toolbar, .play-inspector, .play-chips, .log-head',
    );
    for (const root of Array.from(roots)) {
      for (const el of Array.from(root.querySelectorAll<HTMLElement>('*'))) {
        if (el.offsetParent === null || el.closest('.sr-only, pre, details:not([open])')) continue;
        const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className}`;
        if (el instanceof HTMLSelectElement) {
          const style = getComputedStyle(el);
          if (canvas === null) continue;
          canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          const text = el.selectedOptions.length > 0 ? el.selectedOptions[0].text : '';
          // The closed list's arrow takes about 20 px of its content box; a list the level fixes
          // is drawn without one (appearance: none).
          const arrow = style.appearance === 'none' ? 0 : 20;
          const room =
            el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - arrow;
          if (canvas.measureText(text).width > room) cut.push(`${name} "${text}"`);
          continue;
        }
        const text = el instanceof HTMLInputElement ? el.value : el.textContent;
        if (text.trim() === '') continue;
        const leaf = el.children.length === 0 || el.matches('button, label, input');
        if (!leaf) continue;
        if (el.scrollWidth > el.clientWidth + 1) cut.push(`${name} "${text}" (width)`);
        // Chips clip what does not fit: a wrapped line below the box is cut too.
        if (el.matches('button') && el.scrollHeight > el.clientHeight + 1)
          cut.push(`${name} "${text}" (height)`);
      }
    }
    return cut;
  });
}

/** The clock's box against the toolbar's first row (the Run button's). */
async function clockOnOneRow(page: Page): Promise<{ oneLine: boolean; text: string }> {
  return page.evaluate(() => {
    const clock = document.getElementById('play-clock');
    const run = document.getElementById('play-run');
    const toolbar = document.querySelector('.play-toolbar');
    if (!clock || !run || !toolbar) return { oneLine: false, text: 'missing' };
    const c = clock.getBoundingClientRect();
    const r = run.getBoundingClientRect();
    const t = toolbar.getBoundingClientRect();
    const lineHeight = parseFloat(getComputedStyle(clock).lineHeight) || c.height;
    return {
      oneLine:
        clock.getClientRects().length === 1 &&
        c.height <= lineHeight * 1.5 &&
        c.top >= r.top - 1 &&
        c.bottom <= r.bottom + 1 &&
        c.right <= t.right + 1,
      text: clock.textContent,
    };
  });
}

/** The event log's heading against its Hide button: one line, on the button's row, in the panel. */
async function logHeadingOnOneLine(page: Page): Promise<{ oneLine: boolean; text: string }> {
  return page.evaluate(() => {
    const heading = document.getElementById('log-heading');
    const toggle = document.getElementById('log-toggle');
    const head = document.querySelector('.log-head');
    if (!heading || !toggle || !head) return { oneLine: false, text: 'missing' };
    const range = document.createRange();
    range.selectNodeContents(heading);
    // One line box per line of text: a wrapped heading has two.
    const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
    const h = heading.getBoundingClientRect();
    const t = toggle.getBoundingClientRect();
    const box = head.getBoundingClientRect();
    return {
      oneLine:
        lines.size === 1 &&
        h.right <= t.left + 1 &&
        h.top < t.bottom &&
        h.bottom > t.top &&
        t.right <= box.right + 1 &&
        heading.scrollWidth <= heading.clientWidth + 1,
      text: heading.textContent,
    };
  });
}

/**
 * The play screen's key hint against its card (the left panel): every edge inside the card's
 * border box, nothing of it scrolled away or drawn over, each "key action" on one line.
 */
async function keysHintInCard(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const card = document.querySelector('.play-side');
    const hint = document.getElementById('play-keys');
    if (!card || !hint) return ['missing'];
    const c = card.getBoundingClientRect();
    const k = hint.getBoundingClientRect();
    const problems: string[] = [];
    const edges = `hint ${k.left},${k.top}–${k.right},${k.bottom} in card ${c.left},${c.top}–${c.right},${c.bottom}`;
    if (k.height < 10) problems.push(`hint has no height: ${edges}`);
    if (k.top < c.top - 0.5 || k.bottom > c.bottom + 0.5) problems.push(`cut (height): ${edges}`);
    if (k.left < c.left - 0.5 || k.right > c.right + 0.5) problems.push(`cut (width): ${edges}`);
    if (hint.scrollWidth > hint.clientWidth + 1) problems.push('hint scrolls sideways');
    // Drawn where the player sees it: each line of its text is inside the card, and what is at
    // the line's two ends is the hint itself (not a scrolled-away or covered part).
    const range = document.createRange();
    range.selectNodeContents(hint);
    for (const line of Array.from(range.getClientRects())) {
      if (line.width < 1) continue;
      if (line.top < c.top || line.bottom > c.bottom || line.left < c.left || line.right > c.right)
        problems.push(
          `text line ${line.left},${line.top}–${line.right},${line.bottom} out of the card`,
        );
      const y = line.top + line.height / 2;
      for (const x of [line.left + 1, line.right - 1]) {
        const at = document.elementFromPoint(x, y);
        if (at === null || !hint.contains(at))
          problems.push(`covered at ${x},${y} by ${at?.className ?? 'nothing'}`);
      }
    }
    for (const item of Array.from(hint.querySelectorAll('.keys-item'))) {
      const lines = new Set(Array.from(item.getClientRects()).map((r) => Math.round(r.top)));
      if (lines.size !== 1) problems.push(`"${item.textContent}" is split over lines`);
    }
    if (hint.querySelectorAll('.keys-item').length < 4) problems.push('fewer than four keys');
    return problems;
  });
}

for (const language of LANGUAGES) {
  for (const viewport of [
    { width: 1280, height: 720 },
    { width: 1920, height: 1080 },
    { width: 1024, height: 640 },
  ]) {
    test(`the play screen's key hint is whole inside its card (${language}, ${viewport.width}×${viewport.height})`, async ({
      page,
    }) => {
      // Level 12 has the longest briefing; all three hints shown make the card's longest text.
      const errors = collectErrors(page);
      await page.setViewportSize(viewport);
      await openLevel(page, '12-consolidation', language);
      await expect(page.locator('#play-keys')).toContainText(
        language === 'en' ? 'Space' : 'Espaço',
      );
      expect(await keysHintInCard(page), 'at first').toEqual([]);
      await screenshot(page, `fit-keys-hint-${language}-${viewport.width}`);
      await page.locator('.play-side').screenshot({
        path: `artifacts/screenshots/fit-keys-hint-fold-${language}-${viewport.width}.png`,
      });
      for (let n = 1; n <= 3; n++) await page.locator('#play-hint').click();
      await expect(page.locator('#hint-3')).toBeVisible();
      expect(await keysHintInCard(page), 'with the three hints shown').toEqual([]);
      // More below the fold than the card shows (a 720-pixel window or less): the body's bottom
      // edge fades out, and stops fading once the player has scrolled to the end.
      const body = page.locator('.play-side-body');
      if (viewport.height <= 720) {
        await body.evaluate((el) => {
          el.scrollTop = 0;
        });
        await expect(body).toHaveClass(/more-below/);
      }
      await body.evaluate((el) => {
        el.scrollTop = el.scrollHeight;
      });
      await expect(body).not.toHaveClass(/more-below/);
      await page.locator('.play-side').screenshot({
        path: `artifacts/screenshots/fit-keys-hint-card-${language}-${viewport.width}.png`,
      });
      expect(errors).toEqual([]);
    });
  }

  for (const viewport of [
    { width: 1280, height: 720 },
    { width: 1920, height: 1080 },
  ]) {
    test(`Play texts fit their boxes (${language}, ${viewport.width}×${viewport.height})`, async ({
      page,
    }) => {
      const errors = collectErrors(page);
      await page.setViewportSize(viewport);
      // 08: seven VMs and channel settings; 10: VSP instances; 12: the most VMs with long guest
      // OS names and every control; 04: eight VMs, the narrowest chips.
      const cases: [string, string[]][] = [
        ['12-consolidation', ['#host-chip', '#vm-old01', '#vsc-db01-scsi0', '#vsp-storvsp-ssd0']],
        ['08-interrupt-storm', ['#vsc-log01-scsi0', '#vm-log06']],
        ['10-two-disks', ['#host-chip']],
        ['04-the-root-works-too', ['#vm-db08']],
      ];
      let first = true;
      for (const [level, selections] of cases) {
        if (first) {
          await openLevel(page, level, language);
          expect(await logHeadingOnOneLine(page), 'the event log heading').toMatchObject({
            oneLine: true,
          });
        } else {
          await page.keyboard.press('Escape');
          await page.waitForFunction(() => document.body.dataset.scene === 'CampaignMap');
          await page.locator(`#level-${level}`).focus();
          await page.keyboard.press('Enter');
          await waitForPlayReady(page);
        }
        first = false;
        await expect(page.locator('#play-run')).toBeVisible();
        expect(await clockOnOneRow(page), `${level}: the clock`).toMatchObject({ oneLine: true });
        for (const selector of selections) {
          await page.locator(selector).click();
          await expect(page.locator('#inspector-heading')).toBeVisible();
          expect(await cutTexts(page), `${level} ${selector}`).toEqual([]);
        }
      }
      await screenshot(page, `fit-${language}-${viewport.width}`);
      expect(errors).toEqual([]);
    });
  }

  test(`the event log's heading stays beside its Hide button in a narrow window (${language})`, async ({
    page,
  }) => {
    // At 1024 px the log is at its narrowest (232 px): "REGISTRO DE EVENTOS" ran under "Ocultar".
    const errors = collectErrors(page);
    await page.setViewportSize({ width: 1024, height: 640 });
    await openLevel(page, '12-consolidation', language);
    expect(await logHeadingOnOneLine(page), 'the event log heading').toMatchObject({
      oneLine: true,
    });
    await screenshot(page, `fit-log-heading-${language}-1024`);
    expect(errors).toEqual([]);
  });

  test(`the clock stays on the toolbar's row while running a long level (${language})`, async ({
    page,
  }) => {
    // Level 07 lasts 10,000 ms: the longest clock texts ("Executando · 1.234,5 de 10.000 ms",
    // then "Concluído · 10.000,0 de 10.000 ms", which ran past the toolbar's edge).
    await openLevel(page, '07-memory-pressure', language);
    await page.locator('#play-run').click();
    await expect(page.locator('#play-pause')).not.toHaveAttribute('aria-disabled', 'true');
    await expect
      .poll(async () => (await clockOnOneRow(page)).text)
      .toMatch(language === 'en' ? /\d{3,}\.\d / : /\d{3,},\d /);
    await page.locator('#play-pause').click();
    expect(await clockOnOneRow(page)).toMatchObject({ oneLine: true });
    expect(await cutTexts(page)).toEqual([]);
    await page.locator('#speed-64').click();
    await page.locator('#play-run').click();
    await expect(page.locator('#play-results')).toBeVisible({ timeout: 90_000 });
    expect(await clockOnOneRow(page)).toMatchObject({
      oneLine: true,
      text:
        language === 'en'
          ? 'Finished · 10,000.0 of 10,000 ms'
          : 'Concluído · 10.000,0 de 10.000 ms',
    });
  });
}
