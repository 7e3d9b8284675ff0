/**
 * Every codex entry's "In the game" text (`inGame`) must be true of the game as built: a teacher
 * puts students in front of it. Each entry lists in `seenAt` what its text points at — a level, an
 * inspector field, an objective, a line of the event log, a part of the host view — and this test
 * checks that the game still has each one, and that the text names what it points at in the
 * words the player sees (the level's number and title, the field's label, the objective's label,
 * the log's words), in both languages.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  parseLevel,
  parseSolution,
  playLevel,
  startLevel,
  finishLevel,
} from '../../levels/index.js';
import type { Level } from '../../levels/index.js';
import { EXAMPLE_VSPS } from '../../plugins/examples/index.js';
import { BUILT_IN_VSPS } from '../../plugins/index.js';
import { STORVSP_SETTINGS } from '../../plugins/storvsp/index.js';
import { NETVSP_SETTINGS } from '../../plugins/netvsp/netvsp.js';
import { LANGUAGES, STRING_TABLES } from '../i18n/i18n.js';
import type { Language } from '../i18n/i18n.js';
import { narrationIn } from '../i18n/narration.js';
import type { NarrationLine } from '../../core/index.js';
import { layoutHost } from '../play/layout.js';
import type { HostLayout, Rect } from '../play/layout.js';
import { CAMPAIGN_LEVELS } from '../campaign/levels.js';
import { CODEX, codexEntry } from './index.js';
import type { CodexEntry, InGameRef } from './types.js';

const campaign = new URL('../../levels/campaign/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, campaign), 'utf8');
/** The campaign's levels, in the order the game offers them. */
const LEVEL_IDS = CAMPAIGN_LEVELS.map((l) => l.id);

const levels = new Map<string, Level>();
function level(id: string): Level {
  const known = levels.get(id);
  if (known) return known;
  if (!LEVEL_IDS.includes(id)) throw new Error(`no campaign level "${id}"`);
  const parsed = parseLevel(read(`${id}.json`), `${id}.json`);
  levels.set(id, parsed);
  return parsed;
}

/** The text of every line the event log shows for a run of the level with one of its solutions. */
const narrations = new Map<string, readonly NarrationLine[]>();
/** The event log of a run of level `id`, as a player of `language` reads it. */
function narration(id: string, which: 'reference' | 'naive', language: Language): string[] {
  const key = `${id}.${which}`;
  let lines = narrations.get(key);
  if (lines === undefined) {
    const solution = parseSolution(read(`${key}.solution.json`), `${key}.solution.json`);
    const sim = startLevel({
      level: level(id),
      solution,
      vsps: [...BUILT_IN_VSPS, ...EXAMPLE_VSPS],
    });
    const heard: NarrationLine[] = [];
    sim.on((line) => heard.push(line));
    sim.runToEnd();
    finishLevel(level(id), sim);
    narrations.set(key, heard);
    lines = heard;
  }
  return lines.map((line) => `${line.source}: ${narrationIn(language, line)}`);
}

/** The settings the inspector offers for a built-in VSP plugin. */
const PLUGIN_SETTINGS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'hyperkata.storvsp': STORVSP_SETTINGS,
  'hyperkata.netvsp': NETVSP_SETTINGS,
};

function levelOf(ref: InGameRef): string | null {
  return ref.kind === 'board' || ref.kind === 'notShown' ? null : ref.level;
}

/** How the text names a level: "level 9 (Ring full)" / "fase 9 (Anel cheio)". */
function levelName(id: string, language: 'en' | 'pt-BR'): string {
  const l = level(id);
  const word = language === 'en' ? 'level' : 'fase';
  return `${word} ${String(l.number ?? LEVEL_IDS.indexOf(id) + 1)} (${l.title[language]})`;
}

function hasArea(r: Rect): boolean {
  return r.width > 0 && r.height > 0;
}

/** Whether the host view lays the part out (with something in it) for a level. */
function boardHas(layout: HostLayout, part: string): boolean {
  switch (part) {
    case 'vmwp':
      return layout.vms.length > 0 && layout.vms.every((v) => hasArea(v.vmwp));
    case 'sparkline':
      return layout.vms.length > 0 && layout.vms.every((v) => hasArea(v.sparkline));
    case 'ring':
      return layout.vms.length > 0 && layout.vms.every((v) => hasArea(v.ring));
    case 'vscs':
      return (
        layout.vms.some((v) => v.vscs.length > 0) && layout.vms.every((v) => v.vscs.every(hasArea))
      );
    case 'vsps':
      return layout.vsps.length > 0 && layout.vsps.every(hasArea);
    case 'schedulerGrid':
      return layout.schedulerGrid.length > 0 && layout.schedulerGrid.every(hasArea);
    case 'cores':
      return layout.cores.length > 0 && layout.cores.every(hasArea);
    default: {
      const rect = (layout as unknown as Record<string, Rect | undefined>)[part];
      return rect !== undefined && hasArea(rect);
    }
  }
}

const NOT_SHOWN = {
  en: 'Nothing on screen shows it yet',
  'pt-BR': 'Nada na tela mostra isso ainda',
};

const entries = CODEX.map((e) => [e.id, e] as const);

