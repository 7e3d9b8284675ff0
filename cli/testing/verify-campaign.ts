/**
 * Shared body of the campaign verification tests: `hyperkata verify --only N --json` for each
 * level of a range, through the real CLI with the real built-in plugins. The campaign is split in
 * two test files so Jest's two workers verify it in parallel.
 */
import { describe, expect, it } from '@jest/globals';
import { loadCampaign } from '../campaign.js';
import { processEnv } from '../env.js';
import { runCaptured } from './run-captured.js';

interface VerifyJson {
  levels: {
    id: string;
    reference: { stars: number };
    naive: { stars: number; failedObjectives: string[]; expected: string[] };
    deterministic: boolean;
  }[];
}

export function verifyCampaignLevels(first: number, last: number): void {
  const levels = loadCampaign().filter(
    (e) => (e.level.number ?? 0) >= first && (e.level.number ?? 0) <= last,
  );
  describe(`hyperkata verify, campaign levels ${String(first)}–${String(last)}`, () => {
    it('has every level of the range', () => {
      expect(levels.map((e) => e.level.number)).toEqual(
        Array.from({ length: last - first + 1 }, (_, i) => first + i),
      );
    });
    it.each(levels.map((e) => [e.level.id, e.level.number ?? 0] as const))(
      '%s: reference earns three stars, naive fails for the expected reason, runs are identical',
      async (_id, number) => {
        const { code, out, err } = await runCaptured(
          ['verify', '--only', String(number), '--json'],
          processEnv(),
        );
        expect(err).toBe('');
        const verdict = (JSON.parse(out) as VerifyJson).levels.at(0);
        if (verdict === undefined) throw new Error(`verify printed no verdict: ${out}`);
        expect(verdict.reference.stars).toBe(3);
        expect(verdict.naive.stars).toBeLessThan(3);
        expect(verdict.naive.failedObjectives).toEqual(
          expect.arrayContaining(verdict.naive.expected),
        );
        expect(verdict.deterministic).toBe(true);
        expect(code).toBe(0);
      },
    );
  });
}
