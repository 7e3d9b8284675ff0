/**
 * The core's typed errors. One class per family, each with a `kind` and an `is()` guard
 * (the inversify habit), raised where the problem is detected and turned into a readable
 * message at the edge (CLI, game).
 */

import type { ConfigurationReason } from './configuration-reasons.js';

/** One problem in an input, located by a path inside it. */
export interface InputIssue {
  /** Where the problem is, e.g. `["vms", "db01", "memory", "minimumMiB"]`. */
  readonly path: readonly (string | number)[];
  /** What a valid value looks like, in plain words. */
  readonly expected: string;
  /** What was there instead (already shortened for display). */
  readonly found: string;
  /**
   * Why, as an id and its parameters, for a language other than English: set by the
   * configuration checks a player can reach, from which `expected` and `found` are derived
   * (`refusal`, configuration-reasons.ts). Schema issues (parse.ts) and a plugin's own settings
   * issues have none.
   */
  readonly reason?: ConfigurationReason;
}

/** Base of every error the core raises on purpose. */
export class HyperkataError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = 'HyperkataError';
  }

  static is(value: unknown): value is HyperkataError {
    return value instanceof HyperkataError;
  }
}

/**
 * A scenario or configuration the model cannot run: refused before the run starts, never
 * thrown from inside one. `issues` lists every problem found, not just the first.
 */
export class ConfigurationError extends HyperkataError {
  declare readonly kind: 'configuration';

  constructor(
    /** Which input: `"scenario"` or `"configuration"` (the CLI replaces it with a file name). */
    readonly source: string,
    readonly issues: readonly InputIssue[],
  ) {
    super('configuration', ConfigurationError.describe(source, issues));
    this.name = 'ConfigurationError';
  }

  static override is(value: unknown): value is ConfigurationError {
    return value instanceof ConfigurationError;
  }

  /** `source: path.to.field: expected …, found …` — one line per issue. */
  static describe(source: string, issues: readonly InputIssue[]): string {
    return issues
      .map((i) => `${source}: ${formatPath(i.path)}: expected ${i.expected}, found ${i.found}`)
      .join('\n');
  }
}

/** `["vms", "db01", "disks", 0]` → `vms.db01.disks[0]`. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Shortens any value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null)
    return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return 'an object';
}
