/**
 * Where an offset of a text is, as an editor or a terminal reads it (1-based line and column):
 * the place a refused file — a level, a solution, a plugin's source — is named at.
 */

/**
 * @example
 * ```ts
 * lineAndColumn('{\n  "id": 1\n}', 4); // { line: 2, column: 3 }
 * ```
 */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column };
}
