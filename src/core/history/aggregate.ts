/**
 * Aggregation of the history: weekly medians per region and per model, the CN − US gap per week,
 * the current streak of weeks a region has led, and the all-time leaderboard.
 *
 * Rules (also stated in the report itself):
 * - Weeks: ISO 8601 weeks (Monday–Sunday, ISO week-year) of each run's start time at a fixed UTC
 *   offset, `utcOffsetMinutes`, default 0 = UTC. See week.ts.
 * - Medians are over successful runs only (metrics.ok); failed runs are counted, never averaged in.
 *   A region's median pools all successful runs of all its models that week (a model run more often
 *   weighs more). Cost is USD per million output tokens of each run (costUsd ÷ outputTokens × 10⁶;
 *   the input part of the bill included), median over runs.
 * - Warm-cache runs and prompt-length sweep runs are left out (see comparable.ts): their TTFT answers
 *   another question than a plain run's.
 * - Gap: CN median − US median, per metric; null when either side has no value that week.
 * - Who led a week: CN vs US (local models are shown, not ranked) by median o200k-normalised tok/s
 *   when both regions have it that week, else by median own-token decode tok/s. Equal medians are a
 *   tie: a tie week is led by neither.
 * - Current streak: counted back from the latest week with data in the report (any region, any
 *   category), over consecutive ISO weeks led by the same region. A week where CN and US cannot be
 *   compared (no successful runs from one of them, or no data at all) or a tie ends the streak; if the
 *   latest week itself is such a week there is no current streak. Streaks are computed for all records
 *   together and for each task category on its own (same latest week for all).
 */
import { isComparableRun } from './comparable';
import { describePriceSource } from '../pricing/describe';
import { percentile } from '../stats';
import { REGIONS, TASK_CATEGORIES, type Region, type TaskCategory } from '../types';
import type { HistoryRecord, Leaderboard, LeaderboardFilter, LeaderboardRow, MedianCell } from './contract';
import { checkUtcOffset, formatUtcOffset, weekFromIndex, weekIndexOf } from './week';

export type LeadMetric = 'normalizedTps' | 'decodeTps';

/** Medians of one group of runs (a region or a model, in one week or all time). */
export type WeeklyCell = MedianCell;

export interface WeekGap {
  decodeTps: number | null;
  normalizedTps: number | null;
  ttftMs: number | null;
  costPerMOutput: number | null;
}

export interface WeekRow {
  /** "2026-W44" */
  week: string;
  /** The Monday that starts it (YYYY-MM-DD, at the report's offset). */
  start: string;
  /** Regions with at least one run that week. */
  regions: Partial<Record<Region, WeeklyCell>>;
  /** CN − US, per metric. */
  gap: WeekGap;
  /** Who led (see the file comment); null when CN and US cannot be compared. */
  leader: 'CN' | 'US' | 'tie' | null;
  leadMetric: LeadMetric | null;
}

export interface ModelWeek extends WeeklyCell {
  week: string;
}

export interface ModelTrend {
  modelId: string;
  label?: string;
  region: Region;
  runs: number;
  failedRuns: number;
  /** Weeks with at least one run of this model, oldest first. */
  weeks: ModelWeek[];
  /** The metric of first/last/changePct: normalised tok/s when the model has it in some week, else own-token tok/s. */
  trendMetric: LeadMetric;
  /** Median of trendMetric in the first and the last week that have one. */
  first: { week: string; value: number } | null;
  last: { week: string; value: number } | null;
  /** (last − first) ÷ first × 100; null with fewer than two such weeks. */
  changePct: number | null;
}

export interface Streak {
  /** 'all': every record of the report; else one task category. */
  scope: TaskCategory | 'all';
  leader: 'CN' | 'US' | null;
  /** Consecutive weeks led, ending at `to` (= asOf); 0 when there is no current leader. */
  weeks: number;
  from: string | null;
  to: string | null;
  /** The week the streak is counted back from: the latest week with data in the report. */
  asOf: string | null;
  /** Which metric decided the weeks of the streak. */
  metric: LeadMetric | 'mixed' | null;
  /** Why there is no current streak, when there is none. */
  reason?: string;
  headline: string;
}

