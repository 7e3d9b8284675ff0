/**
 * `npm run bench:game`: the browser game's frame times and download size. Serves the production
 * build (dist/, built first unless --no-build), opens the biggest campaign level (most VMs and
 * logical processors) in headless Chromium, runs it at ×1 and at ×16 and records the time between
 * animation frames over 10 s each (p50/p95); then sums the gzip size of the initial download and of
 * the lazy chunks. Prints the figures and writes them to artifacts/bench-game.json.
 *
 * Options: `--no-build` serves dist/ as it is; `--dist DIR` serves another build (e.g. a copy of
 * an older one, to compare before/after in the same session). Environment: HYPERKATA_RENDERER=
 * webgl|canvas forces Phaser's renderer, HYPERKATA_SIM=page runs the simulation on the page
 * instead of in its Web Worker.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium, openLevel } from './game-page.js';
import type { Page } from 'playwright-core';

const PORT = Number(process.env.HYPERKATA_BENCH_PORT ?? 4174);
const DIST = process.argv.includes('--dist')
  ? process.argv[process.argv.indexOf('--dist') + 1]
  : 'dist';
const SECONDS = 10;

interface FrameFigures {
  readonly speed: number;
  readonly frames: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  /**
   * Frames that took longer than one and a half refresh intervals of a 60 Hz display (25 ms): a
   * missed vsync. A frame on time reads 16.7 ± 0.1 ms, the timer's jitter around the interval.
   */
  readonly missed: number;
  /** Simulated time the run advanced per real second (from the toolbar's clock). */
  readonly simulatedMsPerS: number;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** The biggest level: most VMs, then most logical processors. */
function biggestLevel(): { id: string; number: number; vms: number; lps: number } {
  const dir = 'levels/campaign';
  const levels = readdirSync(dir)
    .filter((f) => /^\d\d-[a-z0-9-]+\.json$/.test(f))
    .map((f) => {
      const level = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as {
        id: string;
        number: number;
        scenario: {
          vms: unknown[];
          host: { processor: { sockets: number; coresPerSocket: number; threadsPerCore: number } };
        };
      };
      const p = level.scenario.host.processor;
      return {
        id: level.id,
        number: level.number,
        vms: level.scenario.vms.length,
        lps: p.sockets * p.coresPerSocket * p.threadsPerCore,
      };
    });
  levels.sort((a, b) => b.vms - a.vms || b.lps - a.lps);
  return levels[0];
}

