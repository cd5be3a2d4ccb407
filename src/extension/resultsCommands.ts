/**
 * The commands about finished results: Show Results, Export Results, Compare with… and Clear History (which
 * clears the panel too, so no view shows runs the history no longer has).
 */
import * as vscode from 'vscode';
import { EXPORT_EXTENSIONS, EXPORT_FORMATS, exportReport, type ExportFormat } from '../core/report/export';
import type { BenchmarkController } from './benchmark';
import { Command, type HandlersOf } from './commandIds';
import { compareWith } from './compare';
import type { HistoryService } from './history';
import type { Log } from './log';
import type { ResultsPanel } from './resultsPanel';

export interface ResultsCommandDeps {
  benchmark: BenchmarkController;
  panel: ResultsPanel;
  history: HistoryService;
  log: Log;
}

export async function exportResults(deps: ResultsCommandDeps, format?: unknown): Promise<vscode.Uri | undefined> {
  const report = deps.benchmark.lastReport;
  if (!report) {
    void vscode.window.showInformationMessage(
      deps.benchmark.isRunning
        ? 'Tokenscope: wait for the benchmark to finish (or cancel it) before exporting.'
        : deps.benchmark.lastWasDemo
          ? "Tokenscope: the last results are the demo's simulated numbers, which are not exported. Benchmark a real model to export."
          : 'Tokenscope: no results to export yet; run a benchmark first.',
    );
    return undefined;
  }
  if (!report.results.some((r) => r.okRuns + r.failedRuns > 0)) {
    void vscode.window.showInformationMessage(
      'Tokenscope: no run finished before the benchmark was cancelled, so there is nothing to export.',
    );
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
  void vscode.window
    .showInformationMessage(`Tokenscope: exported results to ${vscode.workspace.asRelativePath(uri)}.`, 'Open')
    .then((c) => {
      if (c === 'Open') void vscode.window.showTextDocument(uri);
    });
  return uri;
}

export function resultsCommands(
  deps: ResultsCommandDeps,
): HandlersOf<'showResults' | 'exportResults' | 'compareWith' | 'clearHistory'> {
  const { benchmark, panel, log } = deps;
  return {
    [Command.showResults]: () => {
      panel.show();
      panel.update(benchmark.currentView());
    },
    [Command.exportResults]: (format) => exportResults(deps, format),
    [Command.compareWith]: (arg) => compareWith(deps, arg),
    [Command.clearHistory]: async () => {
      const ok = await vscode.window.showWarningMessage(
        `Delete every saved benchmark run in ${deps.history.path}?`,
        { modal: true, detail: 'The results panel is cleared too, so no view shows runs the history no longer has.' },
        'Delete',
      );
      if (ok !== 'Delete') return;
      await deps.history.clear();
      await benchmark.forgetLast();
      log.info('history: cleared (and the last results in the panel)');
    },
  };
}
