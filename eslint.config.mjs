// Lint: eslint's and typescript-eslint's recommended rules, plus the import layers of README's Layout.
// Formatting is prettier's job (npm run format); eslint-config-prettier turns off every rule that would overlap it.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier/flat';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const vscode = {
  name: 'vscode',
  message: 'Only src/extension talks to VS Code; pass what the core needs as plain values.',
};
const editorLayer = {
  group: ['**/extension', '**/extension/**', '**/media/**'],
  message: 'src/core, src/cli and src/shared run without VS Code: move the shared piece into src/core or src/shared.',
};
const cliLayer = {
  group: ['**/cli', '**/cli/**'],
  message: 'src/core is the library under the CLI: move what both need into src/core.',
};
const webviewNotEditor = {
  group: ['**/extension', '**/extension/**'],
  message: 'media/src runs in the webview: talk to the extension through src/shared/webviewProtocol.ts messages.',
};
const inBrowser = 'media/src runs in a browser webview, where Node builtins and globals do not exist.';
// Exact names (a pattern such as `util` would also match a local './lib/util').
const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message: inBrowser }));
const nodePrefixed = { group: ['node:*'], message: inBrowser };
const nodeGlobals = ['process', 'Buffer', 'global', 'require', '__dirname', '__filename', 'setImmediate'].map(
  (name) => ({ name, message: inBrowser }),
);

export default defineConfig(
  {
    ignores: ['dist/', 'out/', '.tools/', 'artifacts/', 'coverage/', '.vscode-test/', 'tmp/', 'test/fixtures/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['src/**', 'test/**', 'scripts/**', '*.mjs', '*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    rules: {
      // A leading underscore marks a deliberately unused binding; a rest sibling drops the named fields.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Printable-text filters and wire-format tests match control characters on purpose.
      'no-control-regex': 'off',
      // A `let` read by a callback before its one assignment (a timer, a controller built after its panel) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // CommonJS files (the VS Code test host loads them with require).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // These load a bundle chunk lazily by a computed path, which esbuild must leave alone: only require() does that.
    files: ['src/core/pricing/engine.ts', 'src/core/tokenizers/registry.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Playwright scripts: the callbacks given to page.evaluate run in the browser.
    files: ['test/e2e/**', 'scripts/e2e/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['test/ext-host/suite/**'],
    languageOptions: { globals: { ...globals.mocha } },
  },
  // The layers (the same rules as .dependency-cruiser.cjs, reported in the editor as you type).
  {
    files: ['src/cli/**', 'src/cli.ts', 'src/shared/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscode], patterns: [editorLayer] }] },
  },
  {
    files: ['src/core/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscode], patterns: [editorLayer, cliLayer] }] },
  },
  {
    files: ['media/src/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [vscode, ...nodeBuiltins], patterns: [nodePrefixed, webviewNotEditor] },
      ],
      'no-restricted-globals': ['error', ...nodeGlobals],
    },
  },
  prettier,
);
