/**
 * The one message protocol between the extension and its webviews (the results panel and the sidebar
 * leaderboard). Imported by both sides: the extension validates what a webview posts with
 * `parseWebviewMessage`, and each webview validates what it receives with `parseHostMessage` before rendering.
 * No `vscode`, no DOM: bundled into the extension and into the browser scripts alike.
 */
import { EXPORT_FORMATS, type ExportFormat } from '../core/report/export';
import { isCategoryFilter, isTimeRange, LEADERBOARD_COLUMNS, type HourHeatmapView, type LeaderboardFilterState, type LeaderboardView, type LeaderboardViewRow, type WeeklyTrendView } from '../core/report/leaderboardView';
import { AGGREGATE_METRICS, MODEL_STATUSES, VIEW_METRICS, type ColumnDef, type MetricCell, type ModelRow, type ResultsView, type RunView, type SloView, type SpeculationView, type TimelineSeries } from '../core/report/resultsView';
import type { HostGroup } from '../core/report/hostGroups';
import type { ErrorGroup } from '../core/report/failures';
import type { PromptInfo } from '../core/report/resultsView';
import { CACHE_MODES, REGIONS } from '../core/types';
import type { CacheView, PhaseBarView, SweepView } from '../core/report/ttftView';
import { COMPARE_METRICS } from '../core/compare';
import type { CompareCell, CompareRow, CompareView } from '../core/report/compareView';

export type { CompareView, ExportFormat, LeaderboardFilterState, LeaderboardView, ResultsView, WeeklyTrendView };

/** Webview kinds; each page says which it is in its `ready` message. */
export type WebviewKind = 'results' | 'sidebar';

// ------------------------------------------------------------------------------------------------ messages

/** Extension → webview. */
export type HostMessage =
  /** The results panel's whole state (sent on ready, and repeatedly while a benchmark runs). */
  | { type: 'results'; view: ResultsView }
  /** The results panel has nothing to show yet. */
  | { type: 'noResults' }
  /** The sidebar's leaderboard under its current filter. */
  | { type: 'leaderboard'; view: LeaderboardView }
  /** The results panel's comparison with another run (null: none). */
  | { type: 'compare'; view: CompareView | null };

/** Webview → extension. */
export type WebviewMessage =
  | { type: 'ready'; view: WebviewKind }
  | { type: 'export'; format: ExportFormat }
  | { type: 'cancel' }
  /** Without a model id: ask which provider's key. */
  | { type: 'setApiKey'; modelId?: string }
  | { type: 'startDemo' }
  | { type: 'findLocalServers' }
  | { type: 'runBenchmark' }
  | { type: 'showResults' }
  | { type: 'showComparison' }
  | { type: 'setFilter'; filter: LeaderboardFilterState }
  /** A part of the page failed to render (a chart): the host logs why, so the failure is never silent. */
  | { type: 'renderError'; view: WebviewKind; message: string }
  /** "Compare with…": pick a saved or exported run to compare the shown one with. */
  | { type: 'compareWith' }
  | { type: 'clearCompare' };

export const MAX_ID_LENGTH = 200;
export const MAX_RENDER_ERROR_LENGTH = 500;

// ------------------------------------------------------------------------------------------------ guards

type Guard<T> = (v: unknown) => v is T;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr: Guard<string> = (v): v is string => typeof v === 'string';
const isBool: Guard<boolean> = (v): v is boolean => typeof v === 'boolean';
const isNum: Guard<number> = (v): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull: Guard<number | null> = (v): v is number | null => v === null || isNum(v);
const isStrOrNull: Guard<string | null> = (v): v is string | null => v === null || isStr(v);
const optional =
  <T>(g: Guard<T>): Guard<T | undefined> =>
  (v): v is T | undefined =>
    v === undefined || g(v);
const arrayOf =
  <T>(g: Guard<T>): Guard<T[]> =>
  (v): v is T[] =>
    Array.isArray(v) && v.every(g);
const oneOf =
  <T extends string>(values: readonly T[]): Guard<T> =>
  (v): v is T =>
    typeof v === 'string' && (values as readonly string[]).includes(v);

/** An object whose listed fields pass their guards (other fields are ignored by the renderer). */
function shape<T>(fields: { [K in keyof T]-?: Guard<T[K]> }): Guard<T> {
  return (v): v is T => isObj(v) && Object.entries(fields).every(([k, g]) => (g as Guard<unknown>)(v[k]));
}

function record<K extends string, V>(keys: readonly K[], g: Guard<V>): Guard<Record<K, V>> {
  return (v): v is Record<K, V> => isObj(v) && keys.every((k) => g(v[k]));
}

const isRegion = oneOf(REGIONS);

const isSpread = shape<NonNullable<MetricCell['spread']>>({ n: isNum, min: isNum, max: isNum, mad: isNum });
const isCell = shape<MetricCell>({ value: isNumOrNull, text: isStr, spread: optional(isSpread), best: isBool });

