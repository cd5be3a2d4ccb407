/**
 * The results panel's view model: what the extension sends to the results webview, built from a (possibly
 * partial, still running) benchmark report. Pure: no `vscode`, no DOM. The webview only renders it.
 */
import { sloCellText } from '../slo';
import { describePriceSource } from '../pricing/describe';
import { summarize } from '../stats';
import { formatUsd } from './format';
import { hostGroups, type HostGroup } from './hostGroups';
import type {
  BenchmarkReport,
  CacheMode,
  ErrorKind,
  ModelResult,
  Region,
  RunMetrics,
  Summary,
  SpeculationSummary,
} from '../types';
import { groupErrors, type ErrorGroup } from './failures';
import { regionSummaries } from './summaries';
import { cacheModeNote, ttftFields, type CacheView, type PhaseBarView, type SweepView } from './ttftView';

/** Columns of the results table, in display order. */
export const VIEW_METRICS = [
  'ttftMs',
  'ttfoMs',
  'decodeTps',
  'normalizedTps',
  'e2eMs',
  'interChunkP50Ms',
  'interChunkP95Ms',
  'inputTokens',
  'outputTokens',
  'reasoningTokens',
  'costUsd',
] as const;
export type ViewMetric = (typeof VIEW_METRICS)[number];

/** The metrics of the region aggregate rows. */
export const AGGREGATE_METRICS = [
  'ttftMs',
  'ttfoMs',
  'decodeTps',
  'normalizedTps',
  'e2eMs',
  'costUsd',
] as const satisfies readonly ViewMetric[];

export type Better = 'lower' | 'higher' | 'none';

export interface ColumnDef {
  metric: ViewMetric;
  /** Column header. */
  label: string;
  unit: string;
  better: Better;
  /** One sentence on what the column measures (tooltip). */
  help: string;
}

export const COLUMNS: readonly ColumnDef[] = [
  {
    metric: 'ttftMs',
    label: 'TTFT',
    unit: 'ms',
    better: 'lower',
    help: 'Time to first token of any kind (reasoning included), from request start.',
  },
  {
    metric: 'ttfoMs',
    label: 'TTFO',
    unit: 'ms',
    better: 'lower',
    help: 'Time to the first answer token (after any visible reasoning).',
  },
  {
    metric: 'decodeTps',
    label: 'tok/s (own tokens)',
    unit: 'tok/s',
    better: 'higher',
    help: "Decode rate counted in the model's own tokens (provider usage or its tokenizer).",
  },
  {
    metric: 'normalizedTps',
    label: 'tok/s (o200k)',
    unit: 'tok/s',
    better: 'higher',
    help: 'Decode rate of the same text re-counted with the o200k reference tokenizer, so models compare fairly.',
  },
  { metric: 'e2eMs', label: 'e2e', unit: 'ms', better: 'lower', help: 'Request start to the last token.' },
  {
    metric: 'interChunkP50Ms',
    label: 'gap p50',
    unit: 'ms',
    better: 'lower',
    help: 'Median gap between token-carrying network reads.',
  },
  {
    metric: 'interChunkP95Ms',
    label: 'gap p95',
    unit: 'ms',
    better: 'lower',
    help: '95th percentile of the gaps between token-carrying network reads.',
  },
  {
    metric: 'inputTokens',
    label: 'in',
    unit: 'tokens',
    better: 'none',
    help: 'Input tokens as the provider reported them.',
  },
  { metric: 'outputTokens', label: 'out', unit: 'tokens', better: 'none', help: 'Output tokens, reasoning included.' },
  {
    metric: 'reasoningTokens',
    label: 'reasoning',
    unit: 'tokens',
    better: 'none',
    help: 'Reasoning tokens (part of the output).',
  },
  {
    metric: 'costUsd',
    label: 'cost/run',
    unit: 'USD',
    better: 'lower',
    help: "Cost of one run: the run's usage priced by genai-prices at its start time (cache reads and writes, tiers, peak hours), or by the price in your config.",
  },
];

export interface Spread {
  n: number;
  min: number;
  max: number;
  mad: number;
}

export interface MetricCell {
  /** Median over the successful measured runs; null when unknown. */
  value: number | null;
  /** The value as displayed. */
  text: string;
  spread?: Spread;
  /** Best of its column (ties are all best). */
  best: boolean;
}

export type Cells<K extends string> = Record<K, MetricCell>;

