/**
 * An objective's label is a line of its own in the level's panel, the results and `hyperkata
 * run`: it reads as a sentence, in both languages — a capital letter, unless it starts with a
 * VM's name, which keeps its own spelling (“db01 loses no I/O”).
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { parseLevel } from './index.js';

const dir = new URL('./campaign/', import.meta.url);
const files = readdirSync(dir).filter((f) => /^\d\d-[a-z0-9-]+\.json$/.test(f));

describe('objective labels start as sentences', () => {
  it.each(files)('%s', (file) => {
    const level = parseLevel(readFileSync(new URL(file, dir), 'utf8'), file);
    const vms = new Set(level.scenario.vms.map((v) => v.name));
    const lowercase = level.objectives.flatMap((o) =>
      Object.values(o.label).filter((label) => {
        const first = label.split(/[\s']/)[0] ?? '';
        return /^\p{Ll}/u.test(label) && !vms.has(first);
      }),
    );
    // Before: "a latência p99 de db01 fica abaixo de 250 µs" (level 8), "o anel de bigdb fica
    // cheio menos de 5% do tempo" (level 9) beside "Nenhuma VM pagina mais de 300 MB em disco".
    expect(lowercase).toEqual([]);
  });
});
