/**
 * No English label bypasses the string tables: text the scenes draw on the canvas (`label`,
 * `add.text`, `setText`, a board's `caption`) or put in the DOM (`h()` children, `textContent`,
 * `aria-label`, `title`, `placeholder`) comes from `i18n.t`/`i18n.pick`, or is a name that reads
 * the same in both languages (VSC, VMBus, bcdedit…). A literal with a word outside those names
 * is an English label a pt-BR player would see ("HYPERKATA · CAMPAIGN BUS · REV 2").
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { en } from './en.js';

const GAME = path.resolve(new URL('..', import.meta.url).pathname);

/**
 * Words that are names, not English: Hyper-V and Windows terms, product and protocol names,
 * commands and units, spelled the same in a pt-BR game.
 */
// prettier-ignore
const NAMES = new Set([
  'hyperkata', 'hyper-v', 'vsc', 'vsp', 'vmbus', 'vmms', 'vmwp', 'ide', 'dec', 'winhv', 'vid',
  'synic', 'gpadl', 'numa', 'smt', 'ram', 'nic', 'cpu', 'gib', 'mib', 'kib', 'json', 'rev',
  'ws2016', 'ws2019', 'ws2022', 'bcdedit', 'powershell', 'windows', 'server', 'esc',
  // A channel's signalling modes, as a solution file and the diagnoses spell them.
  'low-latency', 'batched',
]);

/** Known literals left for later, by file and words (none now). */
const DEFERRED = new Set<string>();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && dir !== path.join(GAME, 'i18n')
      ? [full]
      : [];
  });
}

/** The literal text of an expression: a string, or a template's fixed parts. */
function literalParts(node: ts.Node): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
  if (ts.isConditionalExpression(node))
    return [...literalParts(node.whenTrue), ...literalParts(node.whenFalse)];
  if (ts.isParenthesizedExpression(node)) return literalParts(node.expression);
  return [];
}

const TEXT_PROPERTIES = new Set(['caption', 'aria-label', 'title', 'placeholder', 'label']);

/** Expressions whose value the player reads. */
function shownTexts(file: ts.SourceFile): ts.Node[] {
  const shown: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : '';
      const args = node.arguments;
      if (name === 'label' && args.length > 3) shown.push(args[3]);
      if (name === 'text' && ts.isPropertyAccessExpression(callee) && args.length > 2)
        shown.push(args[2]);
      if (name === 'setText' && args.length > 0) shown.push(args[args.length - 1]);
      if (name === 'h') shown.push(...args.slice(2));
    }
    if (
      ts.isPropertyAssignment(node) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
      TEXT_PROPERTIES.has(node.name.text)
    )
      shown.push(node.initializer);
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.name.text === 'textContent'
    )
      shown.push(node.right);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return shown;
}

function englishWords(text: string): string[] {
  // A string-table key (a style's `label: 'device.storage'`) is translated where it is shown.
  if (Object.hasOwn(en, text)) return [];
  return (text.match(/[A-Za-z][A-Za-z'-]{2,}/g) ?? []).filter((w) => !NAMES.has(w.toLowerCase()));
}

describe('labels come from the string tables', () => {
  it('no scene draws or writes a literal English word that bypasses i18n', () => {
    const found: string[] = [];
    for (const file of sourceFiles(GAME)) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
      for (const node of shownTexts(source)) {
        const words = literalParts(node).flatMap(englishWords);
        if (words.length === 0) continue;
        const rel = path.relative(GAME, file);
        if (DEFERRED.has(`${rel} ${words.join(' ')}`)) continue;
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        found.push(`${rel}:${line + 1} ${words.join(' ')}`);
      }
    }
    expect(found).toEqual([]);
  });
});