export interface WeeklyReport {
  utcOffsetMinutes: number;
  /** The category filter, if any. */
  category: TaskCategory[] | null;
  since: string | null;
  totals: { runs: number; failedRuns: number; firstRun: string | null; lastRun: string | null; models: number };
  /** Every ISO week from the first to the last with data, oldest first; weeks with no data have empty `regions`. */
  weeks: WeekRow[];
  /** Streak of all records first, then each task category that has records. */
  streaks: Streak[];
  /** The headline of the 'all' streak. */
  headline: string;
  models: ModelTrend[];
  /** Where the costs came from: each price source of the priced runs, with its number of runs, most used first. */
  prices: { source: string; runs: number }[];
  /** Priced runs recorded before history records kept their price source. */
  pricedRunsWithoutSource: number;
  /** The rules this report follows, in words. */
  rules: string[];
}

export interface AggregateOptions {
  /** Fixed offset from UTC for week boundaries, in minutes (default 0 = UTC). */
  utcOffsetMinutes?: number;
  category?: TaskCategory | TaskCategory[];
  /** ISO time; earlier runs are left out. */
  since?: string;
  /**
   * The time the report is made. When given, the streak counts only completed ISO weeks (those ending before `now`):
   * a benchmark minutes old does not make a one-week lead.
   */
  now?: string;
}

/** Collects one group's values; medians are taken at the end. */
class Bucket {
  runs = 0;
  failedRuns = 0;
  decode: number[] = [];
  norm: number[] = [];
  ttft: number[] = [];
  cost: number[] = [];
  lastMs = -Infinity;
  lastRun = '';
  label: string | undefined;
  region: Region = 'local';

  add(r: HistoryRecord, ms: number): void {
    this.runs++;
    if (ms >= this.lastMs) {
      this.lastMs = ms;
      this.lastRun = r.time;
      this.label = r.label;
      this.region = r.region;
    }
    const m = r.metrics;
    if (!m.ok) {
      this.failedRuns++;
      return;
    }
    if (m.decodeTps !== null) this.decode.push(m.decodeTps);
    if (m.normalizedTps !== null) this.norm.push(m.normalizedTps);
    if (m.ttftMs !== null) this.ttft.push(m.ttftMs);
    if (m.costUsd !== null && m.outputTokens !== null && m.outputTokens > 0)
      this.cost.push((m.costUsd / m.outputTokens) * 1e6);
  }

  cell(): WeeklyCell {
    return {
      runs: this.runs,
      failedRuns: this.failedRuns,
      medianDecodeTps: med(this.decode),
      medianNormalizedTps: med(this.norm),
      medianTtftMs: med(this.ttft),
      costPerMOutput: med(this.cost),
    };
  }
}

/**
 * stats.percentile's median of the values, sorted natively as a Float64Array first: the typed-array
 * sort needs no comparator callback and is several times faster than Array#sort on the ~10^5 values
 * of a long history. Same result as stats.median.
 */
function med(xs: number[]): number | null {
  return xs.length ? percentile(Array.from(Float64Array.from(xs).sort()), 0.5) : null;
}

function getBucket<K>(map: Map<K, Bucket>, key: K): Bucket {
  let b = map.get(key);
  if (!b) map.set(key, (b = new Bucket()));
  return b;
}

function diff(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || b === null || b === undefined ? null : a - b;
}

/** Who led one week, CN vs US (see the file comment). */
export function weekLeader(
  cn: WeeklyCell | undefined,
  us: WeeklyCell | undefined,
): { leader: 'CN' | 'US' | 'tie' | null; metric: LeadMetric | null } {
  if (!cn || !us) return { leader: null, metric: null };
  let metric: LeadMetric;
  let a: number | null, b: number | null;
  if (cn.medianNormalizedTps !== null && us.medianNormalizedTps !== null) {
    metric = 'normalizedTps';
    [a, b] = [cn.medianNormalizedTps, us.medianNormalizedTps];
  } else {
    metric = 'decodeTps';
    [a, b] = [cn.medianDecodeTps, us.medianDecodeTps];
  }
  if (a === null || b === null) return { leader: null, metric: null };
  return { leader: a > b ? 'CN' : a < b ? 'US' : 'tie', metric };
}

