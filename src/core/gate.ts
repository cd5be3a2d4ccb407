/**
 * The regression gate: each model's medians of this benchmark against the same model's runs in the history,
 * like with like (same cache state, same prompt-size class, within a time window). A TTFT or e2e median above
 * the history's p90 by more than the tolerance, or a decode rate below its p10 by more, is a regression.
 */
import { HistoryStore, type HistoryRecord, type HistoryWarning } from './history';
import { percentile } from './stats';
import type { BenchmarkReport, ModelResult, RunMetrics } from './types';

export class GateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GateError';
  }
}

export type GateMetric = 'ttftMs' | 'e2eMs' | 'decodeTps';

/** What is checked: slower is a higher TTFT/e2e or a lower decode rate. */
export const GATE_CHECKS: readonly { metric: GateMetric; label: string; unit: string; worse: 'higher' | 'lower'; quantile: number; quantileName: string }[] = [
  { metric: 'ttftMs', label: 'TTFT', unit: 'ms', worse: 'higher', quantile: 0.9, quantileName: 'p90' },
  { metric: 'e2eMs', label: 'e2e', unit: 'ms', worse: 'higher', quantile: 0.9, quantileName: 'p90' },
  { metric: 'decodeTps', label: 'decode rate', unit: 'tok/s', worse: 'lower', quantile: 0.1, quantileName: 'p10' },
];

/** Fewest comparable successful history runs a model needs before the gate judges it. */
export const MIN_HISTORY_RUNS = 5;

/**
 * Prompt-size classes by input tokens (upper bounds inclusive). Runs are compared only within a class: TTFT
 * grows with the prompt (prefill), so a 30k-token prompt must not be judged against 200-token history.
 */
export const PROMPT_SIZE_CLASSES: readonly { name: string; maxTokens: number }[] = [
  { name: 'tiny (≤256 tokens)', maxTokens: 256 },
  { name: 'short (257–2,048)', maxTokens: 2048 },
  { name: 'medium (2,049–16,384)', maxTokens: 16_384 },
  { name: 'long (16,385–131,072)', maxTokens: 131_072 },
  { name: 'very long (>131,072)', maxTokens: Infinity },
];
export const UNKNOWN_SIZE_CLASS = 'unknown size (no input token count)';

export function promptSizeClass(inputTokens: number | null | undefined): string {
  if (typeof inputTokens !== 'number' || !Number.isFinite(inputTokens)) return UNKNOWN_SIZE_CLASS;
  return PROMPT_SIZE_CLASSES.find((c) => inputTokens <= c.maxTokens)!.name;
}

/** A run's or a record's cache state; runs recorded before cache states existed were cold. */
export function cacheStateOf(x: RunMetrics | HistoryRecord): string {
  const v = (x as { cacheState?: unknown }).cacheState;
  return typeof v === 'string' && v.length > 0 ? v : 'cold';
}

/** "4w", "14d", "36h" → milliseconds. */
export function parseWindow(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(h|d|w)\s*$/i.exec(text);
  const unit = { h: 3600_000, d: 86_400_000, w: 7 * 86_400_000 };
  if (!m || Number(m[1]) <= 0) throw new GateError(`--gate-window must be a length such as 4w, 14d or 36h (hours, days, weeks), got "${text}"`);
  return Number(m[1]) * unit[m[2].toLowerCase() as keyof typeof unit];
}

/** "10%" or "10" → 0.10. */
export function parseTolerance(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!m || Number(m[1]) > 1000) throw new GateError(`--gate-tolerance must be a percentage from 0% to 1000%, e.g. 10%, got "${text}"`);
  return Number(m[1]) / 100;
}

export interface GateOptions {
  windowMs: number;
  tolerance: number;
  /** The window ends here (default: the benchmark's start, so its own runs never count as history). */
  until?: string;
}

export interface GateCheck {
  metric: GateMetric;
  label: string;
  unit: string;
  /** This benchmark's median. */
  now: number | null;
  /** The history's p90 (TTFT, e2e) or p10 (decode rate). */
  baseline: number | null;
  baselineName: string;
  /** The value past which `now` is a regression: baseline × (1 ± tolerance). */
  limit: number | null;
  regressed: boolean;
}

export type GateStatus = 'pass' | 'regression' | 'no-history' | 'no-data';

export interface GateModelVerdict {
  id: string;
  label?: string;
  region: string;
  status: GateStatus;
  cacheState: string;
  sizeClass: string;
  /** Comparable successful runs found in the history. */
  historyRuns: number;
  checks: GateCheck[];
  okRuns: number;
  failedRuns: number;
  /** One sentence: why it passed or failed. */
  reason: string;
}

export interface GateResult {
  window: string;
  tolerance: number;
  from: string;
  until: string;
  models: GateModelVerdict[];
  regressions: number;
}

/** Groups of a model: what it ran as now, and thus which history runs compare. */
interface ModelClass {
  id: string;
  cacheState: string;
  sizeClass: string;
}

function medianOf(values: readonly (number | null | undefined)[]): number | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  return xs.length ? percentile(xs, 0.5) : null;
}

