/**
 * `node --import tsx bench/game-trace.ts [--dist DIR] [--speed N] [--seconds S]`: where a run's
 * frames go. Opens the biggest campaign level like `bench:game`, starts a run at ×N and records a
 * Chrome trace (DevTools protocol `Tracing`, all processes) for S seconds, then prints each
 * thread's CPU time (thread clock, not wall time) and the main thread's and compositor's costliest
 * events, with the frame intervals seen meanwhile. Writes the raw trace to
 * artifacts/game-trace-xN.json (open it in chrome://tracing or Perfetto).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { launchChromium, openLevel } from './game-page.js';
import type { Page } from 'playwright-core';

const arg = (name: string, fallback: string): string =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback;
const DIST = arg('--dist', 'dist');
const SPEED = Number(arg('--speed', '1'));
const SECONDS = Number(arg('--seconds', '5'));
const LEVEL = arg('--level', '04-the-root-works-too');
const PORT = Number(process.env.HYPERKATA_BENCH_PORT ?? 4175);

interface TraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { name?: string };
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    functionName: string;
    url: string;
    lineNumber: number;
    columnNumber: number;
  };
  readonly children?: readonly number[];
}

/** A sampling CPU profile of the page's main thread: self time by function, with its callers. */
async function profile(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await page.waitForTimeout(SECONDS * 1000);
  const { profile: p } = (await cdp.send('Profiler.stop')) as unknown as {
    profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  };
  writeFileSync(`artifacts/game-profile-x${SPEED}.cpuprofile`, JSON.stringify(p));
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++)
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + p.timeDeltas[i] / 1000);
  const label = (id: number): string => {
    const f = byId.get(id)?.callFrame;
    return f ? `${f.functionName || '(anon)'}@${f.lineNumber}:${f.columnNumber}` : '?';
  };
  const chains = new Map<string, number>();
  const total = new Map<string, number>();
  for (const [id, ms] of self) {
    const chain: string[] = [];
    for (
      let x: number | undefined = id;
      x !== undefined && chain.length < Number(arg('--depth', '5'));
      x = parent.get(x)
    )
      chain.push(label(x));
    const key = chain.join(' < ');
    chains.set(key, (chains.get(key) ?? 0) + ms);
    total.set(chain[0], (total.get(chain[0]) ?? 0) + ms);
  }
  // Inclusive time of named functions (each sample counted once per function on its stack).
  const inclusive = new Map<string, number>();
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const name = byId.get(x)?.callFrame.functionName ?? '';
      if (name === '' || seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
    }
  }
  console.log('inclusive, ms per s:');
  for (const [k, ms] of [...inclusive]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(arg('--inclusive', '0'))))
    console.log(`  ${(ms / SECONDS).toFixed(1).padStart(6)}  ${k}`);
  console.log(`main-thread self time, ms per s (${SECONDS} s at ×${SPEED}):`);
  for (const [k, ms] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 20))
    console.log(`  ${(ms / SECONDS).toFixed(1).padStart(6)}  ${k}`);
  console.log('with callers:');
  for (const [k, ms] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, 30))
    console.log(`  ${(ms / SECONDS).toFixed(1).padStart(6)}  ${k}`);
}

