/**
 * The results panel's protocol: what the extension sends it (its ResultsView, a comparison) and what it may
 * ask for. The extension validates what the panel posts with `parseResultsFromWebview`; the panel validates
 * what it receives with `parseResultsToWebview` before rendering. No `vscode`, no DOM.
 */
import { EXPORT_FORMATS, type ExportFormat } from '../../core/report/export';
import {
  AGGREGATE_METRICS,
  MODEL_STATUSES,
  VIEW_METRICS,
  type ColumnDef,
  type MetricCell,
  type ModelRow,
  type PromptInfo,
  type ResultsView,
  type RunView,
  type SloView,
  type SpeculationView,
  type TimelineSeries,
} from '../../core/report/resultsView';
import type { HostGroup } from '../../core/report/hostGroups';
import type { ErrorGroup } from '../../core/report/failures';
import { CACHE_MODES } from '../../core/types';
import type { CacheView, PhaseBarView, SweepView } from '../../core/report/ttftView';
import { COMPARE_METRICS } from '../../core/compare';
import type { CompareCell, CompareRow, CompareView } from '../../core/report/compareView';
import { commonReaders, type CommonFromWebview } from './common';
import {
  arrayOf,
  isBool,
  isNum,
  isNumOrNull,
  isRegion,
  isStr,
  isStrOrNull,
  oneOf,
  optional,
  readMessage,
  record,
  shape,
  type Guard,
  type MessageReaders,
} from './guards';

export type { CompareView, ExportFormat, ResultsView };

/** Extension → results panel. */
export type ResultsToWebview =
  /** The panel's whole state (sent on ready, and repeatedly while a benchmark runs). */
  | { type: 'results'; view: ResultsView }
  /** Nothing to show yet. */
  | { type: 'noResults' }
  /** The comparison with another run (null: none). */
  | { type: 'compare'; view: CompareView | null };

/** Results panel → extension. */
export type ResultsFromWebview =
  | CommonFromWebview<'results'>
  | { type: 'export'; format: ExportFormat }
  | { type: 'cancel' }
  | { type: 'findLocalServers' }
  /** Open the sidebar's history and leaderboard. */
  | { type: 'showComparison' }
  /** "Compare with…": pick a saved or exported run to compare the shown one with. */
  | { type: 'compareWith' }
  | { type: 'clearCompare' };

// ------------------------------------------------------------------------------------------------ view guards

const isSpread = shape<NonNullable<MetricCell['spread']>>({ n: isNum, min: isNum, max: isNum, mad: isNum });
const isCell = shape<MetricCell>({ value: isNumOrNull, text: isStr, spread: optional(isSpread), best: isBool });

const isColumn = shape<ColumnDef>({
  metric: oneOf(VIEW_METRICS),
  label: isStr,
  unit: isStr,
  better: oneOf(['lower', 'higher', 'none'] as const),
  help: isStr,
});

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

const isPhaseBar = shape<PhaseBarView>({
  networkMs: isNum,
  serverMs: isNum,
  streamMs: isNum,
  processingMs: isNumOrNull,
  freshConnections: isNum,
  reusedConnections: isNum,
});

const isSweepView = shape<SweepView>({
  points: arrayOf(shape({ inputTokens: isNum, ttftMs: isNumOrNull })),
  prefill: (v): v is SweepView['prefill'] =>
    v === null ||
    shape<NonNullable<SweepView['prefill']>>({ tokensPerSec: isNumOrNull, overheadMs: isNum, text: isStr })(v),
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
  errorGroups: arrayOf(
    shape<ErrorGroup>({
      message: isStr,
      kind: optional(isStr) as Guard<ErrorGroup['kind']>,
      label: isStr,
      count: isNum,
      runs: arrayOf(isNum),
    }),
  ),
  speculation: optional(
    shape<SpeculationView>({ text: isStr, flagged: isBool, verdict: isStr, assumptions: arrayOf(isStr) }),
  ),
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
  hostGroups: arrayOf(
    shape<HostGroup>({ baseModel: isStr, ids: arrayOf(isStr), fastestId: isStrOrNull, cheapestId: isStrOrNull }),
  ),
  notes: arrayOf(isStr),
  slo: optional(isStr),
  cacheMode: optional(oneOf(CACHE_MODES)),
  location: optional(isStr),
});

const COMPARE_METRIC_NAMES = COMPARE_METRICS.map((m) => m.metric);
const isRunName = shape<CompareView['a']>({ name: isStr, startedAt: isStr });
const isSides = shape<{ a: number[]; b: number[] }>({ a: arrayOf(isNum), b: arrayOf(isNum) });
const isCompareCell = shape<CompareCell>({
  a: isStr,
  b: isStr,
  delta: isStr,
  better: (v): v is CompareCell['better'] => v === null || v === 'a' || v === 'b',
});

export const isCompareView = shape<CompareView>({
  a: isRunName,
  b: isRunName,
  columns: arrayOf(
    shape<CompareView['columns'][number]>({ metric: oneOf(COMPARE_METRIC_NAMES), label: isStr, unit: isStr }),
  ),
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

// ------------------------------------------------------------------------------------------------ readers

const toWebview: MessageReaders<ResultsToWebview> = {
  results: (d) => (isResultsView(d.view) ? { type: 'results', view: d.view } : undefined),
  noResults: () => ({ type: 'noResults' }),
  compare: (d) =>
    d.view === null
      ? { type: 'compare', view: null }
      : isCompareView(d.view)
        ? { type: 'compare', view: d.view }
        : undefined,
};

const fromWebview: MessageReaders<ResultsFromWebview> = {
  ...commonReaders('results'),
  export: (d) => (oneOf(EXPORT_FORMATS)(d.format) ? { type: 'export', format: d.format } : undefined),
  cancel: () => ({ type: 'cancel' }),
  findLocalServers: () => ({ type: 'findLocalServers' }),
  showComparison: () => ({ type: 'showComparison' }),
  compareWith: () => ({ type: 'compareWith' }),
  clearCompare: () => ({ type: 'clearCompare' }),
};

/** Validates a message from the extension in the results panel; undefined when it is not one the panel understands. */
export const parseResultsToWebview = (data: unknown): ResultsToWebview | undefined => readMessage(toWebview, data);

/** Validates a message the results panel posted; undefined when it is malformed or not the panel's. A fresh object. */
export const parseResultsFromWebview = (data: unknown): ResultsFromWebview | undefined =>
  readMessage(fromWebview, data);
