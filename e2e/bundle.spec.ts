/**
 * The initial download — index.html plus every script it loads — stays within 550 KB gzip, and
 * the page works from a plain static server with no network beyond it.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { collectErrors, openGame } from './helpers.js';

const BUDGET_BYTES = 550 * 1024;

test('the initial download stays within 550 KB gzip', () => {
  const dist = 'dist';
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  // The production HTML is minified: attribute quotes may be gone.
  const scripts = [...html.matchAll(/<script[^>]*\ssrc=["']?([^"' >]+)/g)].map((m) => m[1]);
  expect(scripts.length).toBeGreaterThan(0);
  const files = ['index.html', ...scripts].map((name) => {
    const bytes = readFileSync(path.join(dist, name));
    return { name, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const total = files.reduce((sum, f) => sum + f.gzip, 0);
  mkdirSync('artifacts', { recursive: true });
  writeFileSync(
    path.join('artifacts', 'bundle-size.json'),
    JSON.stringify({ budgetBytes: BUDGET_BYTES, totalGzipBytes: total, files }, null, 2) + '\n',
  );
  // Big optional parts (the plugin sandbox, editors) must be dynamic imports, not in the first load.
  const initialJs = scripts.map((name) => readFileSync(path.join(dist, name), 'utf8')).join('\n');
  expect(initialJs).not.toMatch(/emscripten|quickjs/i);
  console.log(`initial download: ${(total / 1024).toFixed(1)} KB gzip (budget 550 KB)`);
  expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
});

test('the game asks nothing of any other host (offline-ready static build)', async ({ page }) => {
  const errors = collectErrors(page);
  const foreign: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (
      !['127.0.0.1', 'localhost'].includes(url.hostname) &&
      !['data:', 'blob:'].includes(url.protocol)
    ) {
      foreign.push(request.url());
    }
  });
  await openGame(page);
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});
