/**
 * The sidebar's view model: the history leaderboard (src/core/history) under a category and time-range filter,
 * with the best value of each column marked. Pure: no `vscode`.
 */
import type { WeeklyReport } from '../history/aggregate';
import type { ByHourReport } from '../history/byHour';
import type { Leaderboard, LeaderboardFilter, LeaderboardRow } from '../history/contract';
import type { ModelOutcome } from './outcomeTypes';
import { TASK_CATEGORIES, type Region, type TaskCategory } from '../types';

export type TimeRange = '24h' | '7d' | '30d' | '90d' | 'all';
export const TIME_RANGES: readonly TimeRange[] = ['24h', '7d', '30d', '90d', 'all'];
export const TIME_RANGE_LABELS: Readonly<Record<TimeRange, string>> = {
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  all: 'All time',
};

export interface LeaderboardFilterState {
  category: TaskCategory | 'all';
  range: TimeRange;
}

export const DEFAULT_LEADERBOARD_FILTER: LeaderboardFilterState = { category: 'all', range: '30d' };

const RANGE_MS: Record<Exclude<TimeRange, 'all'>, number> = {
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
  '90d': 90 * 86_400_000,
};

export function sinceFor(range: TimeRange, now: Date): string | undefined {
  return range === 'all' ? undefined : new Date(now.getTime() - RANGE_MS[range]).toISOString();
}

/** The core's filter for a sidebar filter. */
export function toLeaderboardFilter(state: LeaderboardFilterState, now: Date): LeaderboardFilter {
  const since = sinceFor(state.range, now);
  return { ...(state.category !== 'all' ? { category: state.category } : {}), ...(since ? { since } : {}) };
}

export function isTimeRange(v: unknown): v is TimeRange {
  return typeof v === 'string' && (TIME_RANGES as readonly string[]).includes(v);
}

export function isCategoryFilter(v: unknown): v is TaskCategory | 'all' {
  return v === 'all' || (typeof v === 'string' && (TASK_CATEGORIES as readonly string[]).includes(v));
}

export type LeaderboardColumn = 'medianDecodeTps' | 'medianNormalizedTps' | 'medianTtftMs' | 'costPerMOutput';
export const LEADERBOARD_COLUMNS: readonly {
  key: LeaderboardColumn;
  label: string;
  help: string;
  better: 'lower' | 'higher';
}[] = [
  { key: 'medianDecodeTps', label: 'tok/s', help: "Median decode rate in the model's own tokens", better: 'higher' },
  {
    key: 'medianNormalizedTps',
    label: 'o200k',
    help: 'Median decode rate re-counted with the o200k reference tokenizer (tokens/s)',
    better: 'higher',
  },
  { key: 'medianTtftMs', label: 'TTFT', help: 'Median time to first token, ms', better: 'lower' },
  {
    key: 'costPerMOutput',
    label: '$/1M',
    help: 'Median cost per million output tokens actually paid, USD',
    better: 'lower',
  },
];

export interface LeaderboardViewRow extends LeaderboardRow {
  /** Columns where this row holds the best value. */
  best: LeaderboardColumn[];
  /** The model's newest run failed: its short label ("401", "timeout") and message, and whether a key would fix it. */
  failure?: { label: string; error: string; auth: boolean };
}

/** Weekly medians per region for the sidebar's trend chart, and the current streak in words. */
export interface WeeklyTrendView {
  /** e.g. "CN has led US in median tok/s (o200k-normalised) for 5 consecutive weeks (…)". */
  headline: string;
  /** ISO weeks, oldest first ("2026-W44"). */
  weeks: string[];
  /** Which median the lines show. */
  metric: 'normalizedTps' | 'decodeTps';
  metricLabel: string;
  series: { region: Region; values: (number | null)[] }[];
}

/** The last `maxWeeks` weeks of a weekly report as chart series: o200k-normalised medians where any exist. */
export function weeklyTrend(report: WeeklyReport, maxWeeks = 12): WeeklyTrendView {
  const weeks = report.weeks.slice(-maxWeeks);
  const hasNormalized = weeks.some((w) => Object.values(w.regions).some((c) => c?.medianNormalizedTps != null));
  const metric = hasNormalized ? 'normalizedTps' : 'decodeTps';
  const pick = (c: WeeklyReport['weeks'][number]['regions'][Region]) =>
    c ? (hasNormalized ? c.medianNormalizedTps : c.medianDecodeTps) : null;
  const regions = (['CN', 'US', 'local'] as const).filter((r) => weeks.some((w) => w.regions[r]));
  return {
    headline: report.headline,
    weeks: weeks.map((w) => w.week),
    metric,
    metricLabel: hasNormalized ? 'median tok/s (o200k-normalised)' : "median tok/s (each model's own tokens)",
    series: regions.map((region) => ({ region, values: weeks.map((w) => pick(w.regions[region]) ?? null) })),
  };
}