function bundle(): { initialGzipKB: number; lazyGzipKB: number; files: Record<string, number> } {
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const initial = new Set([
    'index.html',
    ...[...html.matchAll(/<script[^>]*\ssrc=["']?([^"' >]+)/g)].map((m) => m[1]),
  ]);
  const files: Record<string, number> = {};
  let initialBytes = 0;
  let lazyBytes = 0;
  for (const name of readdirSync(DIST)) {
    if (!/\.(js|html)$/.test(name)) continue;
    const gz = gzipSync(readFileSync(path.join(DIST, name)), { level: 9 }).length;
    files[name] = gz;
    if (initial.has(name)) initialBytes += gz;
    else lazyBytes += gz;
  }
  return {
    initialGzipKB: Math.round((initialBytes / 1024) * 10) / 10,
    lazyGzipKB: Math.round((lazyBytes / 1024) * 10) / 10,
    files,
  };
}

/** One and a half 60 Hz refresh intervals: a frame that took longer missed a vsync. */
const MISSED_FRAME_MS = 25;

async function measure(page: Page, speed: number): Promise<FrameFigures> {
  if (speed > 0) {
    await page.locator(`#speed-${speed}`).click();
    await page.locator('#play-run').click();
  }
  // A string, not a function: tsx would add name helpers the page does not have.
  const { deltas, simulatedMs } = await page.evaluate<{
    deltas: number[];
    simulatedMs: number;
  }>(`new Promise((resolve) => {
    const out = [];
    const end = performance.now() + ${SECONDS * 1000};
    let last = performance.now();
    // The clock reads "Running · 12.3 of 300 ms"; a restarted run counts from 0 again.
    const clock = () => Number(/([\\d.]+) of/.exec(document.getElementById('play-clock')?.textContent ?? '')?.[1] ?? 0);
    let simulated = 0;
    let lastClock = clock();
    function frame(now) {
      out.push(now - last);
      last = now;
      const c = clock();
      simulated += c >= lastClock ? c - lastClock : c;
      lastClock = c;
      // A finished run starts again, so all ${SECONDS} s are spent running the level.
      const again = document.getElementById('results-again');
      if (again) {
        again.click();
        document.getElementById('play-run')?.click();
      }
      if (now < end) requestAnimationFrame(frame);
      else resolve({ deltas: out, simulatedMs: simulated });
    }
    requestAnimationFrame(frame);
  })`);
  await page.screenshot({ path: `artifacts/bench-game-x${speed}.png` });
  const result = figures(speed, deltas, simulatedMs);
  if (speed === 0) return result;
  // The run may finish between these steps (a fast frame rate runs it quickly): then the results
  // are up and "Try again" goes back to the build.
  const pause = page.locator('#play-pause');
  if ((await pause.getAttribute('aria-disabled', { timeout: 5000 })) !== 'true')
    await pause.click({ timeout: 2000 }).catch(() => undefined);
  const again = page.locator('#results-again');
  if ((await again.count()) > 0) await again.click();
  else await page.locator('#play-reset').click();
  return result;
}

function figures(speed: number, deltas: readonly number[], simulatedMs: number): FrameFigures {
  const sorted = deltas.slice(1).sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 10) / 10;
  return {
    speed,
    frames: sorted.length,
    p50Ms: round(quantile(sorted, 0.5)),
    p95Ms: round(quantile(sorted, 0.95)),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
    missed: sorted.filter((d) => d > MISSED_FRAME_MS).length,
    simulatedMsPerS: round(simulatedMs / SECONDS),
  };
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build') && DIST === 'dist') {
    const built = spawnSync(
      'npx',
      ['webpack', '--config', 'webpack.config.js', '--mode', 'production'],
      {
        stdio: 'inherit',
      },
    );
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  const level = biggestLevel();
  const server = spawn('node', ['e2e/serve.js', DIST, String(PORT)], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 800));
  const browser = await launchChromium();
  try {
    const errors: string[] = [];
    // HYPERKATA_RENDERER=webgl|canvas forces Phaser's renderer (default: the game's own choice).
    const query = new URLSearchParams();
    if (process.env.HYPERKATA_RENDERER) query.set('renderer', process.env.HYPERKATA_RENDERER);
    if (process.env.HYPERKATA_SIM) query.set('sim', process.env.HYPERKATA_SIM);
    const page = await openLevel(browser, { port: PORT, levelId: level.id, query, errors });
    const idle = await measure(page, 0);
    const x1 = await measure(page, 1);
    const x16 = await measure(page, 16);
    const size = bundle();
    const load = loadavg().map((x) => Math.round(x * 100) / 100);
    const result = {
      level,
      seconds: SECONDS,
      dist: DIST,
      loadAverage: load,
      frames: [idle, x1, x16],
      bundle: size,
      errors,
    };
    mkdirSync('artifacts', { recursive: true });
    writeFileSync('artifacts/bench-game.json', JSON.stringify(result, null, 2) + '\n');
    const renderer = await page.evaluate(() => document.body.dataset.renderer);
    console.log(
      `level ${level.id}: ${level.vms} VMs, ${level.lps} logical processors, renderer ${String(renderer)}`,
    );
    for (const f of [idle, x1, x16]) {
      console.log(
        `  ${f.speed === 0 ? 'build (idle)' : `×${f.speed}`}: ${f.frames} frames in ${SECONDS} s, frame time p50 ${f.p50Ms} ms, p95 ${f.p95Ms} ms, max ${f.maxMs} ms, ${f.missed} missed` +
          (f.speed === 0 ? '' : `, ${f.simulatedMsPerS} simulated ms per s`),
      );
    }
    console.log(
      `  bundle: initial ${size.initialGzipKB} KB gzip (budget 550), lazy chunks ${size.lazyGzipKB} KB gzip`,
    );
    console.log(`  load average (1/5/15 min): ${load.join(' / ')}`);
    if (errors.length > 0) console.log(`  page errors: ${errors.join('; ')}`);
  } finally {
    await browser.close();
    server.kill();
  }
}

await main();
