/**
 * Entry point of the browser build: start the game in the page's stage. If it cannot start, say
 * why on the page instead of leaving it blank.
 */
import { StartGame } from './start-game.js';

function fail(reason: string): void {
  const splash = document.getElementById('splash');
  const target = splash ?? document.body;
  const message = document.createElement('p');
  message.className = 'fatal';
  message.setAttribute('role', 'alert');
  message.textContent = `Hyperkata could not start: ${reason}`;
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
