// @vscode/test-cli configuration for the extension-host suite (run it with `npm run test:ext-host`, which first
// checks that VS Code can be downloaded; `npx vscode-test --config test/ext-host/.vscode-test.mjs` runs it directly).
import { defineConfig } from '@vscode/test-cli';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

export default defineConfig({
  label: 'ext-host',
  files: path.join(here, 'suite/**/*.test.cjs'),
  version: process.env.TOKENSCOPE_VSCODE_VERSION || 'stable',
  extensionDevelopmentPath: repo,
  workspaceFolder: path.join(here, 'fixture'),
  // Only the extension under test: no other installed extensions interfere.
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'tdd', timeout: 60_000, color: false },
  download: { timeout: 20_000 },
});