export interface RunView {
  index: number;
  ok: boolean;
  startedAt: string;
  ttftMs: number | null;
  decodeTps: number | null;
  outputTokens: number | null;
  /** Untrusted model text: render as text only. */
  answerText: string;
  reasoningText: string;
  error: string | null;
  errorKind?: ErrorKind;
  /** Caveats about this run's numbers (e.g. hidden reasoning tokens inferred). */
  notes: string[];
}

export interface TimelinePoint {
  /** ms from request start */
  t: number;
  /** cumulative tokens received */
  tokens: number;
}

export interface TimelineSeries {
  /** Which measured run the series comes from (the one with the median decode rate). */
  runIndex: number;
  points: TimelinePoint[];
}

/** Where a model is, as it happens: waiting its turn, in a warm-up run, in a measured run, finished. */
export type ModelStatus = 'queued' | 'warming up' | 'running' | 'done' | 'failed' | 'cancelled';
export const MODEL_STATUSES: readonly ModelStatus[] = [
  'queued',
  'warming up',
  'running',
  'done',
  'failed',
  'cancelled',
];

export interface ModelRow {
  id: string;
  label: string;
  region: Region;
  host: string;
  model: string;
  protocol: string;
  /** Who served it (e.g. "openrouter") and the underlying model, when known. */
  provider?: string;
  baseModel?: string;
  /** Where its cost's price came from, in a few words ("genai-prices 0.1.8, data of 2026-09-23", "your config"). */
  priceSource?: string;
  status: ModelStatus;
  /** The status in words with its counts, e.g. "run 2 of 3", "warm-up 1 of 1", "failed: 401 (3 of 3 runs)". */
  statusText: string;
  okRuns: number;
  failedRuns: number;
  /** Runs stopped by the user (neither ok nor failed). */
  cancelledRuns: number;
  /** "usage", "tokenizer" or "usage+tokenizer"; "—" before the first success. */
  tokenSource: string;
  tokenizer?: string;
  cells: Cells<ViewMetric>;
  runs: RunView[];
  timeline: TimelineSeries | null;
  warnings: string[];
  /** Failed measured runs grouped by distinct error (one card each, with its count). */
  errorGroups: ErrorGroup[];
  /** The speculative-decoding advisor's verdict (estimated); absent until the benchmark ends. */
  speculation?: SpeculationView;
  /** Cold vs warm prompt cache, when both ran. */
  cache?: CacheView;
  /** TTFT split into network, waiting for the first byte, and first byte to first token. */
  phaseBar?: PhaseBarView;
  /** TTFT against prompt length, from a sweep. */
  sweep?: SweepView;
  /** Runs that met the SLO and goodput, when the benchmark had one. */
  slo?: SloView;
}

export interface SloView {
  met: number;
  total: number;
  share: number;
  goodputRps: number | null;
  /** e.g. "7/10 (70%), 1.40 req/s" */
  text: string;
}

export interface SpeculationView {
  /** Short cell text, e.g. "lookup 2.3×", or "—" when no technique is estimated to help materially. */
  text: string;
  flagged: boolean;
  verdict: string;
  assumptions: string[];
}

/** The advisor's verdict as the panel shows it: the speedup of the technique that fits, labelled estimated. */
export function speculationView(sp: SpeculationSummary | undefined): SpeculationView | undefined {
  if (!sp) return undefined;
  const x =
    sp.technique === 'prompt-lookup'
      ? sp.promptLookupSpeedup
      : sp.technique === 'draft-model'
        ? sp.draftModelSpeedup
        : null;
  const text =
    sp.flagged && x !== null ? `${sp.technique === 'prompt-lookup' ? 'lookup' : 'draft'} ${x.toFixed(1)}×` : '—';
  return { text, flagged: sp.flagged, verdict: sp.verdict, assumptions: [...sp.assumptions] };
}

export interface AggregateRow {
  region: Region;
  models: number;
  cells: Cells<(typeof AGGREGATE_METRICS)[number]>;
}

export interface ResultsView {
  startedAt: string;
  finishedAt: string | null;
  running: boolean;
  cancelled: boolean;
  /** Measured runs finished (ok or failed; cancelled ones are not) of those planned. Warm-ups are counted apart. */
  progress: { done: number; total: number; warmupDone: number; warmupTotal: number };
  settings: BenchmarkReport['settings'];
  prompt: PromptInfo;
  /** True for the demo against the built-in test server: every number is simulated, none is saved. */
  demo: boolean;
  toolVersion: string;
  columns: ColumnDef[];
  rows: ModelRow[];
  /** Per region with data (CN vs US, and local): the median over every successful run of its models, pooled. */
  aggregates: AggregateRow[];
  /** Rows serving the same underlying model from different hosts, fastest first. */
  hostGroups: HostGroup[];
  notes: string[];
  /** Prompt-cache state the runs were made in. */
  cacheMode?: CacheMode;
  /** Where the benchmark ran from, as the user labelled it. */
  location?: string;
  /** The SLO the runs were checked against, e.g. "ttft<=800,tps>=30". */
  slo?: string;
}

