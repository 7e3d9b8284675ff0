/**
 * Entry point of the browser build: start the game in the page's stage. If it cannot start, say
 * why on the page instead of leaving it blank.
 */
import { STRING_TABLES, detectLanguage, format } from './i18n/i18n.js';
import { StartGame } from './start-game.js';

function fail(reason: string): void {
  const splash = document.getElementById('splash');
  const target = splash ?? document.body;
  const message = document.createElement('p');
  message.className = 'fatal';
  message.setAttribute('role', 'alert');
  // The saved language may be what failed to load: the browser's is the one to trust here.
  const table = STRING_TABLES[detectLanguage(navigator.languages)];
  message.textContent = format(table['app.couldNotStart'], { reason });
  target.append(message);
}

const stage = document.getElementById('stage');
if (stage) {
  try {
    StartGame(stage);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
    throw error;
  }
} else {
  fail('the page has no #stage element');
}
