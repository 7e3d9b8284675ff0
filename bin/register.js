// `node --import hyperkata/register`: lets Node load TypeScript — a plugin's sources and tests, and
// the Hyperkata SDK they import, which ships as TypeScript — with Hyperkata's tsconfig wherever it
// runs from. Scaffolded plugins' `npm test` uses it.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