/** What ran: size and hash always; where it came from and its first line when the editor knows them. */
export interface PromptInfo {
  chars: number;
  sha256: string;
  /** File name (or "untitled"), with "selection" when only part of it ran. */
  source?: string;
  /** The prompt's first non-empty line, shortened. */
  firstLine?: string;
}

/** A model's runs in flight and warm-ups finished, while the benchmark runs. */
export interface ModelActivity {
  warmupActive: number;
  measuredActive: number;
  warmupDone: number;
}

export interface ViewOptions {
  running?: boolean;
  cancelled?: boolean;
  /** Warm-up runs finished so far (all models); measured runs are counted from the report. */
  warmupDone?: number;
  /** Per model id, while running. */
  activity?: Readonly<Record<string, ModelActivity>>;
  prompt?: Pick<PromptInfo, 'source' | 'firstLine'>;
  demo?: boolean;
  /** Longest timeline kept per model (points beyond are thinned). */
  maxTimelinePoints?: number;
}

const nf = (digits: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const FORMATS = { 0: nf(0), 1: nf(1) };

/** Text of a metric value, as the table shows it. */
export function formatMetric(metric: ViewMetric, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  switch (metric) {
    case 'decodeTps':
    case 'normalizedTps':
    case 'interChunkP50Ms':
    case 'interChunkP95Ms':
      return FORMATS[1].format(v);
    case 'costUsd':
      return formatUsd(v);
    default:
      return FORMATS[0].format(v);
  }
}

function medianOrNull(values: readonly (number | null | undefined)[]): Summary | null {
  return summarize(values);
}

function cell(metric: ViewMetric, s: Summary | null | undefined): MetricCell {
  if (!s) return { value: null, text: '—', best: false };
  const c: MetricCell = { value: s.median, text: formatMetric(metric, s.median), best: false };
  if (s.n > 1) c.spread = { n: s.n, min: s.min, max: s.max, mad: s.mad };
  return c;
}

/** Marks the best cell of each metric among `rows` (only when two or more rows have a value). */
function markBest<K extends ViewMetric>(rows: { cells: Cells<K> }[], metrics: readonly K[]): void {
  for (const metric of metrics) {
    const better = COLUMNS.find((c) => c.metric === metric)?.better ?? 'none';
    if (better === 'none') continue;
    const values = rows.map((r) => r.cells[metric].value).filter((v): v is number => v !== null);
    if (values.length < 2) continue;
    const best = better === 'lower' ? Math.min(...values) : Math.max(...values);
    for (const r of rows) if (r.cells[metric].value === best) r.cells[metric].best = true;
  }
}

/** Cumulative tokens over time of one run, from its first-token time, gaps and tokens per read. */
export function runTimeline(
  run: Pick<RunMetrics, 'ttftMs' | 'interChunkMs' | 'tokensPerChunk'>,
  maxPoints = 400,
): TimelinePoint[] {
  if (run.ttftMs === null || run.tokensPerChunk.length === 0) return [];
  const points: TimelinePoint[] = [{ t: 0, tokens: 0 }];
  let t = run.ttftMs;
  let tokens = 0;
  for (let i = 0; i < run.tokensPerChunk.length; i++) {
    if (i > 0) t += run.interChunkMs[i - 1] ?? 0;
    tokens += run.tokensPerChunk[i];
    points.push({ t: round(t, 1), tokens: round(tokens, 2) });
  }
  if (points.length <= maxPoints) return points;
  // Thin evenly, always keeping the first and the last point.
  const step = (points.length - 1) / (maxPoints - 1);
  const thinned: TimelinePoint[] = [];
  for (let i = 0; i < maxPoints; i++) thinned.push(points[Math.round(i * step)]);
  return thinned;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** The successful run whose decode rate is the median (lower middle), else the first successful run. */
function representativeRun(ok: RunMetrics[]): number {
  const ranked = ok.map((r, i) => ({ i, v: r.decodeTps ?? r.e2eMs ?? 0 })).sort((a, b) => a.v - b.v);
  return ranked.length ? ranked[Math.floor((ranked.length - 1) / 2)].i : -1;
}

function modelRow(r: ModelResult, plannedRuns: number, warmupRuns: number, options: ViewOptions): ModelRow {
  const ok = r.runs.filter((x) => x.ok && !x.warmup);
  const summaryOf = (metric: ViewMetric): Summary | null => {
    const fromReport = (r.summary as Partial<Record<string, Summary | null>>)[metric];
    if (fromReport !== undefined) return fromReport;
    return medianOrNull(ok.map((x) => x[metric]));
  };
  const cells = Object.fromEntries(VIEW_METRICS.map((m) => [m, cell(m, summaryOf(m))])) as Cells<ViewMetric>;
  // Summarized thinking: beside the generated-token rate, the rate of the text that actually arrived.
  const arrived = medianOrNull(ok.map((x) => x.arrivedTps));
  if (arrived)
    cells.decodeTps = {
      ...cells.decodeTps,
      text: `${cells.decodeTps.text} (arrived ${formatMetric('decodeTps', arrived.median)})`,
    };
  const sources = [...new Set(ok.map((x) => x.tokenSource))];
  const rep = representativeRun(ok);
  const measured = r.runs.filter((x) => !x.warmup);
  const repIndex = rep >= 0 ? measured.indexOf(ok[rep]) : -1;
  const errorGroups = groupErrors(measured);
  const { status, statusText } = modelStatus(r, plannedRuns, warmupRuns, options, errorGroups);
  const priced = [...ok].reverse().find((x) => x.priceSource);
  return {
    id: r.id,
    label: r.label ?? r.id,
    region: r.region,
    host: r.host,
    model: r.model,
    protocol: r.protocol,
    ...(r.provider ? { provider: r.provider } : {}),
    ...(r.baseModel ? { baseModel: r.baseModel } : {}),
    ...(priced ? { priceSource: describePriceSource(priced.priceSource) } : {}),
    status,
    statusText,
    okRuns: r.okRuns,
    failedRuns: r.failedRuns,
    cancelledRuns: r.cancelledRuns ?? 0,
    tokenSource: sources.join('+') || '—',
    ...(ok.find((x) => x.tokenizer)?.tokenizer ? { tokenizer: ok.find((x) => x.tokenizer)!.tokenizer } : {}),
    cells,
    runs: measured.map((x, index) => ({
      index,
      ok: x.ok,
      startedAt: x.startedAt,
      ttftMs: x.ttftMs,
      decodeTps: x.decodeTps,
      outputTokens: x.outputTokens,
      answerText: x.answerText,
      reasoningText: x.reasoningText,
      error: x.error,
      ...(x.errorKind ? { errorKind: x.errorKind } : {}),
      notes: Array.isArray(x.notes) ? [...x.notes] : [],
    })),
    timeline: rep >= 0 ? { runIndex: repIndex, points: runTimeline(ok[rep], options.maxTimelinePoints) } : null,
    warnings: [...r.warnings],
    errorGroups,
    ...(r.speculation ? { speculation: speculationView(r.speculation) } : {}),
    ...(r.slo
      ? {
          slo: {
            met: r.slo.met,
            total: r.slo.total,
            share: r.slo.share,
            goodputRps: r.slo.goodputRps,
            text: sloCellText(r.slo),
          },
        }
      : {}),
    ...ttftFields(r),
  };
}

/** Measured runs per model: each cache state and each sweep size has its own set. */
function measuredRunsPerModel(settings: BenchmarkReport['settings']): number {
  return settings.runs * (settings.cache === 'both' ? 2 : 1) * (settings.inputTokens?.length || 1);
}

/** Region rows: every successful measured run of the region's models pooled, as the sidebar's history does. */
function aggregates(report: BenchmarkReport): AggregateRow[] {
  const out: AggregateRow[] = [];
  const runs = report.results.flatMap((r) =>
    r.runs.filter((x) => !x.warmup).map((x) => ({ region: r.region, modelId: r.id, run: x })),
  );
  for (const s of regionSummaries(runs, AGGREGATE_METRICS)) {
    const cells = Object.fromEntries(AGGREGATE_METRICS.map((m) => [m, cell(m, s.metrics[m])])) as AggregateRow['cells'];
    out.push({ region: s.region, models: s.models, cells });
  }
  markBest(out, AGGREGATE_METRICS);
  return out;
}

function modelStatus(
  r: ModelResult,
  plannedRuns: number,
  warmupRuns: number,
  options: ViewOptions,
  errors: ErrorGroup[],
): { status: ModelStatus; statusText: string } {
  const finished = r.okRuns + r.failedRuns;
  const failedText = () =>
    `failed: ${[...new Set(errors.map((g) => g.label))].join(', ')} (${r.failedRuns} of ${finished} run${finished === 1 ? '' : 's'})`;
  const act = options.activity?.[r.id];
  if (options.running) {
    if (act?.measuredActive)
      return { status: 'running', statusText: `run ${Math.min(plannedRuns, finished + 1)} of ${plannedRuns}` };
    if (act?.warmupActive)
      return {
        status: 'warming up',
        statusText: `warm-up ${Math.min(warmupRuns, act.warmupDone + 1)} of ${warmupRuns}`,
      };
    if (finished < plannedRuns)
      return { status: 'queued', statusText: finished ? `queued: ${finished} of ${plannedRuns} runs done` : 'queued' };
  }
  if (finished === 0 && (r.cancelledRuns > 0 || options.cancelled))
    return { status: 'cancelled', statusText: 'cancelled before any run finished' };
  if (r.okRuns === 0 && r.failedRuns > 0) return { status: 'failed', statusText: failedText() };
  const parts = [`${r.okRuns} of ${plannedRuns} runs ok`];
  if (r.failedRuns) parts.push(failedText());
  if (r.cancelledRuns || (options.cancelled && finished < plannedRuns))
    parts.push(`${plannedRuns - finished} not run (cancelled)`);
  return { status: 'done', statusText: parts.join('; ') };
}

/** The label every demo number carries. */
export const DEMO_LABEL = 'simulated — demo';
export const DEMO_NOTE =
  "Simulated — demo: these numbers come from Tokenscope's built-in local test server on a fixed schedule, not from a real model. They are never saved to the history.";

/** The prompt the demo runs when the user has none selected. */
export const DEMO_PROMPT =
  'Explain, in three sentences, why time to first token matters for interactive coding assistants.';

/** Builds the results panel's view of a report (finished, or partial while running). */
export function buildResultsView(report: BenchmarkReport, options: ViewOptions = {}): ResultsView {
  const perModel = measuredRunsPerModel(report.settings);
  const rows = report.results.map((r) => modelRow(r, perModel, report.settings.warmup, options));
  markBest(rows, VIEW_METRICS);
  const totalRuns = report.results.length * perModel;
  const doneRuns = report.results.reduce((s, r) => s + r.okRuns + r.failedRuns, 0);
  const warmupTotal = report.results.length * report.settings.warmup;
  const notes = [
    `Medians over ${report.settings.runs} measured run(s) per model${report.settings.warmup ? ` after ${report.settings.warmup} warm-up run(s)` : ''}; spread is min–max and median absolute deviation.`,
    '"tok/s (own tokens)" counts each model\'s own tokens; "tok/s (o200k)" re-counts the same text with one reference tokenizer so models compare fairly.',
    "Region rows pool every successful measured run of the region's models (as the sidebar does), so a model run more often weighs more.",
    ...(options.demo ? [DEMO_NOTE] : []),
    ...(report.settings.cache ? [cacheModeNote(report.settings.cache)] : []),
    ...(report.settings.inputTokens?.length
      ? [
          `Prompt-length sweep over ${report.settings.inputTokens.join(', ')} tokens: the table shows the smallest size.`,
        ]
      : []),
  ];
  return {
    startedAt: report.startedAt,
    finishedAt: options.running ? null : report.finishedAt,
    running: options.running ?? false,
    cancelled: options.cancelled ?? false,
    progress: {
      done: doneRuns,
      total: totalRuns,
      warmupDone: Math.min(warmupTotal, options.warmupDone ?? (options.running ? 0 : warmupTotal)),
      warmupTotal,
    },
    settings: { ...report.settings },
    prompt: { ...report.prompt, ...options.prompt },
    demo: options.demo ?? false,
    toolVersion: report.tool.version,
    columns: COLUMNS.map((c) => ({ ...c })),
    rows,
    aggregates: aggregates(report),
    hostGroups: hostGroups(report.results),
    notes,
    ...(report.settings.slo ? { slo: report.settings.slo } : {}),
    ...(report.settings.cache ? { cacheMode: report.settings.cache } : {}),
    ...(report.settings.location ? { location: report.settings.location } : {}),
  };
}