function classOf(result: ModelResult): ModelClass {
  const ok = result.runs.filter((r) => r.ok && !r.warmup);
  const states = ok.map(cacheStateOf);
  // The state most runs had (a warm-up primes the cache, so measured runs normally share one state).
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1);
  const cacheState = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'cold';
  return { id: result.id, cacheState, sizeClass: promptSizeClass(medianOf(ok.map((r) => r.inputTokens))) };
}

/** Collects the comparable history values of each model, keeping only the three metrics (memory stays small). */
export class GateHistory {
  readonly values = new Map<string, Record<GateMetric, number[]>>();
  private readonly classes: Map<string, ModelClass>;
  private readonly fromMs: number;
  private readonly untilMs: number;

  constructor(report: BenchmarkReport, options: GateOptions) {
    this.classes = new Map(report.results.map((r) => [r.id, classOf(r)]));
    this.untilMs = Date.parse(options.until ?? report.startedAt);
    this.fromMs = this.untilMs - options.windowMs;
  }

  add(record: HistoryRecord): void {
    const cls = this.classes.get(record.modelId);
    if (!cls || !record.metrics.ok) return;
    const t = Date.parse(record.time);
    if (!(t >= this.fromMs && t < this.untilMs)) return;
    if (cacheStateOf(record) !== cls.cacheState || promptSizeClass(record.metrics.inputTokens) !== cls.sizeClass) return;
    let v = this.values.get(record.modelId);
    if (!v) this.values.set(record.modelId, (v = { ttftMs: [], e2eMs: [], decodeTps: [] }));
    for (const { metric } of GATE_CHECKS) {
      const x = record.metrics[metric];
      if (typeof x === 'number' && Number.isFinite(x)) v[metric].push(x);
    }
  }

  classFor(id: string): ModelClass | undefined {
    return this.classes.get(id);
  }

  get from(): string {
    return new Date(this.fromMs).toISOString();
  }

  get until(): string {
    return new Date(this.untilMs).toISOString();
  }
}

const fmt = (v: number | null, unit: string) => (v === null ? '—' : `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${unit}`);

function judge(result: ModelResult, history: GateHistory, tolerance: number): GateModelVerdict {
  const cls = history.classFor(result.id)!;
  const hist = history.values.get(result.id) ?? { ttftMs: [], e2eMs: [], decodeTps: [] };
  const historyRuns = Math.max(...GATE_CHECKS.map((c) => hist[c.metric].length));
  const base = { id: result.id, ...(result.label ? { label: result.label } : {}), region: result.region, cacheState: cls.cacheState, sizeClass: cls.sizeClass, historyRuns, okRuns: result.okRuns, failedRuns: result.failedRuns };
  const checks: GateCheck[] = GATE_CHECKS.map((c) => {
    const now = result.summary[c.metric]?.median ?? null;
    const xs = [...hist[c.metric]].sort((a, b) => a - b);
    const baseline = xs.length >= MIN_HISTORY_RUNS ? percentile(xs, c.quantile) : null;
    const limit = baseline === null ? null : c.worse === 'higher' ? baseline * (1 + tolerance) : baseline * (1 - tolerance);
    const regressed = now !== null && limit !== null && (c.worse === 'higher' ? now > limit : now < limit);
    return { metric: c.metric, label: c.label, unit: c.unit, now, baseline, baselineName: c.quantileName, limit, regressed };
  });
  const like = `${cls.cacheState} cache, ${cls.sizeClass} prompt`;
  if (result.okRuns === 0) return { ...base, status: 'no-data', checks, reason: `no successful run to compare (${result.failedRuns} failed)` };
  if (historyRuns < MIN_HISTORY_RUNS)
    return { ...base, status: 'no-history', checks, reason: `passed with a note: only ${historyRuns} comparable run(s) in the history (${like}); the gate needs ${MIN_HISTORY_RUNS}` };
  const bad = checks.filter((c) => c.regressed);
  if (bad.length === 0) return { ...base, status: 'pass', checks, reason: `within ${Math.round(tolerance * 100)}% of the history's ${historyRuns} run(s) (${like})` };
  const why = bad.map((c) => `${c.label} median ${fmt(c.now, c.unit)} vs history ${c.baselineName} ${fmt(c.baseline, c.unit)} (limit ${fmt(c.limit, c.unit)})`).join('; ');
  return { ...base, status: 'regression', checks, reason: `slower than its history: ${why}; ${historyRuns} run(s), ${like}` };
}

/** Judges every model of the report against the history collected in `history`. */
export function evaluateGate(report: BenchmarkReport, history: GateHistory, options: GateOptions & { windowText: string }): GateResult {
  const models = report.results.map((r) => judge(r, history, options.tolerance));
  return { window: options.windowText, tolerance: options.tolerance, from: history.from, until: history.until, models, regressions: models.filter((m) => m.status === 'regression').length };
}

/** Streams a history file into a gate result; damaged lines come back as warnings. */
export async function gateFromHistoryFile(report: BenchmarkReport, path: string, options: GateOptions & { windowText: string }): Promise<{ gate: GateResult; warnings: HistoryWarning[] }> {
  const history = new GateHistory(report, options);
  const { warnings } = await new HistoryStore(path).scan((r) => history.add(r));
  return { gate: evaluateGate(report, history, options), warnings };
}
