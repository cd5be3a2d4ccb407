// Drives a real VS Code (code-server 4.99.4 = VS Code 1.99.3) with the extension installed, from headless Debian
// Chromium through playwright-core. Plain ESM so the e2e suite can import it without a build step.
// Setup first: scripts/e2e/setup.sh. Background: test/e2e/README.md.
//
// Every process started here (code-server, Chromium) is recorded; stop() / stopAll() end it and all of its
// descendants by PID, and exit/signal handlers do the same if the caller never gets there.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TOOLS_DIR = process.env.TOKENSCOPE_TOOLS_DIR || path.join(REPO_DIR, '.tools');
export const CODE_SERVER_ENTRY = path.join(TOOLS_DIR, 'code-server/node_modules/code-server/out/node/entry.js');
export const CHROMIUM_PATH = process.env.TOKENSCOPE_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const ARTIFACTS_DIR = path.join(REPO_DIR, 'artifacts/e2e');

// Settings that keep the workbench quiet and deterministic; the caller's settings override them.
const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'files.autoSave': 'off',
};

// ------------------------------------------------------------------------------------------- process tracking

/** pid -> { name, dirs } of every process tree started here and not yet stopped (dirs: temp folders to remove). */
const tracked = new Map();
let handlersInstalled = false;

function readStat(pid) {
  const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { pid: Number(pid), state: rest[0], ppid: Number(rest[1]), pgid: Number(rest[2]), sid: Number(rest[3]) };
}

function listProcesses() {
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      out.push(readStat(d));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/**
 * The live processes belonging to a tree started here: the root, everything in its session or process group
 * (the root is started as a session leader), and all descendants by parent PID (which catches children that
 * started sessions of their own, such as terminals). Zombies (dead, waiting for a parent or PID 1 to reap
 * them) are left out unless { zombies: true }.
 */
export function processTree(rootPid, { zombies = false } = {}) {
  const procs = listProcesses();
  const set = new Set();
  for (const p of procs) if (p.pid === rootPid || p.sid === rootPid || p.pgid === rootPid) set.add(p.pid);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) {
      if (!set.has(p.pid) && set.has(p.ppid)) {
        set.add(p.pid);
        grew = true;
      }
    }
  }
  set.delete(process.pid);
  return procs.filter((p) => set.has(p.pid) && (zombies || p.state !== 'Z')).map((p) => p.pid);
}

/** Signals every process of the tree, deepest first, then the root's process group (synchronous). */
function signalTree(rootPid, signal) {
  const pids = depthOrder(processTree(rootPid));
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
  try {
    process.kill(-rootPid, signal);
  } catch {
    // no such group
  }
  return pids;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function depthOrder(pids) {
  // Deepest first, so a parent still alive can reap its children instead of leaving zombies to PID 1.
  const depth = new Map();
  const stats = new Map();
  for (const pid of pids) {
    try {
      stats.set(pid, readStat(pid));
    } catch {
      // gone
    }
  }
  const d = (pid) => {
    if (depth.has(pid)) return depth.get(pid);
    const st = stats.get(pid);
    const v = st && stats.has(st.ppid) ? d(st.ppid) + 1 : 0;
    depth.set(pid, v);
    return v;
  };
  return [...stats.keys()].sort((a, b) => d(b) - d(a));
}

async function waitGone(rootPid, ms) {
  const deadline = Date.now() + ms;
  while (processTree(rootPid).length > 0 && Date.now() < deadline) await sleep(50);
  return processTree(rootPid);
}

/**
 * Ends a process tree: SIGTERM to every process of it (deepest first) and its process group, then SIGKILL to
 * whatever is still alive after graceMs. Resolves when none of it is alive; rejects if something survives.
 */
export async function killTree(rootPid, { graceMs = 3000 } = {}) {
  let left = processTree(rootPid);
  for (const signal of ['SIGTERM', 'SIGKILL']) {
    if (left.length === 0) break;
    signalTree(rootPid, signal);
    left = await waitGone(rootPid, signal === 'SIGTERM' ? graceMs : 3000);
  }
  if (left.length > 0) throw new Error(`processes of tree ${rootPid} still alive after SIGKILL: ${left.join(', ')}`);
}

function killAllSync() {
  for (const pid of tracked.keys()) signalTree(pid, 'SIGKILL');
  for (const { dirs } of tracked.values()) for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  tracked.clear();
}

function track(pid, name, dirs = []) {
  tracked.set(pid, { name, dirs });
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllSync);
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.once(sig, () => {
      killAllSync();
      process.exit(code);
    });
  }
}

