import { describe, expect, it } from '@jest/globals';
import { SourceMap } from 'node:module';
import type { SourceMapPayload } from 'node:module';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePluginWithSourceMap } from '../loader/index.js';
import { originalName, relocateFrames, sourceLocator } from './source-map.js';

const FIXTURE = fileURLToPath(
  new URL('../sandbox/testing/fixtures/misbehaving-storage.ts', import.meta.url),
);

describe('stack locations of a bundled plugin', () => {
  it('maps every position of a real bundle as Node’s own source-map reader does', async () => {
    const { code, sourceMap } = await bundlePluginWithSourceMap(
      { file: FIXTURE },
      { mode: 'sandbox', source: 'fixture.ts' },
    );
    const node = new SourceMap(JSON.parse(sourceMap) as SourceMapPayload);
    const locate = sourceLocator(sourceMap);
    const lines = code.split('\n');
    let compared = 0;
    for (let line = 0; line < lines.length; line += 7) {
      for (let column = 0; column <= lines[line].length; column += 3) {
        const entry = node.findEntry(line, column) as Partial<{
          generatedLine: number;
          originalSource: string;
          originalLine: number;
          originalColumn: number;
        }>;
        // Node's reader falls back to an earlier line; ours only maps within the line.
        if (entry.generatedLine !== line) continue;
        compared++;
        expect(locate(line + 1, column + 1)).toMatchObject({
          source: entry.originalSource,
          line: (entry.originalLine ?? -1) + 1,
          column: (entry.originalColumn ?? -1) + 1,
        });
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('rewrites only the frames that name the bundle, with or without a column', () => {
    const locate = sourceLocator(
      // Base64 VLQ (source map v3), 0-based: line 2 from column 4 is source 0, line 11, column
      // 1 (IAWC); line 3 from column 2 is source +1, same line and column (ECAA).
      JSON.stringify({
        version: 3,
        sources: ['src/index.ts', 'src/a.ts'],
        mappings: ';;IAWC;ECAA',
      }),
    );
    expect(locate(3, 10)).toEqual({ source: 'src/index.ts', line: 12, column: 2 });
    expect(
      relocateFrames(
        'TypeError: x (at onPacket (plugin.ts:3:9)) (at plugin.ts:4) (at other-plugin.ts:3:9) (at plugin.ts:99:1)',
        'plugin.ts',
        locate,
      ),
    ).toBe(
      'TypeError: x (at onPacket (src/index.ts:12:2)) (at src/a.ts:12) (at other-plugin.ts:3:9) (at plugin.ts:99:1)',
    );
  });

  it('names a function the bundler renamed (`reply2`) as the author wrote it (`reply`)', async () => {
    // Two modules with a top-level `reply`: one module holds both, so esbuild renames one.
    const dir = mkdtempSync(path.join(tmpdir(), 'hyperkata-names-'));
    writeFileSync(
      path.join(dir, 'a.ts'),
      "export const reply = (n: number): number => {\n  if (n > 1) throw new Error('a');\n  return n;\n};\n",
    );
    writeFileSync(
      path.join(dir, 'index.ts'),
      [
        "import { defineVsp } from 'hyperkata/sdk';",
        "import { reply as first } from './a.js';",
        'const reply = (n: number): number => first(n) + 1;',
        'export default defineVsp({',
        "  id: 'acme.names', sdk: '^1.0.0', deviceClass: 'storage',",
        '  create: () => ({ onPacket: (_c, p) => void reply(p.transId) }),',
        '});',
        '',
      ].join('\n'),
    );
    const { code, sourceMap } = await bundlePluginWithSourceMap(
      { file: path.join(dir, 'index.ts') },
      { mode: 'sandbox', source: 'src/index.ts' },
    );
    const renamed = /\b(reply\d+)\b/.exec(code)?.[1];
    expect(renamed).toBeDefined();
    const locate = sourceLocator(sourceMap);
    expect(originalName(renamed ?? '', code, locate)).toBe('reply');
    // A name the bundle kept, or one it does not declare, stays as it is.
    expect(originalName('onPacket', code, locate)).toBe('onPacket');
    expect(originalName('nothing2', code, locate)).toBe('nothing2');
    const line = code.split('\n').findIndex((l) => l.includes(`${renamed ?? ''} =`)) + 1;
    expect(
      relocateFrames(
        `Error: a (at ${renamed ?? ''} (src/index.ts:${String(line)}:3))`,
        'src/index.ts',
        locate,
        code,
      ),
    ).toMatch(/^Error: a \(at reply \(\S*index\.ts:3:\d+\)\)$/);
  });
});
