// `node --import hyperkata/register`: lets Node load TypeScript — a plugin's sources and tests, and
// the Hyperkata SDK they import, which ships as TypeScript — with Hyperkata's tsconfig wherever it
// runs from. Scaffolded plugins' `npm test` uses it. A file that does not compile is named with
// its line and column and what esbuild found there (register-hooks.js), not a stack trace.
import { register as registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
// Registered after tsx's, so they run first and see what tsx's load throws.
registerHooks('./register-hooks.js', import.meta.url);