/**
 * Registers a process tree started elsewhere (e.g. the test server), so that stopAll() and the exit / signal
 * handlers end it by PID like the ones started here. `dirs`: temp folders to remove with it.
 */
export function trackProcess(pid, name, dirs = []) {
  track(pid, name, dirs);
}

/** Forgets a process registered with trackProcess() (after the caller stopped it itself). */
export function untrackProcess(pid) {
  tracked.delete(pid);
}

/** The processes started here that are still running: [{ pid, name }]. */
export function trackedProcesses() {
  return [...tracked].map(([pid, { name }]) => ({ pid, name }));
}

/** Stops every tracked process tree (code-servers and browsers). Safe to call any number of times. */
export async function stopAll() {
  const pids = [...tracked.keys()];
  await Promise.allSettled(pids.map((pid) => killTree(pid)));
  for (const pid of pids) {
    for (const d of tracked.get(pid)?.dirs ?? []) fs.rmSync(d, { recursive: true, force: true });
    tracked.delete(pid);
  }
}

// ------------------------------------------------------------------------------------------------ code-server

/** A free TCP port on the loopback interface. */
export function findFreePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function httpStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

const EXTENSION_FILES = [
  'package.json',
  'package.nls.json',
  'dist',
  'media',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'LICENSE.md',
];

/**
 * Copies the built extension (package.json, dist/, media/ and the like, as present) to
 * `<extensionsDir>/<publisher>.<name>-<version>/`, where VS Code loads it like an installed extension.
 * Returns { id, dir }.
 */