const METRIC_TEXT: Record<LeadMetric | 'mixed', string> = {
  normalizedTps: 'o200k-normalised',
  decodeTps: 'own tokens',
  mixed: 'o200k-normalised where both regions had it, else own tokens',
};

function scopeText(scope: TaskCategory | 'all', filter: TaskCategory[] | null): string {
  if (scope !== 'all') return ` on ${scope} prompts`;
  if (filter && filter.length) return ` on ${filter.join(', ')} prompts`;
  return '';
}

/** The one-line statement of a streak, e.g. "CN has led US in median tok/s (o200k-normalised) for 5 consecutive weeks (2026-W44 … 2026-W48)". */
export function streakHeadline(s: Omit<Streak, 'headline'>, filter: TaskCategory[] | null = null): string {
  const scope = scopeText(s.scope, filter);
  if (!s.asOf) return `No benchmark history${scope} yet.`;
  if (!s.leader || s.weeks === 0)
    return `No current lead${scope}: ${s.reason ?? `CN and US cannot be compared in ${s.asOf}`}.`;
  const other = s.leader === 'CN' ? 'US' : 'CN';
  const what = `${s.leader} has led ${other} in median tok/s (${METRIC_TEXT[s.metric ?? 'decodeTps']})${scope}`;
  return s.weeks === 1
    ? `${what} for 1 week (${s.to})`
    : `${what} for ${s.weeks} consecutive weeks (${s.from} … ${s.to})`;
}

function streakOver(
  scope: TaskCategory | 'all',
  cells: (week: number, region: Region) => WeeklyCell | undefined,
  firstWeek: number,
  lastWeek: number | null,
  filter: TaskCategory[] | null,
  /** Set when every run is in the current, unfinished week: no week can be counted yet. */
  incompleteWeek: string | null = null,
): Streak {
  const base: Omit<Streak, 'headline'> = {
    scope,
    leader: null,
    weeks: 0,
    from: null,
    to: null,
    asOf: lastWeek === null ? null : weekFromIndex(lastWeek).key,
    metric: null,
  };
  if (lastWeek === null && incompleteWeek) {
    const s = {
      ...base,
      asOf: incompleteWeek,
      reason: `no completed week yet; ${incompleteWeek} counts once it ends, if it has runs from both CN and US`,
    };
    return { ...s, headline: `No lead yet${scopeText(scope, filter)}: ${s.reason}.` };
  }
  if (lastWeek === null) return { ...base, headline: streakHeadline(base, filter) };
  const asOf = base.asOf!;
  const first = weekLeader(cells(lastWeek, 'CN'), cells(lastWeek, 'US'));
  if (first.leader === null || first.leader === 'tie') {
    const cn = cells(lastWeek, 'CN');
    const us = cells(lastWeek, 'US');
    const missing = [!cn?.runs ? 'CN' : null, !us?.runs ? 'US' : null].filter(Boolean);
    const reason =
      first.leader === 'tie'
        ? `CN and US tied in ${asOf}`
        : missing.length
          ? `no ${missing.join(' or ')} runs in ${asOf}`
          : `no successful runs with a tok/s figure from both CN and US in ${asOf}`;
    const s = { ...base, reason };
    return { ...s, headline: streakHeadline(s, filter) };
  }
  const metrics = new Set<LeadMetric>([first.metric!]);
  let w = lastWeek;
  while (w - 1 >= firstWeek) {
    const d = weekLeader(cells(w - 1, 'CN'), cells(w - 1, 'US'));
    if (d.leader !== first.leader) break;
    metrics.add(d.metric!);
    w--;
  }
  const s: Omit<Streak, 'headline'> = {
    ...base,
    leader: first.leader,
    weeks: lastWeek - w + 1,
    from: weekFromIndex(w).key,
    to: asOf,
    metric: metrics.size > 1 ? 'mixed' : first.metric,
  };
  return { ...s, headline: streakHeadline(s, filter) };
}

