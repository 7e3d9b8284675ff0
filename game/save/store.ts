/**
 * The save store: loads progress and settings at start (migrating old formats, keeping unreadable
 * data as a backup and saying so), writes every change, exports and imports files.
 * It never throws at start: whatever is in storage, the game gets a usable save.
 */
import {
  BACKUP_KEY_PREFIX,
  SAVE_FORMAT,
  SAVE_KEY,
  SAVE_VERSION,
  SaveFormatError,
  emptyProgress,
} from './format.js';
import type {
  BestScores,
  JsonObject,
  LevelProgress,
  SaveV2,
  SavedSolution,
  SolutionOrigin,
} from './format.js';
import { capSolutions, mergeBest, mergeSaves } from './merge.js';
import type { MergeSummary } from './merge.js';
import { readSave } from './migrate.js';
import type { Settings } from './settings.js';
import type { KeyValueStorage } from './storage.js';

/** Something about loading the player should be told. */
export type LoadNotice =
  | {
      readonly kind: 'corrupt';
      readonly error: SaveFormatError;
      /** Where the unreadable data was kept; absent if it could not be. */
      readonly backupKey?: string;
      /** The unreadable data, for "download the copy". */
      readonly raw: string;
    }
  | { readonly kind: 'migrated'; readonly from: number; readonly to: number }
  | { readonly kind: 'storage-unavailable' };

export interface SaveStoreOptions {
  readonly storage: KeyValueStorage;
  /** False when `storage` is the in-memory fallback. */
  readonly persistent?: boolean;
  readonly defaults: Settings;
  readonly now: () => Date;
}

export interface RunRecord {
  readonly stars: number;
  readonly scores: BestScores;
}

export interface NewSolution {
  readonly name: string;
  readonly data: JsonObject;
  readonly origin: SolutionOrigin;
  /** Give shared solutions a content-derived id so the same link is not added twice. */
  readonly id?: string;
}

type Listener<T> = (value: T) => void;

/** FNV-1a, 32 bits, as base 36: short content ids. Not for security. */
export function contentHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

export class SaveStore {
  private current: SaveV2;
  private readonly changeListeners = new Set<Listener<SaveV2>>();
  private readonly problemListeners = new Set<Listener<string>>();
  private lastProblem = '';

  private constructor(
    private readonly options: SaveStoreOptions,
    save: SaveV2,
  ) {
    this.current = save;
  }

  /**
   * Reads the save from storage. Unreadable data is copied to a backup key and replaced by a
   * fresh save; an old format is migrated and written back.
   *
   * @example
   * const { store, notices } = SaveStore.open({ storage, defaults, now: () => new Date() });
   * for (const notice of notices) showNotice(notice);
   */
  static open(options: SaveStoreOptions): { store: SaveStore; notices: LoadNotice[] } {
    const notices: LoadNotice[] = [];
    if (options.persistent === false) notices.push({ kind: 'storage-unavailable' });
    const raw = options.storage.getItem(SAVE_KEY);
    const fresh = SaveStore.fresh(options);
    if (raw === null) return { store: new SaveStore(options, fresh), notices };
    try {
      const { save, migratedFrom } = readSave(raw, options);
      const store = new SaveStore(options, save);
      if (migratedFrom !== undefined) {
        notices.push({ kind: 'migrated', from: migratedFrom, to: SAVE_VERSION });
        store.persist();
      }
      return { store, notices };
    } catch (error) {
      if (!SaveFormatError.is(error)) throw error;
      const backupKey = SaveStore.keepBackup(options, raw);
      const store = new SaveStore(options, fresh);
      store.persist();
      notices.push({ kind: 'corrupt', error, raw, ...(backupKey ? { backupKey } : {}) });
      return { store, notices };
    }
  }

  private static fresh(options: SaveStoreOptions): SaveV2 {
    return {
      format: SAVE_FORMAT,
      version: SAVE_VERSION,
      savedAt: options.now().toISOString(),
      settings: options.defaults,
      progress: {},
    };
  }

