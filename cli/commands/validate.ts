/**
 * `hyperkata validate FILE... [--plugin FILE] [--json]`: checks level and solution files. A solution is also
 * checked against its level: a level file given alongside it with that id, else the campaign's —
 * but when level files are given, a solution for none of them is refused.
 * `--plugin` loads third-party VSPs, so a solution may name their ids. Prints every problem with
 * file and path; `--json` prints one JSON line per file on stdout instead of the ✔ lines, for a
 * teacher's script (the ✘ words still go to stderr). Exit 0 when all are valid, 2 otherwise.
 */
import type { Command } from 'commander';
import type { Level } from '../../levels/index.js';
import type { VspModule } from '../../core/index.js';
import {
  catalogOf,
  ConfigurationError,
  formatPath,
  HyperkataError,
  parseConfiguration,
} from '../../core/index.js';
import {
  checkLevel,
  parseJsonText,
  parseLevel,
  parseSolution,
  resolveConfiguration,
} from '../../levels/index.js';
import { PluginError } from '../../plugins/sdk/load.js';
import { findCampaignLevel } from '../campaign.js';
import type { CliEnv } from '../env.js';
import { pluginsFor } from '../env.js';
import { EXIT_BAD_INPUT, EXIT_OK } from '../errors.js';
import { readText } from '../files.js';
import { pointAtPluginOption } from '../plugin-usage.js';
import { collect } from '../options.js';

export function registerValidate(
  program: Command,
  env: CliEnv,
  setExit: (code: number) => void,
): void {
  program
    .command('validate')
    .description('check level and solution files')
    .argument('<files...>', 'level files and *.solution.json files')
    .option(
      '--plugin <file>',
      'load a VSP plugin file, so solutions may name its id (repeatable; runs in the sandbox)',
      collect,
    )
    .option(
      '--json',
      'print one JSON line per file: {file, kind, ok, level, checkedAgainst, errors: [{file, path, message, expected, found}]} (the words still go to stderr)',
    )
    .action(async (files: string[], opts: { plugin?: string[]; json?: boolean }) => {
      let vsps: readonly VspModule[];
      try {
        vsps = await pluginsFor(env, opts.plugin ?? []);
      } catch (e) {
        // A --plugin that does not load leaves every file unchecked: a teacher's script still
        // gets each file's line, with the plugin's problems (the words go to stderr, exit 2).
        if (opts.json === true && HyperkataError.is(e))
          for (const file of files) env.out(JSON.stringify(uncheckedJson(file, e)) + '\n');
        throw e;
      }
      const catalog = catalogOf(vsps);
      const given = levelsGiven(files);
      let bad = 0;
      for (const file of files) {
        const checked: Checked = { kind: file.endsWith('.solution.json') ? 'solution' : null };
        try {
          checkFile(env, { file, given, vsps, catalog }, checked);
          if (opts.json === true) env.out(JSON.stringify(validateJson(file, checked, null)) + '\n');
          else if (checked.kind === 'solution')
            env.out(`✔ ${file}: a valid solution${againstText(checked)}\n`);
          else env.out(`✔ ${file}: a valid level (${checked.level ?? ''})\n`);
        } catch (caught) {
          const e = pointAtPluginOption(caught, opts.plugin ?? []);
          if (!HyperkataError.is(e)) throw e;
          bad++;
          if (opts.json === true) env.out(JSON.stringify(validateJson(file, checked, e)) + '\n');
          env.err(`✘ ${e.message}\n`);
        }
      }
      setExit(bad === 0 ? EXIT_OK : EXIT_BAD_INPUT);
    });
}

/** What checking a file found out about it, filled in as far as the check got. */
interface Checked {
  /** `null` until the file is read as JSON (a `*.solution.json` name says it from the start). */
  kind: 'level' | 'solution' | null;
  /** A level's id, or the id of the level a solution is for. */
  level?: string;
  /** The level file a solution was checked against; `null` when its level is not known. */
  checkedAgainst?: string | null;
  /** Whether that level file was given alongside (else it is the campaign's). */
  givenAlongside?: boolean;
}

function againstText(checked: Checked): string {
  if (checked.checkedAgainst === null)
    return ' (its level is not in the campaign: checked on its own)';
  if (checked.checkedAgainst === undefined || checked.level === undefined) return '';
  return checked.givenAlongside === true
    ? ` (checked against ${checked.level} in ${checked.checkedAgainst})`
    : ` (checked against ${checked.level})`;
}

interface CheckInput {
  readonly file: string;
  readonly given: ReadonlyMap<string, { level: Level; file: string }>;
  readonly vsps: readonly VspModule[];
  readonly catalog: ReturnType<typeof catalogOf>;
}

