/**
 * What the board shows a player, read from the canvas's own record of what it drew
 * (`window.hyperkataBoard()`, see game/play/host-view.ts `BoardSeen`) and from its pixels:
 * the lost-request cross on the device that lost them, an unwired synthetic device drawn as a
 * dangling stub (not as an emulated path), and the scheduler grid telling VMs apart.
 */
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import {
  SAVE_KEY,
  collectErrors,
  everyLevelOpen,
  openGame,
  openLevel,
  screenshot,
  seedStorage,
  waitForPlayReady,
  waitForScene,
} from './helpers.js';

interface Seen {
  paths: {
    vm: string;
    device: string;
    look: 'channel' | 'emulated' | 'none';
    route?: { x: number; y: number }[];
  }[];
  hypervisorTop: number;
  workers: { vm: string; x: number; y: number; width: number; height: number }[];
  lostMarks: string[];
  grid: (string | null)[];
  gridColours: (number | null)[];
  mixedCores: number[];
  mixedCoresEver: number[];
}

async function seen(page: Page): Promise<Seen> {
  return page.evaluate(() => {
    const hook = (window as unknown as { hyperkataBoard?: () => unknown }).hyperkataBoard;
    if (!hook) throw new Error('the Play scene exposes no board record');
    return hook() as Seen;
  });
}

const look = (s: Seen, vm: string, device: string) =>
  s.paths.find((p) => p.vm === vm && p.device === device)?.look;

/** The canvas pixel (RGB) at a design point of the host view, read from a screenshot. */
async function pixel(page: Page, x: number, y: number): Promise<[number, number, number]> {
  const canvas = page.locator('canvas');
  const box = await canvas.boundingBox();
  if (!box) throw new Error('no canvas');
  const png = await page.screenshot({
    clip: { x: box.x + x, y: box.y + y, width: 1, height: 1 },
  });
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = 1;
    c.height = 1;
    const g = c.getContext('2d');
    if (!g) throw new Error('no 2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2]] as [number, number, number];
  }, png.toString('base64'));
}

test('level 2: unwired eth0 is a dangling stub, not an emulated path; its lost requests are crossed on eth0, never on scsi0', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '02-two-lanes');
  const before = await seen(page);
  expect(look(before, 'web01', 'scsi0')).toBe('channel');
  // A generation 2 VM has no emulated network adapter: eth0 without a channel goes nowhere.
  expect(look(before, 'web01', 'eth0')).toBe('none');
  expect(before.paths.some((p) => p.look === 'emulated')).toBe(false);
  // The stub is drawn in the "bad" colour right under eth0's chip, where the dashed emulated
  // wire used to start its slope towards the worker process.
  const eth0 = await page.locator('#vsc-web01-eth0').boundingBox();
  const canvas = await page.locator('canvas').boundingBox();
  if (!eth0 || !canvas) throw new Error('not laid out');
  const [r, g, b] = await pixel(
    page,
    eth0.x - canvas.x + eth0.width / 2,
    eth0.y - canvas.y + eth0.height + 5,
  );
  // The standard palette's "bad" (0xff6f6f) over the background: red, with green and blue even —
  // not the emulated path's orange (0xff9a5a), whose green is well above its blue.
  expect(r).toBeGreaterThan(150);
  expect(r).toBeGreaterThan(g + 60);
  expect(Math.abs(g - b)).toBeLessThan(30);
  await screenshot(page, 'board-l2-eth0-stub');

  await page.locator('#speed-4').click();
  await page.locator('#play-run').click();
  await expect
    .poll(async () => (await seen(page)).lostMarks.length, { timeout: 30_000 })
    .toBeGreaterThan(0);
  await screenshot(page, 'board-l2-lost-on-eth0');
  const run = await seen(page);
  expect(new Set(run.lostMarks)).toEqual(new Set(['web01/eth0']));
  expect(errors).toEqual([]);
});

