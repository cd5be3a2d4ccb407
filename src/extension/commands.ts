/**
 * The command palette commands (category "Tokenscope"). Each adapts editor state to a core call or to one of
 * the controllers; nothing here measures or formats numbers itself.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEMO_PROMPT } from '../core/report/resultsView';
import { cacheModeChoices } from '../core/cache';
import { keyVariables } from '../core/modelList';
import { updatePriceData } from '../core/pricing/update';
import { modelsExampleEdit } from '../core/modelsExample';
import { EXPORT_EXTENSIONS, EXPORT_FORMATS, exportReport, type ExportFormat } from '../core/report/export';
import { comparisonMarkdown, tokenComparison } from '../core/report/hoverText';
import { checkPromptText } from '../core/promptCheck';
import { TOKENIZER_FAMILIES } from '../core/types';
import type { BenchmarkController } from './benchmark';
import { settings } from './benchmark';
import type { HistoryService } from './history';
import { countFamilies } from './hover';
import type { Log } from './log';
import { findLocalModels, loadModels, localProbes } from './models';
import type { ResultsPanel } from './resultsPanel';
import type { KeyStore } from './secrets';
import { LEADERBOARD_VIEW_ID } from './sidebar';
import { compareWith } from './compare';

export interface CommandDeps {
  benchmark: BenchmarkController;
  panel: ResultsPanel;
  keys: KeyStore;
  history: HistoryService;
  log: Log;
}

/** The editor whose text a command works on: the active one, else the first visible (a webview may have focus). */
function promptEditor(): vscode.TextEditor | undefined {
  return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme !== 'output');
}

function selectionOrDocument(editor: vscode.TextEditor): { text: string; what: 'selection' | 'file'; source: string } {
  const parts = editor.selections.filter((s) => !s.isEmpty).map((s) => editor.document.getText(s));
  const name = documentName(editor.document);
  return parts.length ? { text: parts.join('\n'), what: 'selection', source: `${name} (selection)` } : { text: editor.document.getText(), what: 'file', source: name };
}

/** The file name the panel header shows ("untitled" for a new unsaved editor). */
function documentName(doc: vscode.TextDocument): string {
  return doc.isUntitled ? 'untitled' : path.basename(doc.uri.path);
}

async function noEditor(): Promise<void> {
  void vscode.window.showWarningMessage('Tokenscope: open a prompt in an editor (or select text) first.');
}

/** Options the benchmark commands accept from other extensions and tests: `{ modelIds: string[] }`. */
function modelIdsArg(arg: unknown): string[] | undefined {
  if (arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) && Array.isArray((arg as { modelIds?: unknown }).modelIds)) {
    return ((arg as { modelIds: unknown[] }).modelIds).filter((x): x is string => typeof x === 'string');
  }
  return undefined;
}

/** Asks for a key and stores it. `target` is an env variable name or a model id; asks which when absent. */
export async function setApiKey(keys: KeyStore, log: Log, target?: string): Promise<boolean> {
  const { models } = loadModels();
  const vars = keyVariables(models);
  let env = typeof target === 'string' ? (vars.find((v) => v.env === target)?.env ?? models.find((m) => m.id === target)?.apiKeyEnv) : undefined;
  if (typeof target === 'string' && !env && /^[A-Za-z_][A-Za-z0-9_]*$/.test(target) && !models.some((m) => m.id === target)) env = target;
  if (!env) {
    const items = await Promise.all(
      vars.map(async (v) => {
        const source = await keys.source(v.env);
        return {
          label: v.env,
          description: source === 'secret' ? 'stored in VS Code' : source === 'env' ? 'set in the environment' : 'not set',
          detail: `Used by ${v.models.map((m) => m.label ?? m.id).join(', ')}`,
          env: v.env,
        };
      }),
    );
    const picked = await vscode.window.showQuickPick(items, { title: 'Tokenscope: Set API Key', placeHolder: 'Which provider key? (named by its environment variable)', matchOnDetail: true });
    if (!picked) return false;
    env = picked.env;
  }
  const users = models.filter((m) => m.apiKeyEnv === env).map((m) => m.id);
  const stored = (await keys.source(env)) === 'secret';
  const value = await vscode.window.showInputBox({
    title: `Tokenscope: API key for ${env}`,
    prompt: `${users.length ? `Used by ${users.join(', ')}. ` : ''}Stored in VS Code's secret storage, never in settings.${stored ? ' A key is stored already: a new one replaces it (Escape keeps it; Tokenscope: Remove API Key deletes it).' : ''}`,
    password: true,
    ignoreFocusOut: true,
    placeHolder: env,
    validateInput: (v) => (v.trim() && /\s/.test(v.trim()) ? 'A key has no spaces.' : undefined),
  });
  // Escape, or Enter on an empty box, changes nothing: deleting a key is its own command.
  if (value === undefined) return false;
  if (!value.trim()) {
    void vscode.window.showInformationMessage(`Tokenscope: no key entered for ${env}; ${stored ? 'the stored key is kept' : 'nothing was stored'}.${stored ? ' To delete it, run Tokenscope: Remove API Key.' : ''}`);
    return false;
  }
  await keys.set(env, value.trim());
  log.info(`keys: stored a key for ${env}`);
  void vscode.window.showInformationMessage(`Tokenscope: stored the key for ${env}.`);
  return true;
}

