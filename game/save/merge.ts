/**
 * Merging two saves' progress (importing a file): the best of both, nothing lost.
 */
import { HIGHER_IS_BETTER, MAX_SOLUTIONS_PER_LEVEL, SCORE_KINDS, emptyProgress } from './format.js';
import type { BestScores, LevelProgress, SaveV2, SavedSolution, ScoreKind } from './format.js';

export interface MergeSummary {
  /** Levels the incoming save had progress for. */
  readonly levels: number;
  /** Solutions that were new to the current save. */
  readonly solutions: number;
}

function better(kind: ScoreKind, a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return HIGHER_IS_BETTER[kind] ? Math.max(a, b) : Math.min(a, b);
}

export function mergeBest(a: BestScores, b: BestScores): BestScores {
  const out: Partial<Record<ScoreKind, number>> = {};
  for (const kind of SCORE_KINDS) {
    const value = better(kind, a[kind], b[kind]);
    if (value !== undefined) out[kind] = value;
  }
  return out;
}

/** Newest last; keeps at most the newest MAX_SOLUTIONS_PER_LEVEL. */
export function capSolutions(solutions: readonly SavedSolution[]): SavedSolution[] {
  const sorted = [...solutions].sort((x, y) => x.savedAt.localeCompare(y.savedAt));
  return sorted.slice(Math.max(0, sorted.length - MAX_SOLUTIONS_PER_LEVEL));
}

export function mergeLevel(
  a: LevelProgress,
  b: LevelProgress,
): { level: LevelProgress; added: number } {
  const known = new Set(a.solutions.map((s) => s.id));
  const fresh = b.solutions.filter((s) => !known.has(s.id));
  return {
    level: {
      stars: Math.max(a.stars, b.stars),
      best: mergeBest(a.best, b.best),
      solutions: capSolutions([...a.solutions, ...fresh]),
    },
    added: fresh.length,
  };
}

/** `current` with `incoming`'s progress merged in; `current`'s settings are kept. */
export function mergeSaves(
  current: SaveV2,
  incoming: SaveV2,
  savedAt: string,
): { save: SaveV2; summary: MergeSummary } {
  const progress: Record<string, LevelProgress> = { ...current.progress };
  let solutions = 0;
  for (const [id, level] of Object.entries(incoming.progress)) {
    const merged = mergeLevel(progress[id] ?? emptyProgress(), level);
    progress[id] = merged.level;
    solutions += merged.added;
  }
  return {
    save: {
      ...current,
      savedAt,
      progress,
      ...(current.lastLevelId === undefined && incoming.lastLevelId !== undefined
        ? { lastLevelId: incoming.lastLevelId }
        : {}),
    },
    summary: { levels: Object.keys(incoming.progress).length, solutions },
  };
}