test('level 3: the legacy guest’s emulated disk traps to the hypervisor, then goes up into its worker', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '03-legacy-guest');
  const s = await seen(page);
  expect(look(s, 'old01', 'disk0')).toBe('emulated');
  const route = s.paths.find((p) => p.vm === 'old01' && p.device === 'disk0')?.route ?? [];
  const worker = s.workers.find((w) => w.vm === 'old01');
  if (!worker) throw new Error('no VMWP for old01');
  // Down to the hypervisor's edge (rule 21: the access is an intercept), and from there up into
  // the worker process from below — not a wire from the guest straight into VMWP.
  const deepest = Math.max(...route.map((p) => p.y));
  expect(deepest).toBe(s.hypervisorTop);
  const end = route.at(-1);
  expect(end?.y).toBe(worker.y + worker.height);
  expect(end?.x).toBeGreaterThan(worker.x);
  expect(end?.x).toBeLessThan(worker.x + worker.width);
  // The trap is drawn where the path meets the hypervisor: the emulated path's orange (0xff9a5a),
  // green well above blue.
  const trap = route.find((p) => p.y === deepest);
  if (!trap) throw new Error('no trap');
  const [r, g, b] = await pixel(page, trap.x, trap.y);
  expect(r).toBeGreaterThan(150);
  expect(g).toBeGreaterThan(b + 30);
  await screenshot(page, 'board-l3-emulated');
  // With integration components on and a channel wired, the path is a VMBus lane: no trap.
  await page.locator('#vm-old01').click();
  await page.locator('#field-ic-old01').selectOption('on');
  await page.locator('#vsc-old01-disk0').click();
  await page.keyboard.press('c');
  await expect.poll(async () => look(await seen(page), 'old01', 'disk0')).toBe('channel');
  const wired = await seen(page);
  expect(wired.paths.find((p) => p.vm === 'old01')?.route).toBeUndefined();
  expect(errors).toEqual([]);
});

test('level 6: each VM has its own colour on the scheduler grid, and a core running two VMs is marked', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLevel(page, '06-isolated-cores');
  await page.locator('#speed-4').click();
  await page.locator('#play-run').click();
  // The classic scheduler puts VPs of two VMs on one core's siblings before long.
  await expect
    .poll(async () => (await seen(page)).mixedCoresEver.length, { timeout: 30_000 })
    .toBeGreaterThan(0);
  await page.locator('#play-pause').click();
  // Paused, step until the frame on screen has such a core (a few ms of simulated time).
  for (let i = 0; i < 200 && (await seen(page)).mixedCores.length === 0; i++)
    await page.locator('#play-step').click();
  const s = await seen(page);
  const colourOf = new Map<string, number>();
  s.grid.forEach((who, lp) => {
    const colour = s.gridColours[lp];
    if (who === null || who === 'root' || colour === null) return;
    // One colour per VM, wherever its VPs run.
    expect(colourOf.get(who) ?? colour).toBe(colour);
    colourOf.set(who, colour);
  });
  const vms = [...colourOf.keys()];
  expect(vms.length).toBeGreaterThan(1);
  expect(new Set(colourOf.values()).size).toBe(vms.length);
  // The marked core's two LPs run two different VMs, in two different colours.
  const core = s.mixedCores[0];
  const [a, b] = [s.grid[2 * core], s.grid[2 * core + 1]];
  expect(a).not.toBeNull();
  expect(b).not.toBeNull();
  expect(a).not.toBe(b);
  expect(s.gridColours[2 * core]).not.toBe(s.gridColours[2 * core + 1]);
  await screenshot(page, 'board-l6-grid');
  expect(errors).toEqual([]);
});

test('level 6 in the colour-blind palette: the VMs keep distinct Okabe–Ito colours on the grid', async ({
  page,
}) => {
  const errors = collectErrors(page);
  const save = JSON.parse(everyLevelOpen()) as { settings: Record<string, unknown> };
  save.settings.palette = 'colour-blind';
  await seedStorage(page, { [SAVE_KEY]: JSON.stringify(save) });
  await openGame(page);
  await page.locator('#menu-campaign').click();
  await waitForScene(page, 'CampaignMap');
  await page.locator('#level-06-isolated-cores').focus();
  await page.keyboard.press('Enter');
  await waitForPlayReady(page);
  await page.locator('#speed-4').click();
  await page.locator('#play-run').click();
  await expect
    .poll(async () => new Set((await seen(page)).grid.filter((w) => w && w !== 'root')).size, {
      timeout: 30_000,
    })
    .toBeGreaterThan(1);
  await page.locator('#play-pause').click();
  const s = await seen(page);
  const colourOf = new Map<string, number>();
  s.grid.forEach((who, lp) => {
    const colour = s.gridColours[lp];
    if (who && who !== 'root' && colour !== null) colourOf.set(who, colour);
  });
  expect(new Set(colourOf.values()).size).toBe(colourOf.size);
  // Okabe–Ito: app01 orange, app02 reddish purple, db01 bluish green (none the root's sky blue).
  const okabeIto = [0xe69f00, 0xdc93bd, 0x2fbf8f];
  for (const colour of colourOf.values()) expect(okabeIto).toContain(colour);
  await screenshot(page, 'board-l6-grid-colour-blind');
  expect(errors).toEqual([]);
});
