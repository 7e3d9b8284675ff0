#!/usr/bin/env node
// The `hyperkata` command. Runs the TypeScript CLI through tsx so plugin and level authors can
// edit the sources (and load .ts plugins) without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