const isColumn = shape<ColumnDef>({ metric: oneOf(VIEW_METRICS), label: isStr, unit: isStr, better: oneOf(['lower', 'higher', 'none'] as const), help: isStr });

const isRun = shape<RunView>({
  index: isNum,
  ok: isBool,
  startedAt: isStr,
  ttftMs: isNumOrNull,
  decodeTps: isNumOrNull,
  outputTokens: isNumOrNull,
  answerText: isStr,
  reasoningText: isStr,
  error: isStrOrNull,
  errorKind: optional(isStr) as Guard<RunView['errorKind']>,
  notes: arrayOf(isStr),
});

const isTimeline = shape<TimelineSeries>({ runIndex: isNum, points: arrayOf(shape({ t: isNum, tokens: isNum })) });

const isCacheView = shape<CacheView>({
  coldTtftMs: isNumOrNull,
  warmTtftMs: isNumOrNull,
  savingMs: isNumOrNull,
  savingPct: isNumOrNull,
  inputCostSavingUsd: isNumOrNull,
  inputCostSavingPct: isNumOrNull,
  warmHits: isNum,
  warmRuns: isNum,
  neverHit: isBool,
  note: isStr,
  text: shape({ cold: isStr, warm: isStr, saving: isStr, cost: isStr }),
});

const isPhaseBar = shape<PhaseBarView>({ networkMs: isNum, serverMs: isNum, streamMs: isNum, processingMs: isNumOrNull, freshConnections: isNum, reusedConnections: isNum });

const isSweepView = shape<SweepView>({
  points: arrayOf(shape({ inputTokens: isNum, ttftMs: isNumOrNull })),
  prefill: (v): v is SweepView['prefill'] => v === null || shape<NonNullable<SweepView['prefill']>>({ tokensPerSec: isNumOrNull, overheadMs: isNum, text: isStr })(v),
});

const isModelRow = shape<ModelRow>({
  id: isStr,
  label: isStr,
  region: isRegion,
  host: isStr,
  model: isStr,
  protocol: isStr,
  provider: optional(isStr),
  baseModel: optional(isStr),
  priceSource: optional(isStr),
  status: oneOf(MODEL_STATUSES),
  statusText: isStr,
  okRuns: isNum,
  failedRuns: isNum,
  cancelledRuns: isNum,
  tokenSource: isStr,
  tokenizer: optional(isStr),
  cells: record(VIEW_METRICS, isCell),
  runs: arrayOf(isRun),
  timeline: (v): v is TimelineSeries | null => v === null || isTimeline(v),
  warnings: arrayOf(isStr),
  errorGroups: arrayOf(shape<ErrorGroup>({ message: isStr, kind: optional(isStr) as Guard<ErrorGroup['kind']>, label: isStr, count: isNum, runs: arrayOf(isNum) })),
  speculation: optional(shape<SpeculationView>({ text: isStr, flagged: isBool, verdict: isStr, assumptions: arrayOf(isStr) })),
  slo: optional(shape<SloView>({ met: isNum, total: isNum, share: isNum, goodputRps: isNumOrNull, text: isStr })),
  cache: optional(isCacheView),
  phaseBar: optional(isPhaseBar),
  sweep: optional(isSweepView),
});

export const isResultsView = shape<ResultsView>({
  startedAt: isStr,
  finishedAt: isStrOrNull,
  running: isBool,
  cancelled: isBool,
  progress: shape({ done: isNum, total: isNum, warmupDone: isNum, warmupTotal: isNum }),
  settings: shape({ runs: isNum, warmup: isNum, concurrency: isNum, maxTokens: isNum, timeoutMs: isNum }),
  prompt: shape<PromptInfo>({ chars: isNum, sha256: isStr, source: optional(isStr), firstLine: optional(isStr) }),
  demo: isBool,
  toolVersion: isStr,
  columns: arrayOf(isColumn),
  rows: arrayOf(isModelRow),
  aggregates: arrayOf(shape({ region: isRegion, models: isNum, cells: record(AGGREGATE_METRICS, isCell) })),
  hostGroups: arrayOf(shape<HostGroup>({ baseModel: isStr, ids: arrayOf(isStr), fastestId: isStrOrNull, cheapestId: isStrOrNull })),
  notes: arrayOf(isStr),
  slo: optional(isStr),
  cacheMode: optional(oneOf(CACHE_MODES)),
  location: optional(isStr),
});

const COMPARE_METRIC_NAMES = COMPARE_METRICS.map((m) => m.metric);
const isRunName = shape<CompareView['a']>({ name: isStr, startedAt: isStr });
const isSides = shape<{ a: number[]; b: number[] }>({ a: arrayOf(isNum), b: arrayOf(isNum) });
const isCompareCell = shape<CompareCell>({ a: isStr, b: isStr, delta: isStr, better: (v): v is CompareCell['better'] => v === null || v === 'a' || v === 'b' });

