/**
 * Campaign rules over saved stars: which levels are open, what opens next, where "Continue" goes.
 * Pure functions; the campaign map and the title screen read them.
 */
import type { CampaignLevel, StarsOf, UnlockCondition } from './types.js';

export const MAX_STARS_PER_LEVEL = 3;

export type LevelState = 'locked' | 'open' | 'completed';

export interface ConditionStatus {
  readonly condition: UnlockCondition;
  readonly met: boolean;
}

export function totalStars(levels: readonly CampaignLevel[], starsOf: StarsOf): number {
  return levels.reduce((sum, level) => sum + starsOf(level.id), 0);
}

export function maxStars(levels: readonly CampaignLevel[]): number {
  return levels.length * MAX_STARS_PER_LEVEL;
}

/** Each condition of the level's unlock rule, and whether it holds. */
export function unlockStatus(
  level: CampaignLevel,
  levels: readonly CampaignLevel[],
  starsOf: StarsOf,
): ConditionStatus[] {
  return level.unlock.map((condition) => ({
    condition,
    met: conditionMet(condition, levels, starsOf),
  }));
}

function conditionMet(
  condition: UnlockCondition,
  levels: readonly CampaignLevel[],
  starsOf: StarsOf,
): boolean {
  switch (condition.kind) {
    case 'start':
      return true;
    case 'after':
      return starsOf(condition.level) >= condition.minStars;
    case 'totalStars':
      return totalStars(levels, starsOf) >= condition.min;
  }
}

export function isUnlocked(
  level: CampaignLevel,
  levels: readonly CampaignLevel[],
  starsOf: StarsOf,
): boolean {
  return unlockStatus(level, levels, starsOf).every((s) => s.met);
}

export function levelState(
  level: CampaignLevel,
  levels: readonly CampaignLevel[],
  starsOf: StarsOf,
): LevelState {
  if (starsOf(level.id) > 0) return 'completed';
  return isUnlocked(level, levels, starsOf) ? 'open' : 'locked';
}

/** Levels whose unlock rule names this one (what finishing it opens). */
export function opensNext(level: CampaignLevel, levels: readonly CampaignLevel[]): CampaignLevel[] {
  return levels.filter((other) =>
    other.unlock.some((c) => c.kind === 'after' && c.level === level.id),
  );
}

/**
 * Where "Continue" goes: the first open level not yet finished; else the first open level short
 * of three stars; else the last level.
 */
export function nextLevel(
  levels: readonly CampaignLevel[],
  starsOf: StarsOf,
): CampaignLevel | undefined {
  const open = levels.filter((level) => isUnlocked(level, levels, starsOf));
  return (
    open.find((level) => starsOf(level.id) === 0) ??
    open.find((level) => starsOf(level.id) < MAX_STARS_PER_LEVEL) ??
    levels.at(-1)
  );
}
