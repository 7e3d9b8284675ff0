/**
 * The shape of a codex entry. Plain data with no DOM or Phaser, so the game, the CLI and the tests
 * can all import it.
 */
import type { Localized } from '../i18n/i18n.js';

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
    en: 'Seed article: Hyper-V 2016 architecture (pt-BR)',
    'pt-BR': 'Artigo-semente: arquitetura do Hyper-V 2016',
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
  /** Where the player meets it in the game. */
  readonly inGame: Localized;
  /** What the simulation simplifies, if anything. Absent = modelled as described. */
  readonly simplification?: Localized;
  readonly sources: readonly CodexSource[];
  readonly related: readonly string[];
}
