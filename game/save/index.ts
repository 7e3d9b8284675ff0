/**
 * Progress, settings and solutions: versioned local saves, migration, backups of unreadable data,
 * file export/import and share links. No DOM: storage is behind {@link KeyValueStorage}.
 */
export {
  BACKUP_KEY_PREFIX,
  HIGHER_IS_BETTER,
  MAX_SOLUTIONS_PER_LEVEL,
  SAVE_FORMAT,
  SAVE_KEY,
  SAVE_VERSION,
  SCORE_KINDS,
  SaveFormatError,
  emptyProgress,
} from './format.js';
export type {
  BestScores,
  JsonObject,
  LevelProgress,
  SaveErrorKind,
  SaveV2,
  SavedSolution,
  ScoreKind,
  SolutionOrigin,
} from './format.js';
export { readSave, migrateV1toV2, V1_LEVEL_IDS, isLevelId } from './migrate.js';
export type { ReadContext, ReadResult } from './migrate.js';
export { mergeSaves } from './merge.js';
export type { MergeSummary } from './merge.js';
export { SPEEDS, defaultSettings, readSettings } from './settings.js';
export type { Environment, Settings, Speed } from './settings.js';
export { MemoryStorage, WebStorage, openStorage } from './storage.js';
export type { KeyValueStorage, OpenedStorage, WebStorageLike } from './storage.js';
export { SaveStore, contentHash } from './store.js';
export type { LoadNotice, NewSolution, RunRecord, SaveStoreOptions } from './store.js';
export {
  SHARE_PARAM,
  ShareLinkError,
  decodeShare,
  encodeShare,
  shareValueFromHash,
} from './share.js';
export type { ShareErrorKind, SharedSolution } from './share.js';