export function placeExtension(extensionDir, extensionsDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  const folder = `${id}-${manifest.version}`;
  const dir = path.join(extensionsDir, folder);
  if (manifest.main && !fs.existsSync(path.join(extensionDir, manifest.main))) {
    throw new Error(
      `${path.join(extensionDir, manifest.main)} does not exist: build the extension first (node esbuild.mjs)`,
    );
  }
  fs.mkdirSync(extensionsDir, { recursive: true });
  // A reused extensions folder may hold other versions of this extension, and a manifest (extensions.json)
  // that does not list this one; VS Code rebuilds the manifest by scanning the folder.
  for (const d of fs.readdirSync(extensionsDir)) {
    if (d.startsWith(`${id}-`)) fs.rmSync(path.join(extensionsDir, d), { recursive: true, force: true });
  }
  fs.rmSync(path.join(extensionsDir, 'extensions.json'), { force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const f of EXTENSION_FILES) {
    const src = path.join(extensionDir, f);
    if (fs.existsSync(src)) fs.cpSync(src, path.join(dir, f), { recursive: true, dereference: true });
  }
  return { id, dir };
}

/**
 * Starts code-server with the extension installed and the given user settings, on a free loopback port.
 * Options (all optional):
 *   extensionDir   folder with the built extension (default: the repo); null to start without it
 *   workspace      folder to open (default: a new empty temp folder)
 *   settings       user settings (merged over quiet defaults), written to <userDataDir>/User/settings.json
 *   userDataDir, extensionsDir   default: fresh temp folders, removed by stop()
 *   logFile        code-server's stdout+stderr (default: <temp>/code-server.log)
 *   port           default: findFreePort()
 *   env            extra environment for code-server
 *   timeoutMs      how long to wait for it to answer HTTP (default 60 s)
 * Returns { url, port, pid, logFile, userDataDir, extensionsDir, workspace, extension, startMs, stop() }.
 */
export async function startCodeServer(opts = {}) {
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server not installed at ${CODE_SERVER_ENTRY}: run scripts/e2e/setup.sh`);
  }
  const t0 = Date.now();
  const sessionDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokenscope-e2e-'));
  const created = [sessionDir];
  const userDataDir = opts.userDataDir ?? path.join(sessionDir, 'user-data');
  const extensionsDir = opts.extensionsDir ?? path.join(sessionDir, 'extensions');
  const workspace = opts.workspace ?? path.join(sessionDir, 'workspace');
  const logFile = opts.logFile ?? path.join(sessionDir, 'code-server.log');
  for (const d of [userDataDir, extensionsDir, workspace, path.dirname(logFile)]) fs.mkdirSync(d, { recursive: true });

  const extensionDir = opts.extensionDir === undefined ? REPO_DIR : opts.extensionDir;
  const extension = extensionDir ? placeExtension(extensionDir, extensionsDir) : null;

  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  const settings = { ...DEFAULT_SETTINGS, ...(opts.settings ?? {}) };
  fs.writeFileSync(path.join(userDataDir, 'User/settings.json'), JSON.stringify(settings, null, 2));

  // Its own config file and XDG folders, so nothing is written to the user's ~/.config or ~/.local.
  const configFile = path.join(sessionDir, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(sessionDir, 'xdg-config'),
    XDG_DATA_HOME: path.join(sessionDir, 'xdg-data'),
    ...(opts.env ?? {}),
  };
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  // Variables set by a VS Code terminal would make code-server act as a CLI for that VS Code instead.
  delete env.VSCODE_IPC_HOOK_CLI;

  let lastError;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = opts.port ?? (await findFreePort());
    const url = `http://127.0.0.1:${port}`;
    const args = [
      CODE_SERVER_ENTRY,
      '--config',
      configFile,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userDataDir,
      workspace,
    ];
    const logFd = fs.openSync(logFile, 'a');
    // detached: the child calls setsid(), so code-server leads a new session and process group of its own.
    const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', logFd, logFd], env });
    fs.closeSync(logFd);
    const pid = child.pid;
    if (!pid) throw new Error('could not spawn code-server');
    track(pid, 'code-server', opts.keepTemp ? [] : created);
    child.unref();
    let exited = null;
    child.on('exit', (code, signal) => (exited = { code, signal }));

    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    let status = 0;
    while (Date.now() < deadline && !exited) {
      status = await httpStatus(`${url}/healthz`);
      if (status === 200) break;
      await sleep(100);
    }
    if (status === 200 && !exited) {
      let stopping = null;
      const stop = () => {
        stopping ??= (async () => {
          try {
            await killTree(pid);
          } finally {
            tracked.delete(pid);
            if (!opts.keepTemp) for (const d of created) fs.rmSync(d, { recursive: true, force: true });
          }
        })();
        return stopping;
      };
      return {
        url,
        port,
        pid,
        logFile,
        userDataDir,
        extensionsDir,
        workspace,
        extension,
        startMs: Date.now() - t0,
        stop,
      };
    }
    await killTree(pid).catch(() => {});
    tracked.delete(pid);
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
    lastError = new Error(
      `code-server did not answer on ${url} (${exited ? `exited ${JSON.stringify(exited)}` : 'timed out'}); log ${logFile}:\n` +
        log.split('\n').slice(-30).join('\n'),
    );
    if (!/EADDRINUSE/.test(log) || opts.port) break; // retry only when another process took the port
  }
  // The temp folders are kept on failure (its log is there unless logFile was given).
  throw lastError;
}

// ------------------------------------------------------------------------------------------------- browser

const browserServers = new WeakMap();

/**
 * Launches Debian's Chromium, headless, through playwright-core, and returns a connected playwright Browser.
 * (playwright's Browser no longer exposes its process, so the browser is started with launchServer(), which
 * does, and connected to.) Its process tree is tracked: closeBrowser(), stopAll() and the exit handlers end it.
 */
