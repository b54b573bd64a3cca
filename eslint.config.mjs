// ESLint (flat config) with typescript-eslint: the recommended rules, and the project's layering
// as import rules, so a wrong-way dependency fails `npm run lint` rather than waiting for review:
// src/shared imports nothing of the project; src/engine is pure TypeScript (no vscode, no DOM
// libraries, no Node modules) and imports only src/shared; the page and the worker never import
// the host.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const NODE_GLOBALS = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', '__dirname', '__filename', 'module', 'require'].map(
    (g) => [g, 'readonly'],
  ),
);

// What lies above the engine, as import paths seen from any depth.
const OUTSIDE_ENGINE = ['host', 'webview', 'worker', 'cli', 'node', 'panel', 'protocol', 'extension'].flatMap((d) => [`**/${d}`, `**/${d}/**`]);

export default defineConfig(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.test-work/**', 'test-artifacts/**', '.vscode-test/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // A callback may read a `let` that is assigned once, after the callback is made.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // `import x = require(…)` is TypeScript's typed form for CommonJS modules such as mocha.
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*', 'vscode', 'node:*'], message: 'src/shared is the bottom layer: it imports nothing of the project.' }] },
      ],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The engine runs in the worker, the CLI and mocha: no vscode.' }],
          patterns: [
            { group: ['node:*'], message: 'The engine is pure TypeScript: no Node modules (src/node reads files).' },
            { group: OUTSIDE_ENGINE, message: 'The engine imports only itself and src/shared.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/webview/**/*.ts', 'src/worker/**/*.ts', 'src/protocol.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/host/*', '**/host', 'vscode'], message: 'Only the host imports the host and vscode.' }] }],
    },
  },
  {
    // Tests of hostile input match control characters on purpose.
    files: ['test/**/*.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: NODE_GLOBALS },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
