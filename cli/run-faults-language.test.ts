/**
 * `hyperkata run` says why a VSP stopped a channel in the player's language: level 11's reference
 * run, where storvsp refuses the hostile guest's oversized transfer (rule 37), summarises the
 * fault in Portuguese with the numbers written the pt-BR way, and in English as the model wrote it.
 */
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_VSPS } from '../plugins/examples/index.js';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import { runCaptured } from './testing/run-captured.js';

const REFERENCE = fileURLToPath(
  new URL('../levels/campaign/11-hostile-guest.reference.solution.json', import.meta.url),
);

const run = (locale: Record<string, string>) =>
  runCaptured(['run', '11', '--solution', REFERENCE], {
    vsps: () => [...BUILT_IN_VSPS, ...EXAMPLE_VSPS],
    locale,
  });

describe("run's fault line", () => {
  it('is Portuguese in pt-BR and the model’s English otherwise', async () => {
    const pt = await run({ LC_ALL: 'pt_BR.UTF-8' });
    expect(pt.out).toContain(
      'falhas: hyperkata.storvsp em guest13/scsi0: regra 37: data-range-too-short: o data_transfer_length de 65.536 bytes excede os 4.096 bytes de memória do convidado fornecidos',
    );
    const en = await run({ LC_ALL: 'en_US.UTF-8' });
    expect(en.out).toContain(
      'faults: hyperkata.storvsp on guest13/scsi0: rule 37: data-range-too-short: data_transfer_length 65536 exceeds the 4096 bytes of guest memory supplied',
    );
  });
});
