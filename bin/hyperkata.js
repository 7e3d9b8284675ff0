#!/usr/bin/env node
// The `hyperkata` command. Runs the TypeScript CLI through tsx so plugin and level authors can
// edit the sources (and load .ts plugins) without a build step. Hyperkata's own tsconfig applies
// wherever the command runs from (the core needs its decorator settings).
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../cli/main.ts');
