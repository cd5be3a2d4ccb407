// Runs the extension-host suite (test/ext-host: the same files @vscode/test-cli runs in desktop VS Code) inside
// code-server's web workbench, the way @vscode/test-web does: the workbench URL's `payload` carries
// extensionDevelopmentPath and extensionTestsPath, VS Code loads the extension from the repo (not installed),
// its (Node) extension host runs test/ext-host/index.cjs, and when the tests end the workbench calls
// window.codeAutomationExit(code), which the page exposes here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { REPO_DIR, startCodeServer } from '../../scripts/e2e/vscode.mjs';

/**
 * Returns { exitCode, tests: [{ title, ok, ms, error }], output: [lines], ms }. Throws if the workbench does not
 * report an exit within timeoutMs. Starts (and stops) a code-server of its own, without the extension installed.
 */
export async function runExtHostSuiteInCodeServer(browser, { logFile, screenshotFile, timeoutMs = 120_000 } = {}) {
  const t0 = Date.now();
  const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokenscope-e2e-exthost-'));
  const resultsFile = path.join(resultsDir, 'results.json');
  const server = await startCodeServer({
    extensionDir: null, // loaded as the extension under development instead
    logFile,
    env: { TOKENSCOPE_EXT_HOST_RESULTS: resultsFile },
  });
  fs.copyFileSync(path.join(REPO_DIR, 'test/ext-host/fixture/prompt.md'), path.join(server.workspace, 'prompt.md'));
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const output = [];
  try {
    const pending = [];
    page.on('console', (m) => {
      // Extension-host console output is forwarded to the page's console as ("%c INFO", "color: …", format, ...args):
      // drop the styling and format the rest like Node's console would.
      pending.push(
        Promise.all(m.args().map((a) => a.jsonValue().catch(() => '')))
          .then((vals) => {
            const rest = typeof vals[0] === 'string' && vals[0].startsWith('%c') ? vals.slice(2) : vals;
            output.push(format(...rest));
          })
          .catch(() => output.push(m.text())),
      );
    });
    let exitResolve;
    const exited = new Promise((r) => (exitResolve = r));
    await page.exposeFunction('codeAutomationExit', (code) => exitResolve(code));
    const authority = new URL(server.url).host;
    const remote = (p) => `vscode-remote://${authority}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(REPO_DIR)],
      ['extensionTestsPath', remote(path.join(REPO_DIR, 'test/ext-host/index.cjs'))],
    ]);
    await page.goto(
      `${server.url}/?folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(payload)}`,
    );
    let timer;
    const exitCode = await Promise.race([
      exited,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the workbench reported no end of the extension tests within ${timeoutMs / 1000} s`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    await Promise.all(pending);
    if (screenshotFile) await page.screenshot({ path: screenshotFile }).catch(() => {});
    const summary = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : null;
    return {
      exitCode,
      tests: summary?.tests ?? [],
      vscodeVersion: summary?.vscodeVersion,
      output,
      ms: Date.now() - t0,
    };
  } finally {
    await context.close().catch(() => {});
    await server.stop();
    fs.rmSync(resultsDir, { recursive: true, force: true });
  }
}