/** Deletes a stored key, after asking which and confirming. Environment variables are not touched. */
export async function removeApiKey(keys: KeyStore, log: Log, target?: string): Promise<boolean> {
  const { models } = loadModels();
  const stored: string[] = [];
  for (const v of keyVariables(models)) if ((await keys.source(v.env)) === 'secret') stored.push(v.env);
  if (typeof target === 'string' && !stored.includes(target) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(target) && (await keys.source(target)) === 'secret') stored.push(target);
  if (!stored.length) {
    void vscode.window.showInformationMessage('Tokenscope: no API key is stored in VS Code, so there is nothing to remove. (Keys from environment variables are not stored by Tokenscope.)');
    return false;
  }
  const env = typeof target === 'string' && stored.includes(target) ? target : (await vscode.window.showQuickPick(stored, { title: 'Tokenscope: Remove API Key', placeHolder: 'Which stored key to delete?' }));
  if (!env) return false;
  const ok = await vscode.window.showWarningMessage(`Delete the stored key for ${env}?`, { modal: true, detail: 'Models that use it will ask for a key again (an environment variable of that name still works).' }, 'Delete Key');
  if (ok !== 'Delete Key') return false;
  await keys.delete(env);
  log.info(`keys: removed the stored key for ${env}`);
  void vscode.window.showInformationMessage(`Tokenscope: removed the stored key for ${env}.`);
  return true;
}

export async function exportResults(deps: CommandDeps, format?: unknown): Promise<vscode.Uri | undefined> {
  const report = deps.benchmark.lastReport;
  if (!report) {
    void vscode.window.showInformationMessage(
      deps.benchmark.isRunning
        ? 'Tokenscope: wait for the benchmark to finish (or cancel it) before exporting.'
        : deps.benchmark.lastWasDemo
          ? 'Tokenscope: the last results are the demo\'s simulated numbers, which are not exported. Benchmark a real model to export.'
          : 'Tokenscope: no results to export yet; run a benchmark first.',
    );
    return undefined;
  }
  if (!report.results.some((r) => r.okRuns + r.failedRuns > 0)) {
    void vscode.window.showInformationMessage('Tokenscope: no run finished before the benchmark was cancelled, so there is nothing to export.');
    return undefined;
  }
  let fmt = EXPORT_FORMATS.find((f) => f === format);
  if (!fmt) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'JSON', description: 'the full report, every run and its text', format: 'json' as ExportFormat },
        { label: 'CSV', description: 'one row per run', format: 'csv' as ExportFormat },
        { label: 'Markdown', description: 'summary table and notes', format: 'markdown' as ExportFormat },
      ],
      { title: 'Tokenscope: Export Results' },
    );
    if (!picked) return undefined;
    fmt = picked.format;
  }
  const stamp = report.startedAt.replace(/[:.]/g, '-').slice(0, 19);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `tokenscope-${stamp}.${EXPORT_EXTENSIONS[fmt]}`;
  const uri = await vscode.window.showSaveDialog({
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    filters: { [fmt === 'markdown' ? 'Markdown' : fmt.toUpperCase()]: [EXPORT_EXTENSIONS[fmt]] },
    saveLabel: 'Export',
  });
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, Buffer.from(exportReport(report, fmt), 'utf8'));
  deps.log.info(`export: wrote ${fmt} to ${uri.fsPath}`);
  void vscode.window.showInformationMessage(`Tokenscope: exported results to ${vscode.workspace.asRelativePath(uri)}.`, 'Open').then((c) => {
    if (c === 'Open') void vscode.window.showTextDocument(uri);
  });
  return uri;
}

