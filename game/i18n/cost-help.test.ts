/**
 * The results panel explains the cost score beside it. Level 7 scores a Dynamic Memory VM by the
 * memory it has at the end of the run, not its startup memory; a player 0.4 short of ★★★ must
 * be able to read which number to lower.
 */
import { describe, expect, it } from '@jest/globals';
import { en } from './en.js';
import { ptBR } from './pt-BR.js';

describe("the results' cost note says how Dynamic Memory is counted", () => {
  it('names Dynamic Memory and the end of the run, in both languages', () => {
    // Before: "… 1 per VSP and 1 per GiB of VM memory." — the startup memory a player set
    // (4 GiB) was not what the score counted (what the balancer left, at the end).
    expect(en['play.costHelp']).toContain(
      'Dynamic Memory, the memory it has at the end of the run',
    );
    expect(ptBR['play.costHelp']).toContain(
      'Memória Dinâmica, a memória que ela tem no fim da execução',
    );
  });
});