describe('every codex entry says where the game shows it, and the game has it', () => {
  it.each(entries)('%s points at something', (_id, e: CodexEntry) => {
    expect(e.seenAt.length).toBeGreaterThan(0);
    // "Nothing on screen" stands alone, and the text says it first.
    if (e.seenAt.some((r) => r.kind === 'notShown')) {
      expect(e.seenAt).toHaveLength(1);
      for (const language of LANGUAGES)
        expect(e.inGame[language]).toMatch(new RegExp(`^${NOT_SHOWN[language]}`));
    }
  });

  it.each(entries)('%s names each level it points at, as the map does', (_id, e) => {
    for (const id of new Set(e.seenAt.map(levelOf).filter((l) => l !== null))) {
      for (const language of LANGUAGES)
        expect(e.inGame[language].toLowerCase()).toContain(levelName(id, language).toLowerCase());
    }
  });

  it.each(entries)(
    '%s: each inspector field is unlocked by its level and quoted by label',
    (_id, e) => {
      for (const ref of e.seenAt) {
        if (ref.kind !== 'field') continue;
        expect([ref.level, ref.control, level(ref.level).controls[ref.control]]).toEqual([
          ref.level,
          ref.control,
          true,
        ]);
        for (const language of LANGUAGES)
          expect(e.inGame[language]).toContain(`“${STRING_TABLES[language][ref.label]}”`);
      }
    },
  );

  it.each(entries)('%s: each VSP setting is one the level lets the player change', (_id, e) => {
    for (const ref of e.seenAt) {
      if (ref.kind !== 'vspSetting') continue;
      const l = level(ref.level);
      expect(l.controls.vspSettings).toBe(true);
      expect(l.defaults.vsps.some((v) => v.plugin === ref.plugin)).toBe(true);
      expect(Object.keys(PLUGIN_SETTINGS[ref.plugin] ?? {})).toContain(ref.setting);
      for (const language of LANGUAGES) expect(e.inGame[language]).toContain(ref.setting);
    }
  });

  it.each(entries)('%s: each objective is the level’s, quoted by its label', (_id, e) => {
    for (const ref of e.seenAt) {
      if (ref.kind !== 'objective') continue;
      const objective = level(ref.level).objectives.find((o) => o.metric === ref.metric);
      expect(objective).toBeDefined();
      for (const language of LANGUAGES)
        expect(e.inGame[language]).toContain(`“${objective?.label[language] ?? ''}”`);
    }
  });

  it.each(entries)('%s: each part of the host view is drawn in every level', (_id, e) => {
    for (const ref of e.seenAt) {
      if (ref.kind !== 'board') continue;
      for (const id of LEVEL_IDS) {
        const l = level(id);
        const layout = layoutHost(l.scenario, l.defaults.vsps);
        expect([id, ref.part, boardHas(layout, ref.part)]).toEqual([id, ref.part, true]);
      }
    }
  });
});

describe('the event log shows the lines the codex quotes', () => {
  const logRefs = CODEX.flatMap((e) =>
    e.seenAt.flatMap((r) =>
      r.kind === 'log' ? [[e.id, r.level, r.solution ?? 'reference', r.text, e] as const] : [],
    ),
  );

  it.each(logRefs)(
    '%s: a run of %s (%s) logs “%j”, in each language',
    (_id, id, which, text, e) => {
      for (const language of LANGUAGES) {
        expect(e.inGame[language]).toContain(text[language]);
        const said = narration(id, which, language).filter((line) => line.includes(text[language]));
        expect([language, said.length > 0]).toEqual([language, true]);
      }
    },
  );
});

describe('what the codex says no level shows yet', () => {
  const files = LEVEL_IDS.map((id) => level(id));

  it('no campaign guest floods signals (interrupt-throttling says nothing on screen shows it)', () => {
    const flooders = files.flatMap((l) =>
      l.scenario.vms
        .filter((vm) => vm.hostile?.attacks.includes('signal-flood'))
        .map((vm) => `${l.id}/${vm.name}`),
    );
    expect(flooders).toEqual([]);
  });

  it('no campaign level has an SR-IOV NIC (sr-iov says nothing on screen shows it)', () => {
    const nics = files.flatMap((l) =>
      l.scenario.host.nics.filter((n) => n.sriov).map((n) => `${l.id}/${n.id}`),
    );
    expect(nics).toEqual([]);
  });
});

describe('what the codex says a control does, the run agrees with', () => {
  it('weight-reserve-limit: a limit on level 5’s noisy neighbour does not let db01 go first', () => {
    // The codex said "a noisy neighbour can be tamed with a limit"; level 5's third hint says a
    // maximum on batch01 does not give db01 priority. The run sides with the hint.
    const runWith = (vms: Record<string, unknown>): boolean | undefined => {
      const solution = parseSolution(
        JSON.stringify({ format: 1, level: '05-noisy-neighbour', vms }),
        'codex check',
      );
      const result = playLevel({
        level: level('05-noisy-neighbour'),
        solution,
        vsps: BUILT_IN_VSPS,
      }).result;
      return result.objectives.find((o) => o.id === 'db-latency')?.met;
    };
    expect(runWith({ batch01: { processor: { limitPercent: 50 } } })).toBe(false);
    expect(runWith({ db01: { processor: { weight: 1000 } } })).toBe(true);
    const text = codexEntry('weight-reserve-limit')?.inGame;
    expect(text?.en).toMatch(/limit caps a noisy neighbour but does not let anyone go first/);
    expect(text?.['pt-BR']).toMatch(/limite contém um vizinho barulhento, mas não faz ninguém/);
  });
});
