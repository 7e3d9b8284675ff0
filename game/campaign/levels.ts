/**
 * The campaign: the level files of levels/campaign/*.json, bundled at build time. The map only
 * needs a level's id, number, title, briefing and concepts, read here from the raw JSON; the Play
 * scene parses the full file with the levels/ schema when the level opens (in its lazy chunk), so
 * zod and the simulation core stay out of the first download. Level ids are the keys of saved
 * progress.
 */
import level01 from '../../levels/campaign/01-first-partition.json' with { type: 'json' };
import level02 from '../../levels/campaign/02-two-lanes.json' with { type: 'json' };
import level03 from '../../levels/campaign/03-legacy-guest.json' with { type: 'json' };
import level04 from '../../levels/campaign/04-the-root-works-too.json' with { type: 'json' };
import level05 from '../../levels/campaign/05-noisy-neighbour.json' with { type: 'json' };
import level06 from '../../levels/campaign/06-isolated-cores.json' with { type: 'json' };
import level07 from '../../levels/campaign/07-memory-pressure.json' with { type: 'json' };
import level08 from '../../levels/campaign/08-interrupt-storm.json' with { type: 'json' };
import level09 from '../../levels/campaign/09-ring-full.json' with { type: 'json' };
import level10 from '../../levels/campaign/10-two-disks.json' with { type: 'json' };
import level11 from '../../levels/campaign/11-hostile-guest.json' with { type: 'json' };
import level12 from '../../levels/campaign/12-consolidation.json' with { type: 'json' };
import type { Localized } from '../i18n/i18n.js';
import type { CampaignLevel, CampaignSource } from './types.js';

/** The part of a level file the campaign map reads. */
export interface RawLevelFile {
  readonly id: string;
  readonly number?: number;
  readonly title: Localized;
  readonly briefing: Localized;
  readonly concepts: readonly { readonly codex?: readonly string[] }[];
}

/** The raw level files, in campaign order (the file name's NN). */
export const LEVEL_FILES: readonly unknown[] = [
  level01,
  level02,
  level03,
  level04,
  level05,
  level06,
  level07,
  level08,
  level09,
  level10,
  level11,
  level12,
];

/** One map entry per level file; each opens once the one before has a star. */
export function campaignFromFiles(files: readonly RawLevelFile[]): CampaignLevel[] {
  return files.map((file, index) => ({
    id: file.id,
    number: file.number ?? index + 1,
    title: file.title,
    brief: file.briefing,
    concepts: [...new Set(file.concepts.flatMap((c) => c.codex ?? []))],
    unlock:
      index === 0
        ? [{ kind: 'start' }]
        : [{ kind: 'after', level: files[index - 1].id, minStars: 1 }],
  }));
}

export const CAMPAIGN_LEVELS: readonly CampaignLevel[] = campaignFromFiles(
  LEVEL_FILES as readonly RawLevelFile[],
);

/** The raw file of a level, for the Play scene to parse. */
export function levelFile(id: string): unknown {
  return LEVEL_FILES.find((f) => (f as RawLevelFile).id === id);
}

export const BUILT_IN_CAMPAIGN: CampaignSource = { levels: () => CAMPAIGN_LEVELS };
