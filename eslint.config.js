import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Lint, including the layering rule: src/shared imports nothing from main, preload, renderer,
 * Node or Electron; the renderer imports only shared (never main, preload, Node or Electron);
 * the preload imports only shared and electron.
 */
const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'worker_threads', 'url', 'util', 'stream'];
const layer = (message, groups) => ({ 'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }] });

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-output/**', '.vite/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] }, globals: { ...globals.browser } },
  },
  {
    files: ['src/shared/**'],
    rules: layer('src/shared is pure: it may not import main, preload, renderer, Node or Electron.', [
      '**/main/**', '**/preload/**', '**/renderer/**', 'electron', 'better-sqlite3', ...nodeBuiltins,
    ]),
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...layer('The renderer talks to the app only through src/shared and lib/api.ts; it may not import main, preload, Node or Electron.', [
        '**/main/**', '**/preload/**', 'electron', 'better-sqlite3', ...nodeBuiltins,
      ]),
      // The contract's values are zod schemas; zod probes `new Function` on its first parse,
      // which the window's CSP reports as a violation. The renderer takes only its types (and
      // the zod-free method list that lib/api.ts builds the client from).
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          // shared/api and its slices (not methods.ts, which holds no schema), and zod itself.
          { regex: '(^|/)shared/api(/(?!methods$)[^/]+)?$', allowTypeImports: true, message: 'The renderer imports only types from the contract in src/shared/api (its values bundle zod, which the CSP refuses).' },
          { group: ['zod'], allowTypeImports: true, message: 'The renderer imports only types from zod (its values probe eval, which the CSP refuses).' },
        ],
      }],
    },
  },
  {
    files: ['src/preload/**'],
    rules: layer('The preload only builds window.api from the contract.', ['**/main/**', '**/renderer/**', 'better-sqlite3', ...nodeBuiltins]),
  },
);
