// HYPERKATA_E2E_PORT lets two checkouts run their browser tests side by side. The game's build is
// served on that port, the sandbox check page (e2e/sandbox/) on the next one.
export const GAME_PORT = Number(process.env.HYPERKATA_E2E_PORT ?? 4173);
export const SANDBOX_PORT = GAME_PORT + 1;
export const SANDBOX_PAGE_URL = `http://127.0.0.1:${SANDBOX_PORT}/`;
