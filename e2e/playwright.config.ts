import { defineConfig } from '@playwright/test';
import { GAME_PORT as port, SANDBOX_PAGE_URL, SANDBOX_PORT } from './ports.js';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../artifacts/e2e-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1280, height: 720 },
    launchOptions: {
      executablePath: process.env.HYPERKATA_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
      ],
    },
  },
  webServer: [
    {
      command: `node e2e/serve.js dist ${port}`,
      cwd: '..',
      url: `http://127.0.0.1:${port}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // The sandbox check page (e2e/sandbox/), built by e2e/run.js next to the game.
      command: `node e2e/serve.js artifacts/e2e-sandbox ${SANDBOX_PORT}`,
      cwd: '..',
      url: SANDBOX_PAGE_URL,
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
});
