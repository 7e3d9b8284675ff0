/** Reading and writing the files the CLI is given, with errors that name them. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { HyperkataError } from '../core/index.js';
import { MAX_FILE_BYTES } from '../levels/index.js';
import { messageOf, UsageError } from './errors.js';

/**
 * Reads a text file; a missing or unreadable file, one too large, or anything but a regular file
 * (a folder, a device such as /dev/zero, a named pipe that would block) is a usage error.
 */
export function readText(file: string, limit = MAX_FILE_BYTES): string {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) {
      const kind = stat.isDirectory()
        ? 'a folder'
        : stat.isFIFO()
          ? 'a named pipe'
          : stat.isSocket()
            ? 'a socket'
            : 'a device';
      throw new UsageError(`${file}: expected a regular file, found ${kind}`);
    }
    size = stat.size;
  } catch (e) {
    if (HyperkataError.is(e)) throw e;
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
