/**
 * A benchmark report that fills in while the benchmark runs: fed the runner's progress events, it keeps a
 * partial BenchmarkReport (with summaries over the runs so far) so the results panel can update live.
 * Pure: no `vscode`.
 */
import { createHash } from 'node:crypto';
import { emptyResult, recordRun, summarizeRuns, type ProgressEvent } from '../runner';
import type { BenchmarkReport, ModelResult, ModelSpec } from '../types';
import { TOOL_VERSION } from '../version';
import { buildResultsView, type ResultsView } from './resultsView';

export interface LiveSettings {
  runs: number;
  warmup: number;
  concurrency: number;
  maxTokens: number;
  timeoutMs: number;
  cache?: BenchmarkReport['settings']['cache'];
  inputTokens?: number[];
  location?: string;
}

export { hostOf } from '../runner';

export class LiveReport {
  private report: BenchmarkReport;
  private done = 0;
  private total: number;
  private readonly active = new Map<string, number>();
  private finished = false;
  private cancelled = false;

  constructor(models: readonly ModelSpec[], prompt: string, settings: LiveSettings, now = new Date()) {
    this.total = models.length * (settings.runs + settings.warmup);
    this.report = {
      tool: { name: 'tokenscope', version: TOOL_VERSION },
      startedAt: now.toISOString(),
      finishedAt: now.toISOString(),
      prompt: { chars: prompt.length, sha256: createHash('sha256').update(prompt).digest('hex') },
      settings: { ...settings },
      results: models.map(emptyResult),
    };
  }

  /** Applies one progress event. Returns true when the view changed. */
  apply(event: ProgressEvent): boolean {
    switch (event.type) {
      case 'start':
        this.total = event.totalRuns;
        return true;
      case 'run-start':
        this.active.set(event.modelId, (this.active.get(event.modelId) ?? 0) + 1);
        return true;
      case 'run-end': {
        this.done++;
        const n = (this.active.get(event.modelId) ?? 1) - 1;
        if (n > 0) this.active.set(event.modelId, n);
        else this.active.delete(event.modelId);
        if (event.warmup) return true;
        const r = this.result(event.modelId);
        if (!r) return true;
        recordRun(r, event.metrics);
        // As in the final report: with cold and warm runs, the summary is the cold ones.
        r.summary = summarizeRuns(r.runs.some((x) => x.cacheState === 'cold') ? r.runs.filter((x) => x.cacheState !== 'warm') : r.runs);
        return true;
      }
      case 'warning': {
        const r = this.result(event.modelId);
        if (r && !r.warnings.includes(event.message)) r.warnings.push(event.message);
        return true;
      }
      case 'retry':
        return false;
      case 'end':
        this.report = event.report;
        this.finished = true;
        this.active.clear();
        return true;
    }
  }

  /** Marks the benchmark as over without a final report (it failed or was cancelled). */
  stop(cancelled: boolean, now = new Date()): void {
    this.finished = true;
    this.cancelled = cancelled;
    this.active.clear();
    this.report = { ...this.report, finishedAt: now.toISOString() };
  }

  markCancelled(): void {
    this.cancelled = true;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  get current(): BenchmarkReport {
    return this.report;
  }

  view(): ResultsView {
    return buildResultsView(this.report, {
      running: !this.finished,
      cancelled: this.cancelled,
      progress: { done: this.done, total: this.total },
      active: [...this.active.keys()],
    });
  }

  private result(id: string): ModelResult | undefined {
    return this.report.results.find((r) => r.id === id);
  }
}
