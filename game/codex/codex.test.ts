import { describe, expect, it } from '@jest/globals';
import { LANGUAGES } from '../i18n/i18n.js';
import { CODEX, GLOSSARY, MECHANICS, TECHNICAL_SOURCES, codexEntry, searchCodex } from './index.js';

/** The glossary of the seed article (hyper-v-2016-architecture.pt-BR.txt), in its order. */
const SEED_GLOSSARY = [
  'APIC',
  'Child partition',
  'Hypercall',
  'Hypervisor',
  'IC',
  'I/O stack',
  'MSR',
  'Root partition',
  'VID',
  'VMBus',
  'VMMS',
  'VMWP',
  'VSC',
  'VSP',
  'WinHv',
  'WMI',
];

/** The mechanics the game uses (issue: "every mechanic the game uses"). */
const GAME_MECHANICS = [
  'synthetic-vs-emulated',
  'vmbus-ring-buffer',
  'signalling',
  'flow-control',
  'gpadl',
  'synic',
  'hypercall-status',
  'rep-hypercalls',
  'scheduler-types',
  'weight-reserve-limit',
  'root-vps',
  'dynamic-memory',
  'ballooning',
  'hot-add',
  'paging',
  'sr-iov',
  'monitor-pages',
  'interrupt-throttling',
  'isolation',
  'generations',
];

describe('the codex covers the seed glossary', () => {
  it.each(SEED_GLOSSARY)('has "%s" in both languages with a public source', (term) => {
    const entries = GLOSSARY.filter((e) => e.seedTerm === term);
    expect(entries).toHaveLength(1);
    const entry = entries[0];
    for (const language of LANGUAGES) {
      expect(entry.term[language].trim()).not.toBe('');
      expect(entry.summary[language].trim()).not.toBe('');
      expect(entry.body[language].trim()).not.toBe('');
    }
    expect(entry.sources.some((s) => TECHNICAL_SOURCES.includes(s.key))).toBe(true);
    expect(entry.sources.some((s) => s.key === 'SEED')).toBe(true);
  });

  it('has no glossary entry the seed does not name', () => {
    expect(GLOSSARY.map((e) => e.seedTerm)).toEqual(SEED_GLOSSARY);
  });

  it('says what the seed gets wrong about MSR and what the game means by it', () => {
    const msr = codexEntry('msr');
    expect(msr?.body.en).toContain('Memory Service Routine');
    expect(msr?.body['pt-BR']).toContain('Rotina de Serviço de Memória');
    expect(msr?.expansion?.en).toBe('Model-specific register');
  });
});

describe('the codex covers the game’s mechanics', () => {
  it.each(GAME_MECHANICS)('has the mechanic "%s" with a public source', (id) => {
    const entry = MECHANICS.find((e) => e.id === id);
    expect(entry).toBeDefined();
    expect(entry?.sources.some((s) => TECHNICAL_SOURCES.includes(s.key))).toBe(true);
  });

  it('names the simplifications the simulation makes (boot, quantum, VMWP start, emulation cost)', () => {
    const simplified = CODEX.map((e) => e.simplification?.en ?? '').join('\n');
    expect(simplified).toMatch(/boot is compressed to 20 ms/);
    expect(simplified).toMatch(/10 ms \(an estimate\)/);
    expect(simplified).toMatch(/compressed from about a second to 2 ms/);
    expect(simplified).toMatch(/about 10 µs of root CPU/);
  });
});

describe('every entry is complete and consistent', () => {
  it('has unique ids', () => {
    expect(new Set(CODEX.map((e) => e.id)).size).toBe(CODEX.length);
  });

  it.each(CODEX.map((e) => [e.id, e] as const))('%s is written in both languages', (_id, e) => {
    for (const language of LANGUAGES) {
      for (const text of [e.term, e.summary, e.body, e.inGame]) {
        expect(text[language].trim()).not.toBe('');
      }
      if (e.expansion) expect(e.expansion[language].trim()).not.toBe('');
      if (e.simplification) expect(e.simplification[language].trim()).not.toBe('');
    }
    // Translated, not copied.
    expect(e.body['pt-BR']).not.toBe(e.body.en);
    expect(e.summary['pt-BR']).not.toBe(e.summary.en);
  });

  it('gives every source a concrete reference', () => {
    const vague = CODEX.flatMap((e) => e.sources.filter((s) => s.ref.trim().length < 8));
    expect(vague).toEqual([]);
  });

  it('links only to entries that exist, never to itself', () => {
    const broken = CODEX.flatMap((e) =>
      e.related
        .filter((id) => id === e.id || codexEntry(id) === undefined)
        .map((id) => `${e.id}→${id}`),
    );
    expect(broken).toEqual([]);
  });
});

describe('searchCodex', () => {
  it('ignores accents and case, in the player’s language', () => {
    const ids = searchCodex('particao', 'pt-BR').map((e) => e.id);
    expect(ids).toContain('child-partition');
    expect(ids).toContain('root-partition');
  });

  it('needs every word to match', () => {
    expect(searchCodex('ring pending_send_sz', 'en').map((e) => e.id)).toContain('flow-control');
    expect(searchCodex('ring zzzz', 'en')).toEqual([]);
  });

  it('returns everything for an empty query', () => {
    expect(searchCodex('  ', 'en')).toHaveLength(CODEX.length);
  });
});
