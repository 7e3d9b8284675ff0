/**
 * What the campaign map needs to know about a level. The integrator replaces the built-in list
 * with one read from levels/ (JSON) by providing another {@link CampaignSource}; scenes only ever
 * see this interface.
 */
import type { Localized } from '../i18n/i18n.js';

/** One condition of a level's unlock rule; a level opens when all of its conditions hold. */
export type UnlockCondition =
  | { readonly kind: 'start' }
  | { readonly kind: 'after'; readonly level: string; readonly minStars: number }
  | { readonly kind: 'totalStars'; readonly min: number };

export interface CampaignLevel {
  /** Stable id, also the key of the level's progress in the save. */
  readonly id: string;
  /** Position in the campaign, from 1. */
  readonly number: number;
  readonly title: Localized;
  /** One or two sentences: what the level asks of the player. */
  readonly brief: Localized;
  /** Codex entry ids of the concepts it teaches. */
  readonly concepts: readonly string[];
  readonly unlock: readonly UnlockCondition[];
}

/**
 * Where the campaign's levels come from.
 *
 * @example
 * const campaign: CampaignSource = { levels: () => loadLevelsFromJson() };
 * startGame(parent, { campaign });
 */
export interface CampaignSource {
  /** The levels in campaign order. */
  levels(): readonly CampaignLevel[];
}

/** Stars a level has earned (0–3), as the save knows them. */
export type StarsOf = (levelId: string) => number;