function categoryFilter(c: TaskCategory | TaskCategory[] | undefined): Set<string> | null {
  if (c === undefined) return null;
  const list = Array.isArray(c) ? c : [c];
  return list.length ? new Set(list) : null;
}

function sinceMs(since: string | undefined): number {
  if (since === undefined) return -Infinity;
  const ms = Date.parse(since);
  if (!Number.isFinite(ms)) throw new RangeError(`since must be an ISO date or time, got "${since}"`);
  return ms;
}

export const REPORT_RULES = (utcOffsetMinutes: number): string[] => [
  `Weeks are ISO 8601 weeks (Monday to Sunday, numbered by ISO week-year) of each run's start time in ${formatUtcOffset(utcOffsetMinutes)}.`,
  'Medians are over successful runs; failed runs are counted but not averaged in. A region pools the runs of all its models.',
  'Cost is USD per million output tokens of each run (the whole bill of the run divided by its output tokens), median over runs.',
  'A week is led by CN or US by median o200k-normalised tok/s when both have it that week, else by median own-token tok/s; equal medians are a tie. Local models are shown but not ranked.',
  'The current streak counts back from the latest week with data over consecutive weeks led by the same region; a week with no comparable CN and US data, or a tie, ends it.',
];

const REGION_INDEX: Record<Region, number> = { CN: 0, US: 1, local: 2 };
const CATEGORY_INDEX = new Map<string, number>(TASK_CATEGORIES.map((c, i) => [c, i]));
/** Key space per week in the numeric bucket keys below (model ids and category×region pairs). */
const PER_WEEK = 1 << 20;

/**
 * Builds a WeeklyReport one record at a time, so a long history can be streamed from disk without
 * keeping every record in memory. Buckets are keyed by numbers (week × model, week × category × region)
 * to keep the per-record work small.
 */
export class WeeklyAggregator {
  private readonly offset: number;
  private readonly cats: Set<string> | null;
  private readonly since: number;
  private readonly sinceText: string | null;
  /** Week index of `now`, when given: that week and later are not complete, so they do not count in a streak. */
  private readonly currentWeek: number | null;
  private readonly weekRegion = new Map<number, Bucket>();
  private readonly weekModel = new Map<number, Bucket>();
  private readonly weekCatRegion = new Map<number, Bucket>();
  private readonly modelIndex = new Map<string, number>();
  private readonly modelTotals: Bucket[] = [];
  private readonly modelIds: string[] = [];
  private readonly categoriesSeen = new Set<string>();
  private minW = Infinity;
  private maxW = -Infinity;
  private runs = 0;
  private failedRuns = 0;
  private firstMs = Infinity;
  private lastMs = -Infinity;
  private firstRun: string | null = null;
  private lastRun: string | null = null;
  private readonly priceSources = new Map<string, number>();
  private pricedRunsWithoutSource = 0;

  constructor(options: AggregateOptions = {}) {
    this.offset = options.utcOffsetMinutes ?? 0;
    checkUtcOffset(this.offset);
    this.cats = categoryFilter(options.category);
    this.since = sinceMs(options.since);
    this.sinceText = options.since ?? null;
    this.currentWeek = options.now === undefined ? null : weekIndexOf(sinceMs(options.now), this.offset);
  }

