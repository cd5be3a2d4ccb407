/**
 * The command palette commands (category "Tokenscope"). Each adapts editor state to a core call or to one of
 * the controllers; nothing here measures or formats numbers itself.
 */
import * as vscode from 'vscode';
import { cacheModeChoices } from '../core/cache';
import { keyVariables } from '../core/modelList';
import { EXPORT_EXTENSIONS, EXPORT_FORMATS, exportReport, type ExportFormat } from '../core/report/export';
import { comparisonLine, tokenComparison } from '../core/report/hoverText';
import { checkPromptText } from '../core/text';
import { TOKENIZER_FAMILIES } from '../core/types';
import type { BenchmarkController } from './benchmark';
import { settings } from './benchmark';
import type { HistoryService } from './history';
import { countFamilies } from './hover';
import type { Log } from './log';
import { loadModels } from './models';
import type { ResultsPanel } from './resultsPanel';
import type { KeyStore } from './secrets';
import { LEADERBOARD_VIEW_ID } from './sidebar';

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

function selectionOrDocument(editor: vscode.TextEditor): { text: string; what: 'selection' | 'file' } {
  const parts = editor.selections.filter((s) => !s.isEmpty).map((s) => editor.document.getText(s));
  return parts.length ? { text: parts.join('\n'), what: 'selection' } : { text: editor.document.getText(), what: 'file' };
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
    prompt: `${users.length ? `Used by ${users.join(', ')}. ` : ''}Stored in VS Code's secret storage, never in settings.${stored ? ' Leave empty to remove the stored key.' : ''}`,
    password: true,
    ignoreFocusOut: true,
    placeHolder: env,
    validateInput: (v) => (v.trim() && /\s/.test(v.trim()) ? 'A key has no spaces.' : undefined),
  });
  if (value === undefined) return false;
  if (!value.trim()) {
    if (stored) {
      await keys.delete(env);
      log.info(`keys: removed the stored key for ${env}`);
      void vscode.window.showInformationMessage(`Tokenscope: removed the stored key for ${env}.`);
    }
    return false;
  }
  await keys.set(env, value.trim());
  log.info(`keys: stored a key for ${env}`);
  void vscode.window.showInformationMessage(`Tokenscope: stored the key for ${env}.`);
  return true;
}

export async function exportResults(deps: CommandDeps, format?: unknown): Promise<vscode.Uri | undefined> {
  const report = deps.benchmark.lastReport;
  if (!report) {
    void vscode.window.showInformationMessage(deps.benchmark.isRunning ? 'Tokenscope: wait for the benchmark to finish (or cancel it) before exporting.' : 'Tokenscope: no results to export yet; run a benchmark first.');
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
  await vscode.window.showQuickPick(
    rows.map((r) => ({ label: r.label, description: comparisonLine(r, reference), detail: r.exact ? undefined : 'Approximate: the public tokenizer differs from the current models.' })),
    { title: `Tokens in the ${what} (${text.length.toLocaleString('en-US')} characters)`, placeHolder: 'Token counts per tokenizer family (first: the reference tokenizer)' },
  );
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
    const { text, what } = selectionOrDocument(editor);
    return benchmark.run({ prompt: text, languageId: editor.document.languageId, modelIds: modelIdsArg(arg), what: `the ${what}` });
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
    return benchmark.run({ prompt: doc.getText(), languageId: doc.languageId, modelIds: modelIdsArg(arg), what: 'the file' });
  });
  reg('tokenscope.compareTokenizers', () => compareTokenizers(log));
  reg('tokenscope.setApiKey', (target) => setApiKey(keys, log, typeof target === 'string' ? target : undefined));
  reg('tokenscope.configureModels', () => vscode.commands.executeCommand('workbench.action.openSettings', 'tokenscope.models'));
  reg('tokenscope.showComparison', () => vscode.commands.executeCommand(`${LEADERBOARD_VIEW_ID}.focus`));
  reg('tokenscope.showResults', () => {
    panel.show();
    panel.update(benchmark.currentView());
  });
  reg('tokenscope.exportResults', (format) => exportResults(deps, format));
  reg('tokenscope.cancelBenchmark', () => {
    if (!benchmark.cancel()) void vscode.window.showInformationMessage('Tokenscope: no benchmark is running.');
  });
  reg('tokenscope.clearHistory', async () => {
    const ok = await vscode.window.showWarningMessage(`Delete every saved benchmark run in ${deps.history.path}?`, { modal: true }, 'Delete');
    if (ok !== 'Delete') return;
    await deps.history.clear();
    log.info('history: cleared');
  });
}
