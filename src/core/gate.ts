/**
 * The regression gate: each model's medians of this benchmark against the same model's runs in the history,
 * like with like (same cache state, same prompt-size class, within a time window). A TTFT or e2e median above
 * the history's p90 by more than the tolerance, or a decode rate below its p10 by more, is a regression.
 */
import { HistoryStore, type HistoryRecord, type HistoryWarning } from './history';
import { withUnit } from './report/format';
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
export const GATE_CHECKS: readonly {
  metric: GateMetric;
  label: string;
  unit: string;
  worse: 'higher' | 'lower';
  quantile: number;
  quantileName: string;
}[] = [
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
  if (!m || Number(m[1]) <= 0)
    throw new GateError(`--gate-window must be a length such as 4w, 14d or 36h (hours, days, weeks), got "${text}"`);
  return Number(m[1]) * unit[m[2].toLowerCase() as keyof typeof unit];
}

/** "10%" or "10" → 0.10. */
export function parseTolerance(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!m || Number(m[1]) > 1000)
    throw new GateError(`--gate-tolerance must be a percentage from 0% to 1000%, e.g. 10%, got "${text}"`);
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

/** One group of a model's runs judged together: same cache state, and the history runs that compare with it. */
interface RunGroup {
  result: ModelResult;
  cacheState: string;
  sizeClass: string;
  runs: RunMetrics[];
  history: Record<GateMetric, number[]>;
}

function medianOf(values: readonly (number | null | undefined)[]): number | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  return xs.length ? percentile(xs, 0.5) : null;
}

const groupKey = (modelId: string, cacheState: string) => `${modelId}\u0000${cacheState}`;

/**
 * A model's successful runs by cache state (a benchmark that sweeps cold and warm runs is judged per state);
 * a model without any successful run is one empty group, so it still gets a verdict.
 */
function groupsOf(result: ModelResult): RunGroup[] {
  const ok = result.runs.filter((r) => r.ok && !r.warmup);
  const byState = new Map<string, RunMetrics[]>();
  for (const r of ok) {
    const state = cacheStateOf(r);
    byState.set(state, [...(byState.get(state) ?? []), r]);
  }
  if (byState.size === 0) byState.set('cold', []);
  return [...byState].map(([cacheState, runs]) => ({
    result,
    cacheState,
    sizeClass: promptSizeClass(medianOf(runs.map((r) => r.inputTokens))),
    runs,
    history: { ttftMs: [], e2eMs: [], decodeTps: [] },
  }));
}

/** Collects the comparable history values of each group, keeping only the three metrics (memory stays small). */
export class GateHistory {
  readonly groups: RunGroup[];
  private readonly byKey: Map<string, RunGroup>;
  private readonly fromMs: number;
  private readonly untilMs: number;

  constructor(report: BenchmarkReport, options: GateOptions) {
    this.groups = report.results.flatMap(groupsOf);
    this.byKey = new Map(this.groups.map((g) => [groupKey(g.result.id, g.cacheState), g]));
    this.untilMs = Date.parse(options.until ?? report.startedAt);
    this.fromMs = this.untilMs - options.windowMs;
  }

  add(record: HistoryRecord): void {
    if (!record.metrics.ok) return;
    const group = this.byKey.get(groupKey(record.modelId, cacheStateOf(record)));
    if (!group) return;
    const t = Date.parse(record.time);
    if (!(t >= this.fromMs && t < this.untilMs)) return;
    if (promptSizeClass(record.metrics.inputTokens) !== group.sizeClass) return;
    for (const { metric } of GATE_CHECKS) {
      const x = record.metrics[metric];
      if (typeof x === 'number' && Number.isFinite(x)) group.history[metric].push(x);
    }
  }

  get from(): string {
    return new Date(this.fromMs).toISOString();
  }

  get until(): string {
    return new Date(this.untilMs).toISOString();
  }
}

function judge(group: RunGroup, tolerance: number): GateModelVerdict {
  const { result, history: hist } = group;
  const historyRuns = Math.max(...GATE_CHECKS.map((c) => hist[c.metric].length));
  const failedRuns = result.failedRuns;
  const base = {
    id: result.id,
    ...(result.label ? { label: result.label } : {}),
    region: result.region,
    cacheState: group.cacheState,
    sizeClass: group.sizeClass,
    historyRuns,
    okRuns: group.runs.length,
    failedRuns,
  };
  const checks: GateCheck[] = GATE_CHECKS.map((c) => {
    const now = medianOf(group.runs.map((r) => r[c.metric]));
    const xs = [...hist[c.metric]].sort((a, b) => a - b);
    const baseline = xs.length >= MIN_HISTORY_RUNS ? percentile(xs, c.quantile) : null;
    const limit =
      baseline === null ? null : c.worse === 'higher' ? baseline * (1 + tolerance) : baseline * (1 - tolerance);
    const regressed = now !== null && limit !== null && (c.worse === 'higher' ? now > limit : now < limit);
    return {
      metric: c.metric,
      label: c.label,
      unit: c.unit,
      now,
      baseline,
      baselineName: c.quantileName,
      limit,
      regressed,
    };
  });
  const like = `${group.cacheState} cache, ${group.sizeClass} prompt`;
  if (group.runs.length === 0)
    return { ...base, status: 'no-data', checks, reason: `no successful run to compare (${failedRuns} failed)` };
  if (historyRuns < MIN_HISTORY_RUNS)
    return {
      ...base,
      status: 'no-history',
      checks,
      reason: `passed with a note: only ${historyRuns} comparable run(s) in the history (${like}); the gate needs ${MIN_HISTORY_RUNS}`,
    };
  const bad = checks.filter((c) => c.regressed);
  if (bad.length === 0)
    return {
      ...base,
      status: 'pass',
      checks,
      reason: `within ${Math.round(tolerance * 100)}% of the history's ${historyRuns} run(s) (${like})`,
    };
  const why = bad
    .map(
      (c) =>
        `${c.label} median ${withUnit(c.now, c.unit)} vs history ${c.baselineName} ${withUnit(c.baseline, c.unit)} (limit ${withUnit(c.limit, c.unit)})`,
    )
    .join('; ');
  return {
    ...base,
    status: 'regression',
    checks,
    reason: `slower than its history: ${why}; ${historyRuns} run(s), ${like}`,
  };
}

/** Judges every model of the report (per cache state) against the history collected in `history`. */
export function evaluateGate(history: GateHistory, options: GateOptions & { windowText: string }): GateResult {
  const models = history.groups.map((g) => judge(g, options.tolerance));
  return {
    window: options.windowText,
    tolerance: options.tolerance,
    from: history.from,
    until: history.until,
    models,
    regressions: models.filter((m) => m.status === 'regression').length,
  };
}

/** Streams a history file into a gate result; damaged lines come back as warnings. */
export async function gateFromHistoryFile(
  report: BenchmarkReport,
  path: string,
  options: GateOptions & { windowText: string },
): Promise<{ gate: GateResult; warnings: HistoryWarning[] }> {
  const history = new GateHistory(report, options);
  const { warnings } = await new HistoryStore(path).scan((r) => history.add(r));
  return { gate: evaluateGate(history, options), warnings };
}
