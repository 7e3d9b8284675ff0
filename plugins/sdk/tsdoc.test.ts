/**
 * What a plugin author's editor shows on hover: every export of `hyperkata/sdk` and
 * `hyperkata/sdk/testing` says what it is and shows how it is used (TSDoc with an `@example`).
 */
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ENTRIES = {
  'hyperkata/sdk': path.join(HERE, 'index.ts'),
  'hyperkata/sdk/testing': path.join(HERE, 'testing', 'index.ts'),
};

/** Each export of an entry point, with the TSDoc of its declarations. */
function exportedDocs(): { entry: string; name: string; doc: string }[] {
  const program = ts.createProgram(Object.values(ENTRIES), {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  return Object.entries(ENTRIES).flatMap(([entry, file]) => {
    const source = program.getSourceFile(file);
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`${file}: not a module`);
    return checker.getExportsOfModule(module).map((exported) => {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const doc = (symbol.getDeclarations() ?? [])
        .flatMap((d) => ts.getJSDocCommentsAndTags(d))
        .map((d) => d.getText())
        .join('\n');
      return { entry, name: exported.name, doc };
    });
  });
}

describe('the SDK’s TSDoc', () => {
  const docs = exportedDocs();

  it('covers the entry points an author imports', () => {
    expect(docs.filter((d) => d.entry === 'hyperkata/sdk').map((d) => d.name)).toEqual(
      expect.arrayContaining(['defineVsp', 'VspHost', 'VspChannel', 'VspPacket', 'VspHandlers']),
    );
    expect(docs.filter((d) => d.entry === 'hyperkata/sdk/testing').length).toBeGreaterThan(10);
  });

  it('every export has TSDoc with an @example in a ts code block', () => {
    const missing = docs
      .filter((d) => !/@example\s*\n\s*\*\s*```ts\n/.test(d.doc))
      .map((d) => `${d.entry}: ${d.name}${d.doc === '' ? ' (no TSDoc)' : ''}`);
    expect(missing).toEqual([]);
  });
});