/** Median TTFT per model and UTC hour, for the sidebar's heatmap. */
export interface HourHeatmapView {
  /** UTC hours with any run, ascending. */
  hours: number[];
  models: { key: string; label?: string; ttftMs: (number | null)[]; runs: number[] }[];
  /** Lowest and highest cell, for the colour scale. */
  minMs: number;
  maxMs: number;
}

/** The heatmap, once runs span two or more hours of the day (one hour says nothing about the time of day). */
export function hourHeatmap(
  report: ByHourReport,
  labels: ReadonlyMap<string, string> = new Map(),
): HourHeatmapView | undefined {
  const hours = [...new Set(report.rows.map((r) => r.hour))].sort((a, b) => a - b);
  if (hours.length < 2) return undefined;
  const keys = [...new Set(report.rows.map((r) => r.model))];
  const models = keys.map((key) => {
    const at = (h: number) => report.rows.find((r) => r.model === key && r.hour === h);
    return {
      key,
      ...(labels.get(key) ? { label: labels.get(key) } : {}),
      ttftMs: hours.map((h) => at(h)?.ttftMs ?? null),
      runs: hours.map((h) => at(h)?.runs ?? 0),
    };
  });
  const values = models.flatMap((m) => m.ttftMs).filter((v): v is number => v !== null);
  if (!values.length) return undefined;
  return { hours, models, minMs: Math.min(...values), maxMs: Math.max(...values) };
}

export interface LeaderboardView {
  filter: LeaderboardFilterState;
  /** Median TTFT per model and UTC hour (absent until runs span two hours). */
  byHour?: HourHeatmapView;
  /** Weekly medians per region and the streak headline (absent when there is no history). */
  weekly?: WeeklyTrendView;
  /** Records in the whole history, before filtering (0 → the empty state). */
  totalRecords: number;
  models: LeaderboardViewRow[];
  regions: LeaderboardViewRow[];
  warnings: string[];
}

function withBest(rows: readonly LeaderboardRow[]): LeaderboardViewRow[] {
  const out: LeaderboardViewRow[] = rows.map((r) => ({ ...r, best: [] }));
  for (const col of LEADERBOARD_COLUMNS) {
    const values = out.map((r) => r[col.key]).filter((v): v is number => v !== null && Number.isFinite(v));
    if (values.length < 2) continue;
    const best = col.better === 'lower' ? Math.min(...values) : Math.max(...values);
    for (const r of out) if (r[col.key] === best) r.best.push(col.key);
  }
  return out;
}

export function buildLeaderboardView(
  board: Leaderboard,
  filter: LeaderboardFilterState,
  totalRecords: number,
  warnings: readonly string[] = [],
  weekly?: WeeklyReport,
  outcomes?: ReadonlyMap<string, ModelOutcome>,
  hours?: ByHourReport,
): LeaderboardView {
  const models = withBest(board.models).map((r) => {
    const f = outcomes?.get(r.key)?.failed;
    // A model whose every run failed is marked even when its newest outcome is unknown.
    if (f) return { ...r, failure: { label: f.label, error: f.error, auth: f.auth } };
    if (r.runs > 0 && r.failedRuns === r.runs)
      return {
        ...r,
        failure: { label: 'every run failed', error: `${r.failedRuns} of ${r.runs} runs failed`, auth: false },
      };
    return r;
  });
  const heatmap = hours
    ? hourHeatmap(hours, new Map(board.models.filter((m) => m.label).map((m) => [m.key, m.label!])))
    : undefined;
  return {
    ...(heatmap ? { byHour: heatmap } : {}),
    filter: { ...filter },
    totalRecords,
    models,
    regions: withBest(board.regions),
    warnings: [...warnings],
    ...(weekly && weekly.weeks.length ? { weekly: weeklyTrend(weekly) } : {}),
  };
}
