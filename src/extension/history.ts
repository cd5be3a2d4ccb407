/**
 * The extension's benchmark history: src/core/history's HistoryStore over globalStorageUri/history.jsonl, with
 * a cached read that is invalidated when this window appends (other windows' appends show on the next refresh).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fileErrorMessage } from '../core/fileErrors';
import { HistoryStore, recordsFromReport, type HistoryReadResult } from '../core/history';
import { latestOutcomes } from '../core/report/outcomes';
import type { ModelOutcome } from '../core/report/outcomeTypes';
import type { BenchmarkReport, TaskCategory } from '../core/types';

export class HistoryService implements vscode.Disposable {
  readonly store: HistoryStore;
  private cache: Promise<HistoryReadResult> | undefined;
  private outcomesCache: Promise<Map<string, ModelOutcome>> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(storageDir: vscode.Uri) {
    this.store = new HistoryStore(path.join(storageDir.fsPath, 'history.jsonl'));
  }

  get path(): string {
    return this.store.path;
  }

  read(): Promise<HistoryReadResult> {
    this.cache ??= this.store.read().catch((e: unknown) => {
      this.cache = undefined;
      throw new Error(fileErrorMessage('read', 'the history', this.store.path, e));
    });
    return this.cache;
  }

  /** Each model's latest measurement and, when its newest run failed, that failure (hover and sidebar). */
  outcomes(): Promise<Map<string, ModelOutcome>> {
    this.outcomesCache ??= this.read().then((r) => latestOutcomes(r.records));
    this.outcomesCache.catch(() => (this.outcomesCache = undefined));
    return this.outcomesCache;
  }

  /** Appends a finished report's runs. Returns the number of records written. */
  async save(report: BenchmarkReport, category: TaskCategory, prompt: string, storePrompt: boolean): Promise<number> {
    const records = recordsFromReport(report, { category, prompt, storePrompt });
    const n = await this.store.append(records);
    this.invalidate();
    return n;
  }

  async clear(): Promise<void> {
    await this.store.clear();
    this.invalidate();
  }

  invalidate(): void {
    this.cache = undefined;
    this.outcomesCache = undefined;
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
