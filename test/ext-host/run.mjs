#!/usr/bin/env node
// `npm run test:ext-host`: the extension-host suite (test/ext-host/suite) in a real desktop VS Code, downloaded
// by @vscode/test-electron and driven by @vscode/test-cli (config: test/ext-host/.vscode-test.mjs).
//
// Machines that cannot download VS Code (no route to update.code.visualstudio.com, as on the project's build
// machines) or that have no display cannot run it: the runner finds that out within a few seconds, prints
// "ext-host tests: not run — <reason>" and exits 0. The same suite also runs inside code-server's web workbench
// as part of `npm run test:e2e` (test/e2e/extHost.mjs), which needs neither.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const cacheDir = path.join(repo, '.vscode-test'); // @vscode/test-electron's default cache folder
const PROBE_URL = 'https://update.code.visualstudio.com/api/releases/stable';
const PROBE_TIMEOUT_MS = Number(process.env.TOKENSCOPE_EXT_HOST_PROBE_MS || 5000);

function notRun(reason) {
  console.log(`ext-host tests: not run — ${reason}`);
  process.exit(0);
}

/** Resolves to null if VS Code's update service answers, else to the reason it does not. */
function probe(url, timeoutMs) {
  return new Promise((resolve) => {
    const req = https.get(
      url,
      { timeout: timeoutMs, headers: { 'user-agent': 'tokenscope-ext-host-probe' } },
      (res) => {
        res.resume();
        resolve(res.statusCode && res.statusCode < 500 ? null : `${url} answered HTTP ${res.statusCode}`);
      },
    );
    req.on('timeout', () => {
      req.destroy();
      resolve(`no answer from ${new URL(url).host} within ${timeoutMs / 1000} s`);
    });
    req.on('error', (e) => resolve(`cannot reach ${new URL(url).host} (${e.code ?? e.message})`));
  });
}

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const cached = fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).filter((d) => d.startsWith('vscode-')) : [];
if (cached.length === 0) {
  const why = await probe(PROBE_URL, PROBE_TIMEOUT_MS);
  if (why)
    notRun(
      `VS Code cannot be downloaded here: ${why}, and no copy is cached in ${path.relative(repo, cacheDir)}/. The same suite runs inside code-server in \`npm run test:e2e\`.`,
    );
}

// Desktop VS Code needs a display on Linux; xvfb-run provides one.
let wrap = [];
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  if (hasCommand('xvfb-run')) wrap = ['xvfb-run', '-a'];
  else notRun('no display (DISPLAY is unset and xvfb-run is not installed: apt-get install xvfb)');
}

const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'inherit' });
if (build.status !== 0) {
  console.log('ext-host tests: failed — the build failed');
  process.exit(1);
}
const cli = path.join(repo, 'node_modules/@vscode/test-cli/out/bin.mjs');
const args = [process.execPath, cli, '--config', path.join(here, '.vscode-test.mjs')];
const [cmd, ...rest] = [...wrap, ...args];
const res = spawnSync(cmd, rest, { cwd: repo, stdio: 'inherit' });
if (res.status === 0) console.log('ext-host tests: passed');
else console.log(`ext-host tests: failed (vscode-test exited ${res.status ?? res.signal})`);
process.exit(res.status ?? 1);
