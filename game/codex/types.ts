/**
 * The shape of a codex entry. Plain data with no DOM or Phaser, so the game, the CLI and the tests
 * can all import it.
 */
import type { Controls } from '../../levels/schema/level.js';
import type { Localized, StringKey } from '../i18n/i18n.js';

/**
 * Where a fact comes from. The first four are the source keys of docs/HYPERV.md:
 * L = the Linux kernel, O = microsoft/openvmm, T = the Hyper-V Top-Level Functional Specification,
 * WS = Windows Server docs. VD = Microsoft's "Hyper-V Architecture" page (the glossary the seed
 * article translates), CVE = a published security advisory, SEED = the seed article itself.
 */
export type SourceKey = 'L' | 'O' | 'T' | 'WS' | 'VD' | 'CVE' | 'SEED';

/** The keys that name a public technical source (not only the seed or its glossary). */
export const TECHNICAL_SOURCES: readonly SourceKey[] = ['L', 'O', 'T', 'WS', 'CVE'];

export const SOURCE_NAMES: Readonly<Record<SourceKey, Localized>> = {
  L: { en: 'Linux kernel', 'pt-BR': 'Kernel Linux' },
  O: { en: 'microsoft/openvmm', 'pt-BR': 'microsoft/openvmm' },
  T: {
    en: 'Hyper-V Top-Level Functional Specification',
    'pt-BR': 'Especificação Funcional de Alto Nível (TLFS) do Hyper-V',
  },
  WS: { en: 'Windows Server docs', 'pt-BR': 'Documentação do Windows Server' },
  VD: {
    en: 'Microsoft Virtualization docs: Hyper-V Architecture',
    'pt-BR': 'Documentação de virtualização da Microsoft: Arquitetura do Hyper-V',
  },
  CVE: { en: 'Security advisory', 'pt-BR': 'Boletim de segurança' },
  SEED: {
    en: 'The article Hyperkata is based on: Hyper-V 2016 architecture (in Portuguese)',
    'pt-BR': 'O artigo que deu origem ao Hyperkata: arquitetura do Hyper-V 2016',
  },
};

export interface CodexSource {
  readonly key: SourceKey;
  /** A file, section or page, concrete enough to find: `drivers/hv/ring_buffer.c`. */
  readonly ref: string;
}

export type CodexKind = 'glossary' | 'mechanic';

export interface CodexEntry {
  /** Stable id, used by levels' concept lists and links: `vmbus`, `flow-control`. */
  readonly id: string;
  readonly kind: CodexKind;
  /** The term as shown (acronyms stay the same in both languages). */
  readonly term: Localized;
  /** What an acronym stands for. */
  readonly expansion?: Localized;
  /** For glossary entries: the term exactly as the seed article's glossary names it. */
  readonly seedTerm?: string;
  /** One sentence. */
  readonly summary: Localized;
  /** The explanation; paragraphs separated by a blank line. */
  readonly body: Localized;
  /**
   * Where the player meets it in the game: what is on screen, where, and in which level. Every
   * sentence must be true of the game as built; `seenAt` lists what it points at.
   */
  readonly inGame: Localized;
  /** What `inGame` points at, so a test can check that the game still has each (in-game.test.ts). */
  readonly seenAt: readonly InGameRef[];
  /** What the simulation simplifies, if anything. Absent = modelled as described. */
  readonly simplification?: Localized;
  readonly sources: readonly CodexSource[];
  readonly related: readonly string[];
}

/** The parts of the Play scene's host view an entry may point at (keys of its layout). */
export type BoardPart =
  | 'children'
  | 'root'
  | 'vmms'
  | 'vmwp'
  | 'vsps'
  | 'vscs'
  | 'lanes'
  | 'sparkline'
  | 'ring'
  | 'hypervisor'
  | 'schedulerGrid'
  | 'counters'
  | 'cores';

/**
 * One thing an entry's `inGame` text points at. Each kind says what the test checks; every one
 * tied to a level also needs `inGame` to name that level as "level N (Title)" / "fase N (Título)".
 */
export type InGameRef =
  /** A campaign level where the player meets it. */
  | { readonly kind: 'level'; readonly level: string }
  /** An inspector field the level unlocks; `inGame` quotes the field's label in each language. */
  | {
      readonly kind: 'field';
      readonly level: string;
      readonly control: keyof Controls;
      readonly label: StringKey;
    }
  /** A setting of a VSP of the level, which the level lets the player change; `inGame` names it. */
  | {
      readonly kind: 'vspSetting';
      readonly level: string;
      readonly plugin: string;
      readonly setting: string;
    }
  /** An objective of the level (live in the side panel); `inGame` quotes its label. */
  | { readonly kind: 'objective'; readonly level: string; readonly metric: string }
  /**
   * Words the event log shows, in each language, when the level runs with its reference solution
   * (or its naive one, which leaves the level as it starts); `inGame` quotes them.
   */
  | {
      readonly kind: 'log';
      readonly level: string;
      readonly text: Localized;
      readonly solution?: 'naive';
    }
  /** A part of the host view, drawn for every level. */
  | { readonly kind: 'board'; readonly part: BoardPart }
  /** Nothing on screen shows it in the campaign; `inGame` opens by saying so. */
  | { readonly kind: 'notShown' };
