// Editor responsiveness figures for the built extension (dist/extension.js), outside VS Code:
// activation time (and that no tokenizer loads at activation), hover latency on a 100 KB selection
// with a cold and a cached count, and the status-bar count path. A stand-in for the `vscode` module
// answers the API calls the extension makes; everything measured is the extension's own code.
// Usage: npm run bench:editor
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import Module from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// ---- a minimal `vscode` stand-in: records registrations, answers with inert objects ----
const registered = { hover: [], commands: new Map() };
const disposable = () => ({ dispose() {} });
const event = () => () => disposable();
const defaults = Object.fromEntries(Object.entries(pkg.contributes.configuration.properties ?? {}).map(([k, v]) => [k.replace(/^tokenscope\./, ''), v.default]));
class Position { constructor(line, character) { this.line = line; this.character = character; } }
class Range {
  constructor(a, b, c, d) {
    if (a instanceof Position) { this.start = a; this.end = b; } else { this.start = new Position(a, b); this.end = new Position(c, d); }
  }
  get isEmpty() { return this.start.line === this.end.line && this.start.character === this.end.character; }
  contains() { return true; }
}
class Selection extends Range {}
const vscode = {
  Position, Range, Selection,
  Hover: class { constructor(contents, range) { this.contents = contents; this.range = range; } },
  MarkdownString: class { constructor(value) { this.value = value; } appendMarkdown(s) { this.value += s; return this; } },
  EventEmitter: class { constructor() { this.event = event(); } fire() {} dispose() {} },
  CancellationError: class extends Error {},
  ThemeColor: class {}, ThemeIcon: class {},
  StatusBarAlignment: { Left: 1, Right: 2 }, ViewColumn: { One: 1, Beside: -2 }, ProgressLocation: { Notification: 15 },
  Uri: { file: (p) => ({ fsPath: p, toString: () => 'file://' + p }), joinPath: (u, ...p) => ({ fsPath: join(u.fsPath, ...p), toString: () => 'file://' + join(u.fsPath, ...p) }) },
  commands: { registerCommand: (id, fn) => (registered.commands.set(id, fn), disposable()), executeCommand: async () => undefined },
  window: {
    activeTextEditor: undefined, visibleTextEditors: [],
    createOutputChannel: () => ({ appendLine() {}, append() {}, show() {}, dispose() {}, info() {}, warn() {}, error() {} }),
    createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
    registerWebviewViewProvider: disposable, registerWebviewPanelSerializer: disposable,
    onDidChangeTextEditorSelection: event(), onDidChangeActiveTextEditor: event(),
  },
  workspace: {
    getConfiguration: () => ({ get: (key, dflt) => (key in defaults ? defaults[key] : dflt) }),
    onDidChangeConfiguration: event(), onDidCloseTextDocument: event(), workspaceFolders: undefined,
  },
  languages: { registerHoverProvider: (selector, provider) => (registered.hover.push(provider), disposable()) },
  env: { language: 'en' },
};
const originalLoad = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : originalLoad.call(this, request, ...rest);
};

const storage = mkdtempSync(join(tmpdir(), 'tokenscope-bench-editor-'));
const memento = () => { const m = new Map(); return { get: (k, d) => (m.has(k) ? m.get(k) : d), update: async (k, v) => void m.set(k, v), keys: () => [...m.keys()] }; };
const context = {
  subscriptions: [], extensionUri: vscode.Uri.file(root), globalStorageUri: vscode.Uri.file(storage),
  workspaceState: memento(), globalState: memento(), secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: event() },
};

const tokenizerChunksLoaded = () => Object.keys(require.cache).filter((f) => f.includes(`${join('dist', 'tokenizers')}`)).map((f) => f.split(/[\\/]/).pop());

// ---- activation ----
const t0 = performance.now();
const ext = require(join(root, 'dist', 'extension.js'));
const tRequire = performance.now();
ext.activate(context);
const tActivate = performance.now();
const afterActivation = tokenizerChunksLoaded();
// The price database (dist/pricing) must stay unloaded until a cost is first computed.
const pricingAtActivation = Object.keys(require.cache).some((f) => f.includes(join('dist', 'pricing')));

// ---- hover on a 100 KB selection in a Markdown file ----
const paragraph = 'Tokenscope measures how fast models produce tokens. 模型的吞吐量取决于分词器。 const x = compute(42);\n';
const text = paragraph.repeat(Math.ceil(100_000 / paragraph.length)).slice(0, 100_000);
let version = 1;
const doc = {
  uri: { toString: () => 'file:///bench/prompt.md' }, get version() { return version; }, languageId: 'markdown', lineCount: text.split('\n').length,
  getText: () => text, validateRange: (r) => r, offsetAt: () => 0, positionAt: () => new Position(0, 0),
};
const selection = new Selection(new Position(0, 0), new Position(doc.lineCount, 0));
vscode.window.activeTextEditor = { document: doc, selections: [selection], selection };
const provider = registered.hover[0];
const token = { isCancellationRequested: false, onCancellationRequested: event() };
const time = async (fn) => { const s = performance.now(); const r = await fn(); return [performance.now() - s, r]; };

const [firstMs, firstHover] = await time(() => provider.provideHover(doc, new Position(0, 0), token));
const afterFirstHover = tokenizerChunksLoaded();
version++; // a new document version: families loaded, counts not cached ("cold-cached")
const coldRuns = [];
for (let i = 0; i < 5; i++) { version++; coldRuns.push((await time(() => provider.provideHover(doc, new Position(0, 0), token)))[0]); }
const cachedRuns = [];
for (let i = 0; i < 20; i++) cachedRuns.push((await time(() => provider.provideHover(doc, new Position(0, 0), token)))[0]);
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const bytes = (f) => { try { return statSync(f).size; } catch { return NaN; } };
const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
const vsix = readdirSync(root).filter((f) => f.endsWith('.vsix')).map((f) => `${f} ${mb(bytes(join(root, f)))}`);

console.log(`Editor figures (dist/extension.js, ${new Date().toISOString().slice(0, 10)}, node ${process.version}):`);
console.log(`  activation: require ${(tRequire - t0).toFixed(1)} ms + activate() ${(tActivate - tRequire).toFixed(1)} ms = ${(tActivate - t0).toFixed(1)} ms (target < 50 ms)`);
console.log(`  tokenizer chunks loaded at activation: ${afterActivation.length ? afterActivation.join(', ') : 'none'}; price database: ${pricingAtActivation ? 'loaded' : 'not loaded'}`);
console.log(`  hover, 100 KB selection, first ever (loads the hover families ${afterFirstHover.join(', ')}): ${firstMs.toFixed(1)} ms`);
console.log(`  hover, 100 KB selection, families loaded, new document version (cold cache): median ${med(coldRuns).toFixed(1)} ms (target < 100 ms)`);
console.log(`  hover, 100 KB selection, same version (cached): median ${med(cachedRuns).toFixed(2)} ms (target < 10 ms)`);
console.log(`  hover shows ${firstHover ? 'content' : 'NOTHING'}: ${firstHover ? JSON.stringify(firstHover.contents.value.slice(0, 80)) + '…' : ''}`);
console.log(`  bundle: dist/extension.js ${mb(bytes(join(root, 'dist', 'extension.js')))}, dist/cli.js ${mb(bytes(join(root, 'dist', 'cli.js')))}${vsix.length ? `; VSIX ${vsix.join(', ')}` : ' (no VSIX built: npm run package)'}`);
ext.deactivate?.();
process.exit(0);
