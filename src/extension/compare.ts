/** "Tokenscope: Compare with…": the shown results against a saved or exported run (a JSON report). */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { compareReports } from '../core/compare';
import { asReport, MergeError } from '../core/merge';
import { buildCompareView } from '../core/report/compareView';
import type { BenchmarkController } from './benchmark';
import type { Log } from './log';
import type { ResultsPanel } from './resultsPanel';

export async function compareWith(
  deps: { benchmark: BenchmarkController; panel: ResultsPanel; log: Log },
  arg?: unknown,
): Promise<boolean> {
  const current = deps.benchmark.lastReport;
  if (!current) {
    void vscode.window.showWarningMessage(
      'Tokenscope: there are no finished results to compare yet. Run a benchmark first, then "Compare with…" a saved or exported run.',
    );
    return false;
  }
  let uri = arg instanceof vscode.Uri ? arg : undefined;
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({
      title: 'Tokenscope: compare with a saved or exported run',
      canSelectMany: false,
      filters: { 'Tokenscope results (JSON)': ['json'] },
      openLabel: 'Compare',
    });
    if (!picked?.length) return false;
    uri = picked[0];
  }
  const name = basename(uri.fsPath || uri.path);
  let other;
  try {
    other = asReport(JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))), name);
  } catch (e) {
    const why =
      e instanceof MergeError
        ? e.message
        : e instanceof SyntaxError
          ? `${name} is not valid JSON (${e.message})`
          : `cannot read ${name}: ${(e as Error).message}`;
    void vscode.window.showErrorMessage(
      `Tokenscope: ${why}. Pick a file saved with Export Results → JSON or "tokenscope bench --json FILE".`,
    );
    return false;
  }
  const view = buildCompareView(compareReports(other, current, { a: name, b: 'these results' }));
  deps.log.info(
    `compare: these results (${current.startedAt}) with ${name} (${other.startedAt}), ${view.rows.length} model(s)`,
  );
  deps.panel.show();
  deps.panel.compare(view);
  return true;
}
