import { describe, expect, it } from '@jest/globals';
import { Narration } from './event-log.js';
import { narrate } from './narration-messages.js';

describe('the narration keeps the latest lines', () => {
  it('holds at most its capacity: the oldest lines go first, however many were said', () => {
    const narration = new Narration(3);
    for (let i = 1; i <= 10; i++)
      narration.add(i, 'vm', narrate('vsp.pluginLog', { text: `line ${String(i)}` }));
    expect(narration.total).toBe(10);
    expect(narration.recent(100).map((l) => l.text)).toEqual(['line 8', 'line 9', 'line 10']);
    expect(narration.recent(2).map((l) => l.text)).toEqual(['line 9', 'line 10']);
  });
});
