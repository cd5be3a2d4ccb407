/**
 * A benchmark report that fills in while the benchmark runs: fed the runner's progress events, it keeps a
 * partial BenchmarkReport (with summaries over the runs so far) so the results panel can update live.
 * Pure: no `vscode`.
 */
import type { ProgressEvent } from '../types';
import type { BenchmarkReport, ModelResult, ModelSpec } from '../types';
import { emptyResult, recordRun, reportHeader, summarizeRuns } from './reportParts';
import { buildResultsView, type ModelActivity, type PromptInfo, type ResultsView } from './resultsView';

export type LiveSettings = Omit<BenchmarkReport['settings'], 'slo'>;

/** The prompt's first non-empty line for a header: Markdown heading marks dropped, at most `max` characters. */
export function promptFirstLine(text: string, max = 80): string {
  const line =
    text
      .split(/\r?\n/)
      .map((l) => l.replace(/^\s*#+\s*/, '').trim())
      .find((l) => l.length > 0) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export class LiveReport {
  private report: BenchmarkReport;
  private warmupDone = 0;
  private readonly activity = new Map<string, ModelActivity>();
  private finished = false;
  private cancelled = false;

  constructor(
    models: readonly ModelSpec[],
    prompt: string,
    settings: LiveSettings,
    now = new Date(),
    /** What the panel header says about the prompt, and whether this is the demo. */
    private readonly display: { prompt?: Pick<PromptInfo, 'source' | 'firstLine'>; demo?: boolean } = {},
  ) {
    this.report = { ...reportHeader(prompt, { ...settings }, now.toISOString()), results: models.map(emptyResult) };
  }

  /** Applies one progress event. Returns true when the view changed. */
  apply(event: ProgressEvent): boolean {
    switch (event.type) {
      case 'start':
        return true;
      case 'run-start': {
        const a = this.act(event.modelId);
        if (event.warmup) a.warmupActive++;
        else a.measuredActive++;
        return true;
      }
      case 'run-end': {
        const a = this.act(event.modelId);
        if (event.warmup) {
          a.warmupActive = Math.max(0, a.warmupActive - 1);
          a.warmupDone++;
          this.warmupDone++;
          return true;
        }
        a.measuredActive = Math.max(0, a.measuredActive - 1);
        const r = this.result(event.modelId);
        if (!r) return true;
        recordRun(r, event.metrics);
        // As in the final report: with cold and warm runs, the summary is the cold ones.
        r.summary = summarizeRuns(
          r.runs.some((x) => x.cacheState === 'cold') ? r.runs.filter((x) => x.cacheState !== 'warm') : r.runs,
        );
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
        this.activity.clear();
        return true;
    }
  }

  /** Marks the benchmark as over without a final report (it failed or was cancelled). */
  stop(cancelled: boolean, now = new Date()): void {
    this.finished = true;
    this.cancelled = cancelled;
    this.activity.clear();
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
      warmupDone: this.warmupDone,
      activity: Object.fromEntries(this.activity),
      ...this.display,
    });
  }

  private act(id: string): ModelActivity {
    let a = this.activity.get(id);
    if (!a) this.activity.set(id, (a = { warmupActive: 0, measuredActive: 0, warmupDone: 0 }));
    return a;
  }

  private result(id: string): ModelResult | undefined {
    return this.report.results.find((r) => r.id === id);
  }
}