async function compareTokenizers(log: Log): Promise<void> {
  const editor = promptEditor();
  if (!editor) return noEditor();
  const { text, what } = selectionOrDocument(editor);
  const check = checkPromptText(text, 'count', `the ${what}`);
  if (!check.ok) return void vscode.window.showInformationMessage(`Tokenscope: ${check.message}`);
  const reference = settings().referenceTokenizer;
  const families = [reference, ...TOKENIZER_FAMILIES.filter((f) => f !== reference)];
  // Large texts take a moment per family: counted with progress, cancellable between families.
  let counts;
  try {
    counts = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Tokenscope: counting tokens in ${text.length.toLocaleString('en-US')} characters`, cancellable: true }, (_, token) => countFamilies(text, families, token));
  } catch (e) {
    if (e instanceof vscode.CancellationError) return;
    throw e;
  }
  const rows = tokenComparison(text.length, counts);
  log.info(`compare tokenizers (${what}, ${text.length} chars): ${rows.map((r) => `${r.family}=${r.count}`).join(', ')}`);
  // A Markdown table that stays open beside the prompt and is on the clipboard, rather than a pick that closes.
  const markdown = comparisonMarkdown(rows, reference, `${documentName(editor.document)}${what === 'selection' ? ' (selection)' : ''}`, text.length);
  await vscode.env.clipboard.writeText(markdown);
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: true });
  void vscode.window.showInformationMessage(`Tokenscope: token counts for ${rows.length} tokenizer families opened beside the prompt and copied as a Markdown table.`);
}

/** Opens the user settings.json at tokenscope.models, adding the commented example when the setting is absent. */
async function configureModels(log: Log): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettingsJson');
  const editor = vscode.window.activeTextEditor;
  if (!editor || !/settings\.json$/i.test(editor.document.uri.path)) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'tokenscope.models');
    return;
  }
  const text = editor.document.getText();
  const edit = modelsExampleEdit(text);
  if (edit) {
    const at = editor.document.positionAt(edit.offset);
    await editor.edit((b) => b.insert(at, edit.insert));
    log.info('configure models: added a commented tokenscope.models example to settings.json');
  }
  const start = editor.document.getText().indexOf('"tokenscope.models"');
  if (start >= 0) {
    const pos = editor.document.positionAt(start);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.AtTop);
  }
}

/** Looks for local model servers now and offers to benchmark them. */
async function findLocalServers(benchmark: BenchmarkController, log: Log): Promise<void> {
  const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Tokenscope: looking for local model servers…' }, () => findLocalModels(log));
  if (!found.length) {
    const where = localProbes(log).map((p) => `${p.name} (127.0.0.1:${p.port})`).join(', ');
    const c = await vscode.window.showInformationMessage(`Tokenscope: no local model server answered. Looked for ${where}. Start one (e.g. \`ollama serve\`) and try again, or try the demo.`, 'Try the Demo', 'Configure Models');
    if (c === 'Try the Demo') await vscode.commands.executeCommand('tokenscope.startDemo');
    if (c === 'Configure Models') await vscode.commands.executeCommand('tokenscope.configureModels');
    return;
  }
  const names = found.map((m) => m.label ?? m.id).join(', ');
  const c = await vscode.window.showInformationMessage(`Tokenscope: found ${names}. They are listed in the model picker.`, 'Benchmark the Selection');
  if (c === 'Benchmark the Selection') {
    const editor = promptEditor();
    if (!editor) return noEditor();
    const { text, what, source } = selectionOrDocument(editor);
    await benchmark.run({ prompt: text, languageId: editor.document.languageId, modelIds: found.map((m) => m.id), what: `the ${what}`, source });
  }
}