export const isCompareView = shape<CompareView>({
  a: isRunName,
  b: isRunName,
  columns: arrayOf(shape<CompareView['columns'][number]>({ metric: oneOf(COMPARE_METRIC_NAMES), label: isStr, unit: isStr })),
  rows: arrayOf(
    shape<CompareRow>({
      id: isStr,
      label: isStr,
      region: isRegion,
      inA: isBool,
      inB: isBool,
      cells: record(COMPARE_METRIC_NAMES, isCompareCell),
      values: shape<CompareRow['values']>({ ttftMs: isSides, decodeTps: isSides }),
    }),
  ),
  notes: arrayOf(isStr),
});

const isLeaderboardFilter = shape<LeaderboardFilterState>({ category: isCategoryFilter, range: isTimeRange });

const isLeaderboardRow = shape<LeaderboardViewRow>({
  key: isStr,
  label: optional(isStr),
  region: isRegion,
  runs: isNum,
  failedRuns: isNum,
  medianDecodeTps: isNumOrNull,
  medianNormalizedTps: isNumOrNull,
  medianTtftMs: isNumOrNull,
  costPerMOutput: isNumOrNull,
  lastRun: isStr,
  best: arrayOf(oneOf(LEADERBOARD_COLUMNS.map((c) => c.key))),
  failure: optional(shape<NonNullable<LeaderboardViewRow['failure']>>({ label: isStr, error: isStr, auth: isBool })),
});

const isWeeklyTrend = shape<WeeklyTrendView>({
  headline: isStr,
  weeks: arrayOf(isStr),
  metric: oneOf(['normalizedTps', 'decodeTps'] as const),
  metricLabel: isStr,
  series: arrayOf(shape({ region: isRegion, values: arrayOf(isNumOrNull) })),
});

const isHourHeatmap = shape<HourHeatmapView>({
  hours: arrayOf((v): v is number => isNum(v) && Number.isInteger(v) && v >= 0 && v <= 23),
  models: arrayOf(shape({ key: isStr, label: optional(isStr), ttftMs: arrayOf(isNumOrNull), runs: arrayOf(isNum) })),
  minMs: isNum,
  maxMs: isNum,
});

export const isLeaderboardView = shape<LeaderboardView>({
  filter: isLeaderboardFilter,
  byHour: optional(isHourHeatmap),
  weekly: optional(isWeeklyTrend),
  totalRecords: isNum,
  models: arrayOf(isLeaderboardRow),
  regions: arrayOf(isLeaderboardRow),
  warnings: arrayOf(isStr),
});

/** Validates a message from the extension; undefined when it is not one the webview understands. */
export function parseHostMessage(data: unknown): HostMessage | undefined {
  if (!isObj(data)) return undefined;
  switch (data.type) {
    case 'results':
      return isResultsView(data.view) ? { type: 'results', view: data.view } : undefined;
    case 'noResults':
      return { type: 'noResults' };
    case 'leaderboard':
      return isLeaderboardView(data.view) ? { type: 'leaderboard', view: data.view } : undefined;
    case 'compare':
      return data.view === null ? { type: 'compare', view: null } : isCompareView(data.view) ? { type: 'compare', view: data.view } : undefined;
    default:
      return undefined;
  }
}

/** Validates a message from a webview; undefined when it is malformed or unknown. Returns a fresh object. */
export function parseWebviewMessage(data: unknown): WebviewMessage | undefined {
  if (!isObj(data)) return undefined;
  switch (data.type) {
    case 'ready':
      return data.view === 'results' || data.view === 'sidebar' ? { type: 'ready', view: data.view } : undefined;
    case 'renderError':
      return (data.view === 'results' || data.view === 'sidebar') && isStr(data.message) ? { type: 'renderError', view: data.view, message: data.message.slice(0, MAX_RENDER_ERROR_LENGTH) } : undefined;
    case 'export':
      return oneOf(EXPORT_FORMATS)(data.format) ? { type: 'export', format: data.format } : undefined;
    case 'cancel':
      return { type: 'cancel' };
    case 'runBenchmark':
      return { type: 'runBenchmark' };
    case 'showResults':
      return { type: 'showResults' };
    case 'showComparison':
      return { type: 'showComparison' };
    case 'compareWith':
      return { type: 'compareWith' };
    case 'clearCompare':
      return { type: 'clearCompare' };
    case 'setApiKey':
      if (data.modelId === undefined) return { type: 'setApiKey' };
      return isStr(data.modelId) && data.modelId.length > 0 && data.modelId.length <= MAX_ID_LENGTH ? { type: 'setApiKey', modelId: data.modelId } : undefined;
    case 'startDemo':
      return { type: 'startDemo' };
    case 'findLocalServers':
      return { type: 'findLocalServers' };
    case 'setFilter':
      return isLeaderboardFilter(data.filter) ? { type: 'setFilter', filter: { category: data.filter.category, range: data.filter.range } } : undefined;
    default:
      return undefined;
  }
}
