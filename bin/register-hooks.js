// Module hooks `hyperkata/register` adds after tsx's: a plugin source or test that does not
// compile is refused the way `hyperkata run --plugin` refuses it — `src/index.ts:38:17: expected
// TypeScript that compiles, found Unexpected ")"` — instead of esbuild's stack trace (tsx's
// TransformError, whose frames are all esbuild's and whose columns count from 0).
import path from 'node:path';

/** `file:line:column: ERROR: text` lines of a TransformError's message (esbuild's own format). */
const ESBUILD_ERROR = /^(.+?):(\d+):(\d+): ERROR: (.*)$/;

/** @type {import('node:module').LoadHook} */
export async function load(url, context, nextLoad) {
  try {
    return await nextLoad(url, context);
  } catch (e) {
    const { name, message } = /** @type {{ name?: unknown, message?: unknown }} */ (e ?? {});
    if (name !== 'TransformError' || typeof message !== 'string') throw e;
    const lines = message.split('\n').flatMap((line) => {
      const m = ESBUILD_ERROR.exec(line);
      if (m === null) return [];
      const [, file, row, column, text] = m;
      // Named from the folder the tests run in, as `hyperkata run` names it; columns from 1.
      const at = `${path.relative(process.cwd(), file)}:${row}:${String(Number(column) + 1)}`;
      return [{ at, text: `${at}: expected TypeScript that compiles, found ${text}` }];
    });
    if (lines.length === 0) throw e;
    const refused = new SyntaxError(lines.map((l) => l.text).join('\n'));
    // Its one frame is the author's line: Node prints it under the message, and nothing else.
    refused.stack = `SyntaxError: ${refused.message}\n    at ${lines[0].at}`;
    throw refused;
  }
}
