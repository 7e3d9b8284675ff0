// ESLint flat config: strict type-checked TypeScript, Prettier for layout, and the purity rules
// that keep core/ and plugins/ deterministic and renderer-free (docs/architecture.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const impureGlobals = [
  ...[
    'window',
    'document',
    'navigator',
    'localStorage',
    'sessionStorage',
    'fetch',
    'XMLHttpRequest',
  ].map((name) => ({
    name,
    message: 'core/ and plugins/ run headless: no DOM or network globals.',
  })),
  ...[
    'setTimeout',
    'setInterval',
    'setImmediate',
    'clearTimeout',
    'clearInterval',
    'requestAnimationFrame',
  ].map((name) => ({
    name,
    message: 'Timers break determinism: schedule an event on the simulation engine.',
  })),
  { name: 'performance', message: 'Wall-clock time breaks determinism: use the simulated clock.' },
  { name: 'process', message: 'core/ and plugins/ must run in the browser and the sandbox too.' },
];

const impureProperties = [
  {
    object: 'Math',
    property: 'random',
    message: 'Use the seeded Random service (core/engine/random.ts).',
  },
  { object: 'Date', property: 'now', message: 'Use the simulated clock, never the wall clock.' },
  {
    object: 'performance',
    property: 'now',
    message: 'Use the simulated clock, never the wall clock.',
  },
];

const impureImports = {
  paths: [
    { name: 'phaser', message: 'Rendering belongs in game/.' },
    ...[
      'fs',
      'node:fs',
      'fs/promises',
      'node:fs/promises',
      'child_process',
      'node:child_process',
      'worker_threads',
      'node:worker_threads',
      'os',
      'node:os',
    ].map((name) => ({
      name,
      message: 'core/ and plugins/ do no I/O: the CLI and the game load files.',
    })),
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'coverage/',
      'artifacts/',
      '**/*.generated.*',
      'plugins/sdk/templates/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', '.ci/*.js', 'bin/*.js', 'e2e/*.js', 'e2e/sandbox/*.js'],
          // The plain JavaScript files above (bin/, e2e/, configs): nine today, a handful more
          // allowed before typescript-eslint's default limit of 8 stops the lint.
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['core/**/*.ts', 'plugins/**/*.ts'],
    ignores: ['**/*.test.ts', 'plugins/sdk/testing/**'],
    rules: {
      'no-restricted-globals': ['error', ...impureGlobals],
      'no-restricted-properties': ['error', ...impureProperties],
      'no-restricted-imports': ['error', impureImports],
    },
  },
  {
    // Plugin projects test with node:test, whose describe/it return promises the runner awaits.
    files: ['docs/examples/**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { ...globals.node } },
  },
  prettier,
);
