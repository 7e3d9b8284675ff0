/**
 * How the CLI ends: exit codes other tools can rely on (0 success, 1 objectives not met, 2 bad
 * input or usage) and user mistakes printed as one readable message — never a stack trace.
 */
import { HyperkataError } from '../core/index.js';

export const EXIT_OK = 0;
export const EXIT_NOT_MET = 1;
export const EXIT_BAD_INPUT = 2;

/** The languages of the CLI's summaries (`--lang`); another is a usage error. */
export const LANGS = ['en', 'pt-BR'] as const;

/** A mistake of the person running the command (a missing file, an unknown level). */
export class UsageError extends HyperkataError {
  constructor(message: string) {
    super('usage', message);
    this.name = 'UsageError';
  }
}

/** An error's own message (errors from node:fs may come from another realm, e.g. under Jest). */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/** Prints an error for a person and returns the exit code it deserves. */
export function reportError(error: unknown, write: (text: string) => void): number {
  if (HyperkataError.is(error)) {
    write(`hyperkata: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  write(`hyperkata: internal error — please report it with the command you ran.\n${message}\n`);
  return 70;
}
