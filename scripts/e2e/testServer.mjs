// Starts the project's local streaming test server (out/test-server.js, built by `node esbuild.mjs`) on a free
// loopback port, as a process of its own whose PID is tracked like code-server's and Chromium's: stop() ends it
// by PID, and vscode.mjs's stopAll() / exit handlers do too if the caller never gets there.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_DIR, killTree, trackProcess, untrackProcess } from './vscode.mjs';

export const TEST_SERVER_ENTRY = path.join(REPO_DIR, 'out/test-server.js');
const LISTENING = /^tokenscope-test-server listening on (http:\/\/\S+)$/m;

/**
 * models: { name: Schedule } (see test/server/schedule.ts). Options: logFile (its stderr and stdout),
 * timeoutMs (how long to wait for its "listening" line, default 15 s).
 * Returns { url, pid, records(), reset(), setModels(models), stop() }.
 */
export async function startTestServer(models, { logFile, timeoutMs = 15_000 } = {}) {
  if (!fs.existsSync(TEST_SERVER_ENTRY))
    throw new Error(`${TEST_SERVER_ENTRY} missing: build first (node esbuild.mjs)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokenscope-e2e-server-'));
  const config = path.join(dir, 'models.json');
  fs.writeFileSync(config, JSON.stringify({ models }, null, 2));
  const log = logFile ?? path.join(dir, 'test-server.log');
  const child = spawn(process.execPath, [TEST_SERVER_ENTRY, '--port', '0', '--config', config], {
    detached: true, // its own session and process group, ended by PID
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (!pid) throw new Error('could not spawn the test server');
  trackProcess(pid, 'test-server', [dir]);
  const out = fs.createWriteStream(log);
  child.stderr.pipe(out);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));

  const url = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => done(new Error(`test server printed no "listening" line in ${timeoutMs} ms: ${seen}`)),
      timeoutMs,
    );
    const onData = (b) => {
      out.write(b);
      seen += b.toString();
      const m = LISTENING.exec(seen);
      if (m) done(null, m[1]);
    };
    const onExit = () => done(new Error(`test server exited ${JSON.stringify(exited)} before listening: ${seen}`));
    function done(err, value) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      // Keep draining stdout into the log so the child never blocks on a full pipe.
      child.stdout.on('data', (b) => out.write(b));
      if (err) reject(err);
      else resolve(value);
    }
    child.stdout.on('data', onData);
    child.on('exit', onExit);
  }).catch(async (e) => {
    await killTree(pid).catch(() => {});
    untrackProcess(pid);
    throw e;
  });
  child.unref();
  child.stdout.unref?.();
  child.stderr.unref?.();

  const call = async (method, route, body) => {
    const res = await fetch(`${url}${route}`, {
      method,
      ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    if (!res.ok) throw new Error(`test server ${method} ${route}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  let stopping = null;
  return {
    url,
    pid,
    logFile: log,
    /** Every request so far, times as epoch ms, each with its `truth` (what a perfect client would measure). */
    records: async () => (await call('GET', '/__records')).records,
    reset: () => call('POST', '/__reset', {}),
    setModels: (m) => call('POST', '/__models', { models: m }),
    stop() {
      stopping ??= (async () => {
        try {
          await killTree(pid, { graceMs: 2000 });
        } finally {
          untrackProcess(pid);
          out.end();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      })();
      return stopping;
    },
  };
}
