/**
 * The campaign on disk: `levels/campaign/NN-slug.json`, each with its reference and naive solutions
 * beside it (`NN-slug.reference.solution.json`, `NN-slug.naive.solution.json`).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLevel, parseSolution } from '../levels/index.js';
import type { Level, Solution } from '../levels/index.js';
import { UsageError } from './errors.js';
import { readText } from './files.js';

export const CAMPAIGN_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../levels/campaign',
);

export interface CampaignEntry {
  readonly file: string;
  readonly level: Level;
  readonly referenceFile: string;
  readonly naiveFile: string;
}

export function campaignFiles(dir = CAMPAIGN_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^\d\d-[a-z0-9-]+\.json$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

export function loadCampaign(dir = CAMPAIGN_DIR): CampaignEntry[] {
  return campaignFiles(dir).map((file) => ({
    file,
    level: parseLevel(readText(file), path.relative(process.cwd(), file)),
    referenceFile: file.replace(/\.json$/, '.reference.solution.json'),
    naiveFile: file.replace(/\.json$/, '.naive.solution.json'),
  }));
}

/** A level by campaign id (`01-first-partition` or just `1`/`01`) or by the path of a level file. */
export function findLevel(ref: string, dir = CAMPAIGN_DIR): { level: Level; file: string } {
  if (ref.endsWith('.json') || ref.includes('/')) {
    return { level: parseLevel(readText(ref), ref), file: ref };
  }
  return findCampaignLevel(ref, dir);
}

/**
 * A campaign level by id or number only — never a path: for ids read from files (a solution's
 * `level`), which must not make the CLI open whatever path they name.
 */
export function findCampaignLevel(ref: string, dir = CAMPAIGN_DIR): { level: Level; file: string } {
  const entries = loadCampaign(dir);
  const n = /^\d+$/.test(ref) ? Number(ref) : Number.NaN;
  const found = entries.find(
    (e) => e.level.id === ref || e.level.number === n || path.basename(e.file, '.json') === ref,
  );
  if (found === undefined) {
    const ids = entries.map((e) => e.level.id).join(', ');
    // Part of one level's id ("noisy", "memory-pressure"): name it, but do not guess a run.
    const partOf = entries.filter((e) => ref !== '' && e.level.id.includes(ref.toLowerCase()));
    const meant = partOf.length === 1 ? ` — did you mean ${partOf[0]?.level.id ?? ''}?` : '';
    throw new UsageError(
      `no level "${ref}" in the campaign${meant} (levels: ${ids || 'none'}); give a campaign id or the path of a level file`,
    );
  }
  return { level: found.level, file: path.relative(process.cwd(), found.file) };
}

export function readSolution(file: string): Solution {
  return parseSolution(readText(file), file);
}
