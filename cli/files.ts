/** Reading and writing the files the CLI is given, with errors that name them. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { MAX_FILE_BYTES } from '../levels/index.js';
import { messageOf, UsageError } from './errors.js';

/** Reads a text file; a missing or unreadable file, or one too large, is a usage error. */
export function readText(file: string, limit = MAX_FILE_BYTES): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`${file}: no such file`);
  }
  if (size > limit) {
    throw new UsageError(
      `${file}: expected a file of at most ${(limit / (1024 * 1024)).toFixed(0)} MB, found ${(size / (1024 * 1024)).toFixed(1)} MB`,
    );
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot be read (${messageOf(e)})`);
  }
}

/** Writes a text file; a folder that does not exist or a path that is a folder is a usage error. */
export function writeText(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new UsageError(`${file}: cannot be written (${messageOf(e)})`);
  }
}