export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const { benchmark, panel, keys, log } = deps;
  const reg = (id: string, fn: (...args: unknown[]) => unknown) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await fn(...args);
        } catch (e) {
          log.error(`${id}: ${(e as Error).stack ?? String(e)}`);
          void vscode.window.showErrorMessage(`Tokenscope: ${(e as Error).message}`);
          return undefined;
        }
      }),
    );

  reg('tokenscope.benchmarkSelection', async (arg) => {
    const editor = promptEditor();
    if (!editor) return noEditor();
    const { text, what, source } = selectionOrDocument(editor);
    return benchmark.run({ prompt: text, languageId: editor.document.languageId, modelIds: modelIdsArg(arg), what: `the ${what}`, source });
  });
  reg('tokenscope.benchmarkPromptCache', async () => {
    const editor = promptEditor();
    if (!editor) return noEditor();
    const { text, what } = selectionOrDocument(editor);
    const items = cacheModeChoices(settings().cache).map((c) => ({ label: c.label, detail: c.detail, mode: c.mode }));
    const choice = await vscode.window.showQuickPick(items, { title: 'Tokenscope: prompt cache state', placeHolder: 'Benchmark with a cold cache, a warm cache, or both (default: the tokenscope.cache setting)' });
    if (!choice) return undefined;
    return benchmark.run({ prompt: text, languageId: editor.document.languageId, what: `the ${what}`, cache: choice.mode });
  });
  reg('tokenscope.benchmarkFile', async (arg) => {
    let doc: vscode.TextDocument | undefined;
    if (arg instanceof vscode.Uri) doc = await vscode.workspace.openTextDocument(arg);
    else doc = promptEditor()?.document;
    if (!doc) return noEditor();
    return benchmark.run({ prompt: doc.getText(), languageId: doc.languageId, modelIds: modelIdsArg(arg), what: 'the file', source: documentName(doc) });
  });
  reg('tokenscope.startDemo', async () => {
    // The selection or open prompt when there is one, else a short built-in prompt.
    const editor = promptEditor();
    const picked = editor ? selectionOrDocument(editor) : undefined;
    const usable = picked && picked.text.trim() ? picked : undefined;
    return benchmark.run({ prompt: usable?.text ?? DEMO_PROMPT, languageId: editor?.document.languageId, what: usable ? `the ${usable.what}` : 'the demo prompt', ...(usable ? { source: usable.source } : {}), demo: true });
  });
  reg('tokenscope.findLocalServers', () => findLocalServers(benchmark, log));
  reg('tokenscope.removeApiKey', (target) => removeApiKey(keys, log, typeof target === 'string' ? target : undefined));
  reg('tokenscope.compareTokenizers', () => compareTokenizers(log));
  reg('tokenscope.setApiKey', (target) => setApiKey(keys, log, typeof target === 'string' ? target : undefined));
  reg('tokenscope.configureModels', () => configureModels(log));
  // Opens the Tokenscope side bar (even when another view container is showing), then focuses the leaderboard.
  reg('tokenscope.showComparison', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.tokenscope');
    await vscode.commands.executeCommand(`${LEADERBOARD_VIEW_ID}.focus`);
  });
  reg('tokenscope.showResults', () => {
    panel.show();
    panel.update(benchmark.currentView());
  });
  reg('tokenscope.exportResults', (format) => exportResults(deps, format));
  reg('tokenscope.compareWith', (arg) => compareWith(deps, arg));
  reg('tokenscope.cancelBenchmark', () => {
    if (!benchmark.cancel()) void vscode.window.showInformationMessage('Tokenscope: no benchmark is running.');
  });
  reg('tokenscope.updatePrices', async () => {
    // The same update as `tokenscope prices --update`; the shared cache serves the CLI and the editor alike.
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Tokenscope: fetching newer prices' }, () => updatePriceData());
    log.info(`prices: ${result.message}`);
    if (result.ok) void vscode.window.showInformationMessage(`Tokenscope: ${result.message}`);
    else void vscode.window.showWarningMessage(`Tokenscope: ${result.message}`);
  });
  reg('tokenscope.clearHistory', async () => {
    const ok = await vscode.window.showWarningMessage(`Delete every saved benchmark run in ${deps.history.path}?`, { modal: true, detail: 'The results panel is cleared too, so no view shows runs the history no longer has.' }, 'Delete');
    if (ok !== 'Delete') return;
    await deps.history.clear();
    await benchmark.forgetLast();
    log.info('history: cleared (and the last results in the panel)');
  });
}