export async function launchBrowser({ headless = true, args = [] } = {}) {
  const { chromium } = await import('playwright-core');
  // Its own XDG folders: Chromium's crash reporter otherwise writes to ~/.config/chromium.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tokenscope-e2e-chromium-'));
  const server = await chromium
    .launchServer({
      executablePath: CHROMIUM_PATH,
      headless,
      args: [...CHROMIUM_ARGS, ...args],
      env: { ...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache') },
    })
    .catch((e) => {
      fs.rmSync(home, { recursive: true, force: true });
      throw e;
    });
  const pid = server.process().pid;
  track(pid, 'chromium', [home]);
  try {
    const browser = await chromium.connect(server.wsEndpoint());
    browserServers.set(browser, { server, pid, home });
    return browser;
  } catch (e) {
    await server.close().catch(() => {});
    await killTree(pid).catch(() => {});
    fs.rmSync(home, { recursive: true, force: true });
    tracked.delete(pid);
    throw e;
  }
}

/** The PID of Chromium's main process for a browser from launchBrowser(). */
export function browserPid(browser) {
  return browserServers.get(browser)?.pid;
}

/** Closes the browser gracefully and makes sure its whole process tree is gone. Safe to call twice. */
export async function closeBrowser(browser) {
  const entry = browserServers.get(browser);
  await Promise.race([browser.close().catch(() => {}), sleep(5000)]);
  if (!entry) return;
  // Graceful close first: Chromium then ends and reaps its own helper processes.
  await Promise.race([entry.server.close().catch(() => {}), sleep(5000)]);
  try {
    await killTree(entry.pid, { graceMs: 1000 });
  } finally {
    fs.rmSync(entry.home, { recursive: true, force: true });
    tracked.delete(entry.pid);
  }
}

// ---------------------------------------------------------------------------------------------- workbench

/**
 * Opens the workbench for `folder` and waits until it is usable: the `.monaco-workbench` element, then the
 * extension host having started and registered its extensions (performance mark code/didLoadExtensions
 * set by VS Code). Returns timings in ms.
 */
export async function openWorkbench(page, url, folder, { timeoutMs = 90_000 } = {}) {
  const t0 = Date.now();
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`, { timeout: timeoutMs });
  await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
  const workbenchMs = Date.now() - t0;
  await page.waitForFunction(() => performance.getEntriesByName('code/didLoadExtensions').length > 0, null, {
    timeout: timeoutMs,
    polling: 100,
  });
  const extensionHostMs = Date.now() - t0;
  return { workbenchMs, extensionHostMs };
}

/**
 * Opens the quick input with F1 and types `text`. Keys pressed while a webview (an iframe) has the focus reach
 * the workbench only through the webview's key forwarding, and the workbench closes a quick input that loses
 * focus, which a webview taking the focus back does: so the focus is first moved out of any webview to the
 * workbench, and F1 is pressed again (at most three times) if the input does not open or closes before the
 * text is in.
 */
async function quickInput(page, text, timeoutMs) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    await page.evaluate(() => {
      if (document.activeElement?.tagName === 'IFRAME') document.activeElement.blur();
    });
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: Math.max(1000, Math.min(5000, deadline - Date.now())) });
      await input.fill(text, { timeout: 3000 });
      if ((await input.inputValue()) === text && (await input.isVisible())) return input;
      throw new Error(`the quick input shows "${await input.inputValue()}"`);
    } catch (e) {
      if (attempt >= 3 || Date.now() > deadline)
        throw new Error(`could not type "${text}" into the quick input after ${attempt} F1 presses: ${e.message}`, {
          cause: e,
        });
    }
  }
}

/** Opens the command palette (F1) with `text` typed in (">" + words for commands); returns the input locator. */
export function openQuickInput(page, text, { timeoutMs = 15_000 } = {}) {
  return quickInput(page, text, timeoutMs);
}

/** Runs a command by its title ("Category: Title") from the command palette (F1). */
export async function runCommand(page, title, { timeoutMs = 15_000 } = {}) {
  await quickInput(page, `>${title}`, timeoutMs);
  // Enter only once the highlighted entry is this command, so nothing else is run by accident. Another command
  // may rank first for the same words ("Preferences: Browse Color Themes…" for "Preferences: Color Theme"):
  // then move the highlight down to the exact title, as a person would with the arrow keys.
  const row = page.locator('.quick-input-list .monaco-list-row.focused');
  const labelOf = (sel) => page.evaluate((s) => document.querySelector(s)?.textContent.trim() ?? null, sel);
  await page
    .waitForFunction(
      (t) =>
        [...document.querySelectorAll('.quick-input-list .monaco-list-row')].some(
          (r) => r.querySelector('.label-name')?.textContent.trim() === t,
        ),
      title,
      { timeout: timeoutMs, polling: 100 },
    )
    .catch(async (e) => {
      const shown = await page
        .locator('.quick-input-list .monaco-list-row .monaco-icon-label-container > .monaco-icon-name-container')
        .allTextContents()
        .catch(() => []);
      throw new Error(
        `command "${title}" not found in the command palette; shown: ${JSON.stringify(shown)}\n${e.message}`,
      );
    });
  const rows = await page.locator('.quick-input-list .monaco-list-row').count();
  for (
    let i = 0;
    i <= rows && (await labelOf('.quick-input-list .monaco-list-row.focused .label-name')) !== title;
    i++
  ) {
    await page.keyboard.press('ArrowDown');
  }
  const focused = await labelOf('.quick-input-list .monaco-list-row.focused .label-name');
  if (focused !== title)
    throw new Error(`command "${title}" could not be highlighted in the command palette (highlighted: ${focused})`);
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await page.keyboard.press('Enter');
  // The palette closes, or the command reuses the widget for a quick pick of its own.
  await page.waitForFunction(
    (value) => {
      const widget = document.querySelector('.quick-input-widget');
      const input = widget?.querySelector('.quick-input-box input');
      return !widget || widget.style.display === 'none' || !input || input.value !== value;
    },
    `>${title}`,
    { timeout: timeoutMs, polling: 50 },
  );
}

/** Waits for a quick pick / input box whose title contains `text`; returns the title. */
export async function waitForQuickInput(page, text, { timeoutMs = 15_000 } = {}) {
  const title = page.locator('.quick-input-widget .quick-input-title', { hasText: text }).first();
  await title.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await title.innerText()).trim();
}

/** Opens a workspace file by name with Quick Open and waits for its editor to be active. */
export async function openFile(page, fileName, { timeoutMs = 15_000 } = {}) {
  await quickInput(page, fileName, timeoutMs);
  await page.waitForFunction(
    (name) => {
      const el = document.querySelector('.quick-input-list .monaco-list-row.focused .label-name');
      return !!el && el.textContent.trim() === name;
    },
    path.basename(fileName),
    { timeout: timeoutMs, polling: 100 },
  );
  await page.keyboard.press('Enter');
  // The active group's tab: the same file may also be open in another group.
  await page
    .locator(
      `.editor-group-container.active .tabs-container .tab.active[data-resource-name="${path.basename(fileName)}"]`,
    )
    .waitFor({ state: 'visible', timeout: timeoutMs });
  await page
    .locator('.editor-instance .monaco-editor .view-lines')
    .first()
    .waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Waits for a notification toast whose text contains `text` (string or RegExp); returns its text. */
export async function waitForNotification(page, text, { timeoutMs = 15_000 } = {}) {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs }).catch(async (e) => {
    const shown = await page
      .locator('.notifications-toasts .notification-toast')
      .allInnerTexts()
      .catch(() => []);
    throw new Error(`no notification ${text} after ${timeoutMs} ms; shown: ${JSON.stringify(shown)}\n${e.message}`);
  });
  return (await toast.innerText()).trim();
}

/**
 * The first frame (the page, or any nested webview iframe) that contains `selector`, waiting up to timeoutMs.
 * Webview content sits two iframes deep; page.frames() lists them all.
 */
export async function findFrameWith(page, selector, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      try {
        if (!frame.isDetached() && (await frame.$(selector))) return frame;
      } catch {
        // frame navigated or detached meanwhile
      }
    }
    if (Date.now() >= deadline) {
      const urls = page.frames().map((f) => f.url());
      throw new Error(`no frame contains ${selector} after ${timeoutMs} ms; frames: ${JSON.stringify(urls)}`);
    }
    await sleep(200);
  }
}

/** Saves a full-page PNG to artifacts/e2e/<name>.png (or dir/<name>.png) and returns its path. */
export async function screenshot(page, name, dir = ARTIFACTS_DIR) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