/** Checks one file, recording in `checked` what it is; throws the first error found. */
function checkFile(env: CliEnv, input: CheckInput, checked: Checked): void {
  const { file, given, vsps, catalog } = input;
  const text = readText(file);
  const json = parseJsonText(text, file) as Record<string, unknown> | null;
  const isSolution =
    file.endsWith('.solution.json') ||
    (json !== null && typeof json === 'object' && 'level' in json && !('scenario' in json));
  checked.kind = isSolution ? 'solution' : 'level';
  if (!isSolution) {
    const level = parseLevel(text, file);
    checked.level = level.id;
    checkLevel(level, vsps, file);
    return;
  }
  const solution = parseSolution(text, file);
  checked.level = solution.level;
  // A teacher checking a class against her level: a solution written for another level (one of
  // the campaign's, say) is a wrong hand-in, not a valid solution.
  if (given.size > 0 && !given.has(solution.level))
    throw new ConfigurationError(file, [
      {
        path: ['level'],
        expected: `the id of a level given with it (${[...given.keys()].join(', ')})`,
        found: JSON.stringify(solution.level),
      },
    ]);
  let found: { level: Level; file: string };
  try {
    found = given.get(solution.level) ?? findCampaignLevel(solution.level, env.campaignDir);
  } catch (e) {
    if (HyperkataError.is(e) && e.kind === 'usage') {
      checked.checkedAgainst = null;
      return;
    }
    throw e;
  }
  checked.checkedAgainst = found.file;
  checked.givenAlongside = given.has(solution.level);
  const scenario = checkLevel(found.level, vsps, found.file);
  const config = resolveConfiguration(found.level, solution, file);
  parseConfiguration(scenario, config, catalog, file);
}

/** One problem with a file as `validate --json` prints it. */
export interface ValidateErrorJson {
  /** The file the problem is in: the solution's, or its level's when that is the faulty one. */
  readonly file: string;
  /** Where in it (`channels[0].vm`, `line 3, column 12`, `(root)`); `null` for the whole file. */
  readonly path: string | null;
  /** The line the words print on stderr. */
  readonly message: string;
  readonly expected: string | null;
  readonly found: string | null;
  /** A --plugin's problem: where in its sources (`src/index.ts:38:17`), when known. */
  readonly at?: string;
}

/** A file's line when a --plugin did not load, so that nothing was checked: the plugin's errors. */
function uncheckedJson(file: string, e: HyperkataError): ValidateJson {
  return {
    file,
    kind: file.endsWith('.solution.json') ? 'solution' : null,
    ok: false,
    level: null,
    errors: PluginError.is(e)
      ? e.issues.map((i) => ({
          file: e.source,
          path: i.path.length === 0 ? null : formatPath(i.path),
          message: new PluginError(e.source, [i]).message,
          expected: i.expected,
          found: i.found,
          ...(i.at === undefined ? {} : { at: i.at }),
        }))
      : [{ file, path: null, message: e.message, expected: null, found: null }],
  };
}

/** `validate --json`: one line per file given, in the order given. */
export interface ValidateJson {
  readonly file: string;
  /** `null` when the file could not be read as JSON and its name does not end in .solution.json. */
  readonly kind: 'level' | 'solution' | null;
  readonly ok: boolean;
  /** A level's id, or the id of the level a solution is for (once the file was read that far). */
  readonly level: string | null;
  /**
   * For a solution: the level file it was checked against, or `null` when its level is neither
   * given nor in the campaign (checked on its own). Absent for a level.
   */
  readonly checkedAgainst?: string | null;
  readonly errors: readonly ValidateErrorJson[];
}

function validateJson(file: string, checked: Checked, error: HyperkataError | null): ValidateJson {
  const errors: ValidateErrorJson[] =
    error === null
      ? []
      : ConfigurationError.is(error)
        ? error.issues.map((i) => ({
            file: error.source,
            path: formatPath(i.path),
            message: ConfigurationError.describe(error.source, [i]),
            expected: i.expected,
            found: i.found,
          }))
        : [{ file, path: null, message: error.message, expected: null, found: null }];
  return {
    file,
    kind: checked.kind,
    ok: error === null,
    level: checked.level ?? null,
    ...(checked.kind === 'solution' && checked.checkedAgainst !== undefined
      ? { checkedAgainst: checked.checkedAgainst }
      : {}),
    errors,
  };
}

/** The levels among `files`, by id: a solution is checked against the level given with it. */
function levelsGiven(files: readonly string[]): Map<string, { level: Level; file: string }> {
  const levels = new Map<string, { level: Level; file: string }>();
  for (const file of files) {
    if (file.endsWith('.solution.json')) continue;
    try {
      const text = readText(file);
      const json = parseJsonText(text, file) as Record<string, unknown> | null;
      if (json === null || typeof json !== 'object' || !('scenario' in json)) continue;
      const level = parseLevel(text, file);
      levels.set(level.id, { level, file });
    } catch (e) {
      // The main pass reports it.
      if (!HyperkataError.is(e)) throw e;
    }
  }
  return levels;
}