  private static keepBackup(options: SaveStoreOptions, raw: string): string | undefined {
    const stamp = BACKUP_KEY_PREFIX + options.now().toISOString();
    // Never overwrite an earlier backup, even one made in the same millisecond.
    let key = stamp;
    for (let n = 2; options.storage.getItem(key) !== null; n++) key = `${stamp}-${n}`;
    try {
      options.storage.setItem(key, raw);
      return key;
    } catch {
      return undefined;
    }
  }

  get save(): SaveV2 {
    return this.current;
  }

  get settings(): Settings {
    return this.current.settings;
  }

  progressOf(levelId: string): LevelProgress {
    return this.current.progress[levelId] ?? emptyProgress();
  }

  /** Stars of a level (0–3); a stable function to hand to campaign rules. */
  readonly starsOf = (levelId: string): number => this.progressOf(levelId).stars;

  updateSettings(patch: Partial<Settings>): void {
    this.commit({ ...this.current, settings: { ...this.current.settings, ...patch } });
  }

  setLastLevel(levelId: string): void {
    this.commit({ ...this.current, lastLevelId: levelId });
  }

  /**
   * Keeps the better stars and the better of each score (Results will call this). A run that
   * missed an objective (0 stars) sets no best: its scores are not a solution's (an unconnected
   * VSC drops its I/O, so the latency of what still completes looks better than a working host's).
   */
  recordRun(levelId: string, run: RunRecord): void {
    const level = this.progressOf(levelId);
    const stars = Math.min(3, Math.max(0, Math.round(run.stars)));
    this.commitLevel(levelId, {
      ...level,
      stars: Math.max(level.stars, stars),
      best: stars > 0 ? mergeBest(level.best, run.scores) : level.best,
    });
  }

  /** Saves a solution for a level; returns it (or the one already saved with that id). */
  saveSolution(levelId: string, solution: NewSolution): SavedSolution {
    const level = this.progressOf(levelId);
    const savedAt = this.options.now().toISOString();
    const id = solution.id ?? `s-${contentHash(savedAt + JSON.stringify(solution.data))}`;
    const existing = level.solutions.find((s) => s.id === id);
    if (existing) return existing;
    const saved: SavedSolution = {
      id,
      name: solution.name,
      savedAt,
      origin: solution.origin,
      data: solution.data,
    };
    this.commitLevel(levelId, { ...level, solutions: capSolutions([...level.solutions, saved]) });
    return saved;
  }

  /** The whole save as a file the player keeps. */
  exportFile(): { fileName: string; text: string } {
    const date = this.options.now().toISOString().slice(0, 10);
    return {
      fileName: `hyperkata-progress-${date}.json`,
      text: JSON.stringify(this.current, null, 2) + '\n',
    };
  }

  /**
   * Merges an exported file (any known format) into the current progress: the best of both.
   * Throws {@link SaveFormatError} and changes nothing if the file cannot be read.
   */
  importFile(text: string): MergeSummary {
    const { save: incoming } = readSave(text, this.options);
    const { save, summary } = mergeSaves(this.current, incoming, this.options.now().toISOString());
    this.commit(save);
    return summary;
  }

  onChange(listener: Listener<SaveV2>): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Told (once per distinct reason) when a write to storage fails. */
  onProblem(listener: Listener<string>): () => void {
    this.problemListeners.add(listener);
    return () => this.problemListeners.delete(listener);
  }

  private commitLevel(levelId: string, level: LevelProgress): void {
    this.commit({ ...this.current, progress: { ...this.current.progress, [levelId]: level } });
  }

  private commit(next: SaveV2): void {
    this.current = { ...next, savedAt: this.options.now().toISOString() };
    this.persist();
    for (const listener of [...this.changeListeners]) listener(this.current);
  }

  private persist(): void {
    try {
      this.options.storage.setItem(SAVE_KEY, JSON.stringify(this.current));
      this.lastProblem = '';
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (reason === this.lastProblem) return;
      this.lastProblem = reason;
      for (const listener of [...this.problemListeners]) listener(reason);
    }
  }
}