  add(r: HistoryRecord): void {
    if (this.cats && !this.cats.has(r.category)) return;
    if (!isComparableRun(r)) return;
    const ms = Date.parse(r.time);
    if (!(ms >= this.since)) return;
    const w = weekIndexOf(ms, this.offset);
    if (w < this.minW) this.minW = w;
    if (w > this.maxW) this.maxW = w;
    if (ms < this.firstMs) [this.firstMs, this.firstRun] = [ms, r.time];
    if (ms > this.lastMs) [this.lastMs, this.lastRun] = [ms, r.time];
    this.runs++;
    if (!r.metrics.ok) this.failedRuns++;
    if (r.metrics.costUsd !== null) {
      if (r.priceSource) {
        const source = describePriceSource(r.priceSource);
        this.priceSources.set(source, (this.priceSources.get(source) ?? 0) + 1);
      } else this.pricedRunsWithoutSource++;
    }
    this.categoriesSeen.add(r.category);
    let model = this.modelIndex.get(r.modelId);
    if (model === undefined) {
      model = this.modelIds.length;
      this.modelIndex.set(r.modelId, model);
      this.modelIds.push(r.modelId);
      this.modelTotals.push(new Bucket());
    }
    const region = REGION_INDEX[r.region];
    const base = w * PER_WEEK;
    getBucket(this.weekRegion, base + region).add(r, ms);
    getBucket(this.weekModel, base + model).add(r, ms);
    this.modelTotals[model].add(r, ms);
    if (region < 2) getBucket(this.weekCatRegion, base + CATEGORY_INDEX.get(r.category)! * 4 + region).add(r, ms);
  }

  result(): WeeklyReport {
    const { minW, maxW, offset } = this;
    const filter = this.cats ? ([...this.cats] as TaskCategory[]) : null;
    const hasData = this.runs > 0;
    const weeks: WeekRow[] = [];
    const regionCells = new Map<number, WeeklyCell>();
    if (hasData) {
      for (let w = minW; w <= maxW; w++) {
        const wk = weekFromIndex(w);
        const regions: Partial<Record<Region, WeeklyCell>> = {};
        for (const region of REGIONS) {
          const b = this.weekRegion.get(w * PER_WEEK + REGION_INDEX[region]);
          if (!b) continue;
          const cell = b.cell();
          regions[region] = cell;
          regionCells.set(w * PER_WEEK + REGION_INDEX[region], cell);
        }
        const { CN: cn, US: us } = regions;
        const lead = weekLeader(cn, us);
        weeks.push({
          week: wk.key,
          start: wk.start,
          regions,
          gap: {
            decodeTps: diff(cn?.medianDecodeTps, us?.medianDecodeTps),
            normalizedTps: diff(cn?.medianNormalizedTps, us?.medianNormalizedTps),
            ttftMs: diff(cn?.medianTtftMs, us?.medianTtftMs),
            costPerMOutput: diff(cn?.costPerMOutput, us?.costPerMOutput),
          },
          leader: lead.leader,
          leadMetric: lead.metric,
        });
      }
    }

    const lastComplete = this.currentWeek === null ? maxW : Math.min(maxW, this.currentWeek - 1);
    const last = hasData && lastComplete >= minW ? lastComplete : null;
    const incomplete = hasData && last === null ? weekFromIndex(this.currentWeek!).key : null;
    const streaks: Streak[] = [
      streakOver(
        'all',
        (w, region) => regionCells.get(w * PER_WEEK + REGION_INDEX[region]),
        minW,
        last,
        filter,
        incomplete,
      ),
    ];
    for (const cat of TASK_CATEGORIES) {
      if (!this.categoriesSeen.has(cat)) continue;
      const catCells = new Map<number, WeeklyCell>();
      const ci = CATEGORY_INDEX.get(cat)! * 4;
      const cells = (w: number, region: Region) => {
        const key = w * PER_WEEK + ci + REGION_INDEX[region];
        let c = catCells.get(key);
        if (!c) {
          const b = this.weekCatRegion.get(key);
          if (!b) return undefined;
          catCells.set(key, (c = b.cell()));
        }
        return c;
      };
      streaks.push(streakOver(cat, cells, minW, last, filter, incomplete));
    }

    const models: ModelTrend[] = [];
    this.modelIds.forEach((modelId, model) => {
      const total = this.modelTotals[model];
      const mweeks: ModelWeek[] = [];
      for (let w = minW; w <= maxW; w++) {
        const b = this.weekModel.get(w * PER_WEEK + model);
        if (b) mweeks.push({ week: weekFromIndex(w).key, ...b.cell() });
      }
      const trendMetric: LeadMetric = mweeks.some((x) => x.medianNormalizedTps !== null)
        ? 'normalizedTps'
        : 'decodeTps';
      const pick = (x: ModelWeek) => (trendMetric === 'normalizedTps' ? x.medianNormalizedTps : x.medianDecodeTps);
      const withValue = mweeks.filter((x) => pick(x) !== null);
      const first = withValue.length ? { week: withValue[0].week, value: pick(withValue[0])! } : null;
      const lastW = withValue.length
        ? { week: withValue[withValue.length - 1].week, value: pick(withValue[withValue.length - 1])! }
        : null;
      models.push({
        modelId,
        ...(total.label ? { label: total.label } : {}),
        region: total.region,
        runs: total.runs,
        failedRuns: total.failedRuns,
        weeks: mweeks,
        trendMetric,
        first,
        last: lastW,
        changePct:
          withValue.length >= 2 && first!.value !== 0 ? ((lastW!.value - first!.value) / first!.value) * 100 : null,
      });
    });
    models.sort(
      (a, b) =>
        REGIONS.indexOf(a.region) - REGIONS.indexOf(b.region) ||
        (a.modelId < b.modelId ? -1 : a.modelId > b.modelId ? 1 : 0),
    );

    return {
      utcOffsetMinutes: offset,
      category: filter,
      since: this.sinceText,
      totals: {
        runs: this.runs,
        failedRuns: this.failedRuns,
        firstRun: this.firstRun,
        lastRun: this.lastRun,
        models: this.modelIds.length,
      },
      weeks,
      streaks,
      headline: streaks[0].headline,
      models,
      prices: [...this.priceSources]
        .map(([source, runs]) => ({ source, runs }))
        .sort((a, b) => b.runs - a.runs || (a.source < b.source ? -1 : 1)),
      pricedRunsWithoutSource: this.pricedRunsWithoutSource,
      rules: REPORT_RULES(offset),
    };
  }
}

