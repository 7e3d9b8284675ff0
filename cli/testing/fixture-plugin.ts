/**
 * Plugin files for CLI tests: the sandbox tests' misbehaving storage VSP (id
 * `test.minimal-storage`), with its `create` rewritten by the test.
 */
import { fileURLToPath } from 'node:url';

/** The fixture plugin every wrapped plugin starts from. */
export const FIXTURE_PLUGIN = fileURLToPath(
  new URL('../../plugins/sandbox/testing/fixtures/misbehaving-storage.ts', import.meta.url),
);

/**
 * The source of a plugin file: the fixture's storage VSP, whose `create` runs `body` with `host`
 * and `inner` (the fixture's own handlers) in scope and returns its handlers; `top` goes before
 * the definition (code the module runs when it is loaded).
 */
export function wrappedFixtureSource(body: string, top = ''): string {
  return `import def from ${JSON.stringify(FIXTURE_PLUGIN)};
${top}
export default {
  ...def,
  id: 'test.minimal-storage',
  create(host, ...rest) {
    const inner = def.create(host, ...rest);
${body}
  },
};`;
}
