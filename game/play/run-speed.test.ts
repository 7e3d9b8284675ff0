import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { LONGEST_FIRST_RUN_S, fittingSpeed, runSeconds } from './run-speed.js';

const AT_1 = 40; // ms of simulated time per real second at ×1 (a 400 ms level in 10 s)

describe('the speed a level starts at', () => {
  it('keeps the session speed when a run fits in 20 s (a 400 ms level at ×1: 10 s)', () => {
    expect(fittingSpeed(400, 1, AT_1)).toBe(1);
    expect(fittingSpeed(800, 1, AT_1)).toBe(1);
  });

  it('raises it for a long level to the slowest speed that fits (level 7: 10 s at ×16, 16 s)', () => {
    expect(fittingSpeed(10_000, 1, AT_1)).toBe(16);
    expect(runSeconds(10_000, 16, AT_1)).toBe(16);
    expect(runSeconds(10_000, 8, AT_1)).toBeGreaterThan(LONGEST_FIRST_RUN_S);
  });

  it('never lowers a speed the player chose', () => {
    expect(fittingSpeed(400, 64, AT_1)).toBe(64);
    expect(fittingSpeed(10_000, 32, AT_1)).toBe(32);
  });

  it('stops at ×64 when nothing fits', () => {
    expect(fittingSpeed(600_000, 1, AT_1)).toBe(64);
  });

  it('every campaign level starts at a speed whose first run takes at most 20 s', () => {
    for (const f of readdirSync('levels/campaign').filter((n) =>
      /^\d\d-[a-z0-9-]+\.json$/.test(n),
    )) {
      const level = JSON.parse(readFileSync(`levels/campaign/${f}`, 'utf8')) as {
        scenario: { durationMs: number };
      };
      const speed = fittingSpeed(level.scenario.durationMs, 1, AT_1);
      expect({
        f,
        seconds: runSeconds(level.scenario.durationMs, speed, AT_1) <= LONGEST_FIRST_RUN_S,
      }).toEqual({
        f,
        seconds: true,
      });
    }
  });
});