/** Weekly report over records (any order). */
export function aggregateWeekly(records: Iterable<HistoryRecord>, options: AggregateOptions = {}): WeeklyReport {
  const agg = new WeeklyAggregator(options);
  for (const r of records) agg.add(r);
  return agg.result();
}

function rankValue(r: LeaderboardRow): number | null {
  return r.medianNormalizedTps ?? r.medianDecodeTps;
}

/** Rows sorted fastest first (by median normalised tok/s, else own-token tok/s); rows without either last. */
function byRank(a: LeaderboardRow, b: LeaderboardRow): number {
  const x = rankValue(a);
  const y = rankValue(b);
  if (x !== y) {
    if (x === null) return 1;
    if (y === null) return -1;
    return y - x;
  }
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function row(key: string, b: Bucket, label?: string): LeaderboardRow {
  const c = b.cell();
  return {
    key,
    ...(label ? { label } : {}),
    region: b.region,
    runs: c.runs,
    failedRuns: c.failedRuns,
    medianDecodeTps: c.medianDecodeTps,
    medianNormalizedTps: c.medianNormalizedTps,
    medianTtftMs: c.medianTtftMs,
    costPerMOutput: c.costPerMOutput,
    lastRun: b.lastRun,
  };
}

/** All-time (or since `filter.since`) medians per model and per region, fastest first. */
export function leaderboard(records: Iterable<HistoryRecord>, filter: LeaderboardFilter = {}): Leaderboard {
  const cats = categoryFilter(filter.category);
  const since = sinceMs(filter.since);
  const byModel = new Map<string, Bucket>();
  const byRegion = new Map<Region, Bucket>();
  for (const r of records) {
    if (cats && !cats.has(r.category)) continue;
    if (!isComparableRun(r)) continue;
    const ms = Date.parse(r.time);
    if (!(ms >= since)) continue;
    getBucket(byModel, r.modelId).add(r, ms);
    getBucket(byRegion, r.region).add(r, ms);
  }
  return {
    models: [...byModel].map(([id, b]) => row(id, b, b.label)).sort(byRank),
    regions: [...byRegion].map(([region, b]) => row(region, b)).sort(byRank),
  };
}
