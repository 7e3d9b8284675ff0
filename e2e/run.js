#!/usr/bin/env node
// Runs the browser tests (Playwright driving the system Chromium) against a production build.
// Where Chromium is missing it says so plainly and how to install it, instead of failing.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const chromium = process.env.HYPERKATA_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.log(
    [
      '',
      '  SKIPPED: browser tests (e2e/) did not run — no Chromium at ' + chromium + '.',
      '  Install it with:  sudo apt-get update && sudo apt-get install -y chromium',
      '  (or set HYPERKATA_CHROMIUM to a Chromium binary). CI (.ci/run) installs it and always runs them.',
      '',
    ].join('\n'),
  );
  process.exit(0);
}

const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run('npx', ['webpack', '--config', 'webpack.config.js', '--mode', 'production']);
// The sandbox check page: a plugin in QuickJS in Chromium, compared with the same run in Node.
run('npx', ['webpack', '--config', 'e2e/sandbox/webpack.config.js', '--mode', 'production']);
run('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', ...process.argv.slice(2)]);