const server = spawn('node', ['e2e/serve.js', DIST, String(PORT)], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 800));
const browser = await launchChromium(
  process.env.HYPERKATA_JS_FLAGS ? [`--js-flags=${process.env.HYPERKATA_JS_FLAGS}`] : [],
);
async function main(): Promise<void> {
  const query = new URLSearchParams();
  if (process.env.HYPERKATA_SIM) query.set('sim', process.env.HYPERKATA_SIM);
  if (process.env.HYPERKATA_EXP) query.set('exp', process.env.HYPERKATA_EXP);
  const page = await openLevel(browser, { port: PORT, levelId: LEVEL, query });
  if (SPEED > 0) {
    await page.locator(`#speed-${SPEED}`).click();
    await page.locator('#play-run').click();
  }
  // A finished run starts again, so the whole time is spent running the level.
  await page.evaluate(`setInterval(() => {
    const again = document.getElementById('results-again');
    if (again) { again.click(); document.getElementById('play-run')?.click(); }
  }, 50)`);
  await page.waitForTimeout(1000);
  if (process.argv.includes('--css')) {
    // An experiment: extra CSS before measuring (e.g. hide a panel to see what it costs).
    await page.addStyleTag({ content: arg('--css', '') });
    await page.waitForTimeout(300);
  }
  if (process.argv.includes('--layers')) {
    // The composited layers, with why each one is composited.
    const cdp = await page.context().newCDPSession(page);
    const tree = new Promise<{ layers?: Record<string, unknown>[] }>((resolve) => {
      cdp.on('LayerTree.layerTreeDidChange', (e) => {
        if (e.layers) resolve(e as { layers?: Record<string, unknown>[] });
      });
    });
    await cdp.send('DOM.enable');
    await cdp.send('LayerTree.enable');
    const { layers = [] } = await tree;
    for (const l of layers) {
      const why = await cdp
        .send('LayerTree.compositingReasons', { layerId: String(l.layerId) })
        .catch(() => ({ compositingReasonIds: [] as string[] }));
      console.log(JSON.stringify({ ...l, reasons: why.compositingReasonIds }).slice(0, 400));
    }
    return;
  }
  if (process.argv.includes('--misses')) {
    // When the long frames fall, against when a finished run was started again.
    console.log(
      await page.evaluate(`new Promise((resolve) => {
        const long = []; const restarts = []; const t0 = performance.now(); let last = t0;
        function frame(now) { const d = now - last; last = now;
          if (d > 20) long.push(Math.round(now - t0) + ':' + Math.round(d));
          if (document.getElementById('results-again')) restarts.push(Math.round(now - t0));
          if (now < t0 + ${SECONDS * 1000}) requestAnimationFrame(frame);
          else resolve('long frames (at:ms) ' + long.join(' ') + '; restarts at ' + restarts.join(' ')); }
        requestAnimationFrame(frame); })`),
    );
    return;
  }
  if (process.argv.includes('--count')) {
    // Canvas 2D calls per animation frame, drawImage by kind of source.
    console.log(
      await page.evaluate(`new Promise((resolve) => {
        const counts = {}; const proto = CanvasRenderingContext2D.prototype;
        for (const name of Object.getOwnPropertyNames(proto)) {
          const d = Object.getOwnPropertyDescriptor(proto, name);
          if (typeof d.value !== 'function') continue;
          const f = d.value;
          proto[name] = function (...a) {
            const k = name === 'drawImage' ? name + ':' + a[0].constructor.name + ':' + (a[0].src ?? '').slice(0, 30) : name;
            counts[k] = (counts[k] ?? 0) + 1; return f.apply(this, a); };
        }
        let frames = 0; const end = performance.now() + 2000;
        function frame(now) { frames++; if (now < end) requestAnimationFrame(frame); else {
          const out = Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, n]) => (n / frames).toFixed(1) + ' ' + k);
          resolve(frames + ' frames; ' + out.join('; ')); } }
        requestAnimationFrame(frame);
      })`),
    );
    return;
  }
  if (process.argv.includes('--profile')) {
    await profile(page);
    return;
  }
  const cdp = await browser.newBrowserCDPSession();
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => {
    events.push(...(e.value as unknown as TraceEvent[]));
  });
  const done = new Promise<void>((resolve) => {
    cdp.once('Tracing.tracingComplete', () => {
      resolve();
    });
  });
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: [
        'toplevel',
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'disabled-by-default-devtools.timeline.frame',
        'v8',
        'v8.execute',
        'blink',
        'cc',
        'viz',
        'gpu',
        'benchmark',
        '__metadata',
        ...(process.argv.includes('--cat') ? [arg('--cat', '')] : []),
      ],
    },
  });
  const deltas = await page.evaluate<number[]>(`new Promise((resolve) => {
    const out = []; const end = performance.now() + ${SECONDS * 1000}; let last = performance.now();
    function frame(now) { out.push(now - last); last = now;
      const again = document.getElementById('results-again');
      if (again) { again.click(); document.getElementById('play-run')?.click(); }
      if (now < end) requestAnimationFrame(frame); else resolve(out); }
    requestAnimationFrame(frame);
  })`);
  await cdp.send('Tracing.end');
  await done;
  mkdirSync('artifacts', { recursive: true });
  writeFileSync(`artifacts/game-trace-x${SPEED}.json`, JSON.stringify({ traceEvents: events }));

  const names = new Map<string, string>();
  const procs = new Map<number, string>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name')
      names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
    if (e.ph === 'M' && e.name === 'process_name') procs.set(e.pid, e.args?.name ?? '');
  }
  const threadName = (e: TraceEvent): string =>
    `${procs.get(e.pid) ?? e.pid}/${names.get(`${e.pid}:${e.tid}`) ?? e.tid}`;
  // Thread CPU: top-level tasks (the 'toplevel' category's complete events), by thread clock.
  const cpu = new Map<string, { cpu: number; wall: number; tasks: number }>();
  const byName = new Map<string, Map<string, { cpu: number; wall: number; n: number }>>();
  for (const e of events) {
    if (e.ph !== 'X') continue;
    const t = threadName(e);
    if (e.cat.split(',').includes('toplevel')) {
      const c = cpu.get(t) ?? { cpu: 0, wall: 0, tasks: 0 };
      c.cpu += (e.tdur ?? 0) / 1000;
      c.wall += (e.dur ?? 0) / 1000;
      c.tasks++;
      cpu.set(t, c);
    }
    const m = byName.get(t) ?? new Map<string, { cpu: number; wall: number; n: number }>();
    const x = m.get(e.name) ?? { cpu: 0, wall: 0, n: 0 };
    x.cpu += (e.tdur ?? 0) / 1000;
    x.wall += (e.dur ?? 0) / 1000;
    x.n++;
    m.set(e.name, x);
    byName.set(t, m);
  }
  const sorted = deltas.slice(1).sort((a, b) => a - b);
  const q = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  console.log(
    `×${SPEED}, ${SECONDS} s, ${DIST}: ${sorted.length} frames, p50 ${q(0.5).toFixed(1)} p95 ${q(0.95).toFixed(1)} max ${sorted.at(-1)?.toFixed(1)} ms; load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const stat = (thread: RegExp, event: string): { cpu: number; n: number } => {
    for (const [t, m] of byName)
      if (thread.test(t) && m.has(event)) return m.get(event) ?? { cpu: 0, n: 0 };
    return { cpu: 0, n: 0 };
  };
  const draw = stat(/VizCompositor/, 'Display::DrawAndSwap');
  const raf = stat(/Renderer\/CrRendererMain/, 'ProxyMain::BeginMainFrame');
  console.log(
    `compositor draws ${draw.n}, ${(draw.cpu / Math.max(1, draw.n)).toFixed(2)} ms CPU each; main frames ${raf.n}, ${(raf.cpu / Math.max(1, raf.n)).toFixed(2)} ms CPU each`,
  );
  console.log('thread CPU (top-level tasks, ms per s: cpu / wall, tasks):');
  for (const [t, c] of [...cpu].sort((a, b) => b[1].cpu - a[1].cpu).slice(0, 14))
    console.log(
      `  ${t.padEnd(50)} ${(c.cpu / SECONDS).toFixed(0).padStart(5)} / ${(c.wall / SECONDS).toFixed(0).padStart(5)}  ${c.tasks}`,
    );
  const show = (pattern: RegExp, top: number): void => {
    for (const [t, m] of byName) {
      if (!pattern.test(t)) continue;
      console.log(`events on ${t} (ms per s cpu / wall, count):`);
      for (const [n, x] of [...m].sort((a, b) => b[1].wall - a[1].wall).slice(0, top))
        console.log(
          `  ${n.slice(0, 60).padEnd(60)} ${(x.cpu / SECONDS).toFixed(1).padStart(6)} / ${(x.wall / SECONDS).toFixed(1).padStart(6)}  ${x.n}`,
        );
    }
  };
  show(/CrRendererMain|Compositor$|VizCompositor|simulation/i, Number(arg('--top', '25')));
}
try {
  await main();
} finally {
  await browser.close();
  server.kill();
}
