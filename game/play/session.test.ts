import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { checkSolution, parseLevelFile, startRun, vspClassOf } from './session.js';

const read = (name: string): string =>
  readFileSync(new URL(`../../levels/campaign/${name}`, import.meta.url), 'utf8');

describe('the game runs what the CLI runs', () => {
  it("level 11 as it opens runs its third-party 'turbo' storvsp, as `hyperkata run 11` does", () => {
    const level = parseLevelFile(JSON.parse(read('11-hostile-guest.json')));
    const naive = checkSolution(
      level.id,
      { text: read('11-hostile-guest.naive.solution.json') },
      'naive',
    );
    // Refused before: "defaults.vsps[0].plugin: expected the id of a loaded VSP plugin".
    expect(() => startRun(level, naive)).not.toThrow();
    expect(vspClassOf('example.turbo-storvsp')).toBe('storage');
  });
});
