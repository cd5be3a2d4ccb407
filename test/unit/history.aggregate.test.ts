import { describe, expect, it } from 'vitest';
import { aggregateWeekly, leaderboard, WeeklyAggregator } from '../../src/core/history/aggregate';
import type { HistoryRecord } from '../../src/core/history/contract';
import { weeklyReportMarkdown } from '../../src/core/history/render';
import type { Region, TaskCategory } from '../../src/core/types';

interface Run {
  time: string;
  model?: string;
  region?: Region;
  tps?: number | null;
  norm?: number | null;
  ttft?: number | null;
  cost?: number | null;
  out?: number | null;
  ok?: boolean;
  category?: TaskCategory;
  label?: string;
}

function rec(r: Run): HistoryRecord {
  const region = r.region ?? 'CN';
  const ok = r.ok ?? true;
  return {
    v: 1,
    time: r.time,
    modelId: r.model ?? (region === 'CN' ? 'cn-model' : region === 'US' ? 'us-model' : 'local-model'),
    ...(r.label ? { label: r.label } : {}),
    region,
    protocol: region === 'local' ? 'ollama' : 'openai-chat',
    host: 'example.test',
    promptHash: 'a'.repeat(64),
    category: r.category ?? 'chat',
    tokenSource: 'usage',
    toolVersion: '0.1.0',
    metrics: {
      ok,
      error: ok ? null : 'failed',
      reasoningVisible: false,
      chunks: 10,
      setupMs: 10,
      ttftMs: ok ? (r.ttft ?? 300) : null,
      ttfoMs: null,
      decodeTps: ok ? (r.tps === undefined ? 50 : r.tps) : null,
      e2eMs: null,
      itlMs: null,
      interChunkP50Ms: null,
      interChunkP95Ms: null,
      inputTokens: 100,
      outputTokens: ok ? (r.out === undefined ? 200 : r.out) : null,
      reasoningTokens: null,
      cachedInputTokens: null,
      streamedTokens: null,
      costUsd: ok ? (r.cost ?? null) : null,
      charsPerSec: null,
      normalizedTps: ok ? (r.norm ?? null) : null,
      serverDecodeTps: null,
    },
  };
}

/** Wednesday noon UTC of the ISO week starting on `monday` (YYYY-MM-DD). */
const wed = (monday: string, hour = 12) =>
  new Date(Date.parse(`${monday}T00:00:00Z`) + 2 * 86_400_000 + hour * 3_600_000).toISOString();

/** One CN and one US run per week with the given normalised tok/s; null skips that side. */
function duel(
  weeks: [monday: string, cn: number | null, us: number | null][],
  category: TaskCategory = 'chat',
): HistoryRecord[] {
  return weeks.flatMap(([monday, cn, us]) => [
    ...(cn === null ? [] : [rec({ time: wed(monday), region: 'CN', norm: cn, tps: cn, category })]),
    ...(us === null ? [] : [rec({ time: wed(monday), region: 'US', norm: us, tps: us, category })]),
  ]);
}

describe('weekly medians', () => {
  it('takes medians over successful runs per region and per model, pooling a region’s models', () => {
    const t = wed('2026-11-02');
    const records = [
      rec({ time: t, model: 'a', region: 'CN', tps: 10, norm: 9, ttft: 100, cost: 0.001, out: 100 }),
      rec({ time: t, model: 'a', region: 'CN', tps: 30, norm: 27, ttft: 300, cost: 0.003, out: 100 }),
      rec({ time: t, model: 'b', region: 'CN', tps: 20, norm: 18, ttft: 200, cost: 0.004, out: 200 }),
      rec({ time: t, model: 'b', region: 'CN', tps: 40, norm: 36, ttft: 400, cost: 0.001, out: 50 }),
      rec({ time: t, model: 'b', region: 'CN', ok: false }),
      rec({ time: t, model: 'u', region: 'US', tps: 25, norm: 20, ttft: 250, cost: 0.002, out: 1000 }),
    ];
    const r = aggregateWeekly(records);
    expect(r.weeks).toHaveLength(1);
    const w = r.weeks[0];
    expect(w.week).toBe('2026-W45');
    expect(w.start).toBe('2026-11-02');
    // CN pools a and b: tps 10,20,30,40 → 25; $/M: 10,30,20,20 → 20.
    expect(w.regions.CN).toEqual({
      runs: 5,
      failedRuns: 1,
      medianDecodeTps: 25,
      medianNormalizedTps: 22.5,
      medianTtftMs: 250,
      costPerMOutput: 20,
    });
    expect(w.regions.US).toEqual({
      runs: 1,
      failedRuns: 0,
      medianDecodeTps: 25,
      medianNormalizedTps: 20,
      medianTtftMs: 250,
      costPerMOutput: 2,
    });
    expect(w.regions.local).toBeUndefined();
    expect(w.gap).toEqual({ decodeTps: 0, normalizedTps: 2.5, ttftMs: 0, costPerMOutput: 18 });
    // Led by the normalised rate when both have it, even though own-token rates tie.
    expect(w.leader).toBe('CN');
    expect(w.leadMetric).toBe('normalizedTps');
    const b = r.models.find((m) => m.modelId === 'b')!;
    expect(b.weeks[0]).toMatchObject({
      week: '2026-W45',
      runs: 3,
      failedRuns: 1,
      medianDecodeTps: 30,
      costPerMOutput: 20,
    });
    expect(r.totals).toMatchObject({ runs: 6, failedRuns: 1, models: 3 });
  });

  it('leaves cost out when a run has no cost or no output tokens', () => {
    const t = wed('2026-11-02');
    const r = aggregateWeekly([
      rec({ time: t, cost: null }),
      rec({ time: t, cost: 0.01, out: 0 }),
      rec({ time: t, cost: 0.01, out: null }),
    ]);
    expect(r.weeks[0].regions.CN?.costPerMOutput).toBeNull();
  });

  it('says where the costs came from: each price source with its runs, and the priced runs that kept none', () => {
    const t = wed('2026-11-02');
    const db = {
      kind: 'genai-prices',
      package: '@pydantic/genai-prices',
      version: '0.1.8',
      data: 'bundled',
      dataDate: '2026-11-20',
      providerId: 'x',
      modelId: 'y',
    } as const;
    const r = aggregateWeekly([
      { ...rec({ time: t, cost: 0.01 }), priceSource: db },
      { ...rec({ time: t, cost: 0.02, region: 'US' }), priceSource: db },
      { ...rec({ time: t, cost: 0.03 }), priceSource: { kind: 'config', readOn: '2026-12-01' } },
      rec({ time: t, cost: 0.04 }),
      rec({ time: t, cost: null }),
    ]);
    expect(r.prices).toEqual([
      { source: 'genai-prices 0.1.8, data of 2026-11-20', runs: 2 },
      { source: 'your config (read 2026-12-01)', runs: 1 },
    ]);
    expect(r.pricedRunsWithoutSource).toBe(1);
    expect(weeklyReportMarkdown(r)).toContain(
      'Costs priced from: genai-prices 0.1.8, data of 2026-11-20 (2 runs); your config (read 2026-12-01) (1 run); 1 run(s) recorded before the history kept price sources.',
    );
    expect(weeklyReportMarkdown(aggregateWeekly([rec({ time: t, cost: null })]))).not.toContain('Costs priced from');
  });

  it('falls back to own-token tok/s when a region has no normalised rate that week', () => {
    const t = wed('2026-11-02');
    const r = aggregateWeekly([
      rec({ time: t, region: 'CN', tps: 40, norm: 10 }),
      rec({ time: t, region: 'US', tps: 50, norm: null }),
    ]);
    expect(r.weeks[0].gap.normalizedTps).toBeNull();
    expect(r.weeks[0].leader).toBe('US');
    expect(r.weeks[0].leadMetric).toBe('decodeTps');
  });

  it('does not rank local models', () => {
    const t = wed('2026-11-02');
    const r = aggregateWeekly([
      rec({ time: t, region: 'local', tps: 500, norm: 500 }),
      rec({ time: t, region: 'CN', tps: 10, norm: 10 }),
    ]);
    expect(r.weeks[0].leader).toBeNull();
    expect(r.streaks[0]).toMatchObject({ leader: null, weeks: 0, reason: 'no US runs in 2026-W45' });
  });

  it('lists empty weeks between weeks with data', () => {
    const r = aggregateWeekly(
      duel([
        ['2026-11-02', 60, 50],
        ['2026-11-23', 60, 50],
      ]),
    );
    expect(r.weeks.map((w) => w.week)).toEqual(['2026-W45', '2026-W46', '2026-W47', '2026-W48']);
    expect(r.weeks[1]).toMatchObject({ regions: {}, leader: null, gap: { decodeTps: null, normalizedTps: null } });
  });

  it('assigns weeks at the given UTC offset', () => {
    // Sunday 2026-11-08 20:00 UTC is Monday 04:00 in UTC+08:00.
    const records = [rec({ time: '2026-11-08T20:00:00Z' })];
    expect(aggregateWeekly(records).weeks[0].week).toBe('2026-W45');
    expect(aggregateWeekly(records, { utcOffsetMinutes: 480 }).weeks[0].week).toBe('2026-W46');
    expect(() => aggregateWeekly(records, { utcOffsetMinutes: 900 })).toThrow(RangeError);
  });

  it('filters by category and by start time', () => {
    const records = [
      rec({ time: wed('2026-11-02'), category: 'chat', tps: 10 }),
      rec({ time: wed('2026-11-09'), category: 'translation', tps: 20 }),
      rec({ time: wed('2026-11-16'), category: 'chat', tps: 30 }),
    ];
    expect(aggregateWeekly(records, { category: 'chat' }).totals.runs).toBe(2);
    expect(aggregateWeekly(records, { category: ['chat', 'translation'] }).totals.runs).toBe(3);
    const since = aggregateWeekly(records, { since: '2026-11-09' });
    expect(since.weeks.map((w) => w.week)).toEqual(['2026-W46', '2026-W47']);
    expect(() => aggregateWeekly(records, { since: 'yesterday' })).toThrow(RangeError);
  });

  it('streams: adding records one by one equals aggregating the array, in any order', () => {
    const records = duel([
      ['2026-11-02', 60, 50],
      ['2026-11-09', 40, 50],
      ['2026-11-16', 61, 50],
    ]);
    const agg = new WeeklyAggregator();
    for (const r of [...records].reverse()) agg.add(r);
    expect(agg.result()).toEqual(aggregateWeekly(records));
  });

  it('has a headline and no weeks when there is no history', () => {
    const r = aggregateWeekly([]);
    expect(r.weeks).toEqual([]);
    expect(r.headline).toBe('No benchmark history yet.');
    expect(r.streaks).toHaveLength(1);
  });
});

describe('streaks', () => {
  it('counts consecutive weeks led, back from the latest week', () => {
    const r = aggregateWeekly(
      duel([
        ['2026-10-19', 40, 50], // W43 US
        ['2026-10-26', 60, 50], // W44 CN
        ['2026-11-02', 61, 50],
        ['2026-11-09', 62, 50],
        ['2026-11-16', 63, 50],
        ['2026-11-23', 64, 50], // W48 CN
      ]),
    );
    expect(r.streaks[0]).toMatchObject({
      scope: 'all',
      leader: 'CN',
      weeks: 5,
      from: '2026-W44',
      to: '2026-W48',
      asOf: '2026-W48',
      metric: 'normalizedTps',
    });
    expect(r.headline).toBe(
      'CN has led US in median tok/s (o200k-normalised) for 5 consecutive weeks (2026-W44 … 2026-W48)',
    );
  });

  it('runs across the year end through week 53', () => {
    const r = aggregateWeekly(
      duel([
        ['2026-12-14', 40, 50],
        ['2026-12-21', 60, 50],
        ['2026-12-28', 60, 50],
        ['2027-01-04', 60, 50],
        ['2027-01-11', 60, 50],
      ]),
    );
    expect(r.weeks.map((w) => w.week)).toEqual(['2026-W51', '2026-W52', '2026-W53', '2027-W01', '2027-W02']);
    expect(r.streaks[0]).toMatchObject({ leader: 'CN', weeks: 4, from: '2026-W52', to: '2027-W02' });
  });

  it('is broken by a week with no data', () => {
    const r = aggregateWeekly(
      duel([
        ['2026-10-26', 60, 50],
        ['2026-11-02', 60, 50],
        ['2026-11-16', 60, 50],
        ['2026-11-23', 60, 50],
      ]),
    );
    expect(r.streaks[0]).toMatchObject({ leader: 'CN', weeks: 2, from: '2026-W47', to: '2026-W48' });
  });

  it('is broken by a week where one region has data and the other none', () => {
    const r = aggregateWeekly(
      duel([
        ['2026-10-26', 60, 50],
        ['2026-11-02', 60, null],
        ['2026-11-09', 60, 50],
      ]),
    );
    expect(r.streaks[0]).toMatchObject({ leader: 'CN', weeks: 1, from: '2026-W46', to: '2026-W46' });
    expect(r.headline).toBe('CN has led US in median tok/s (o200k-normalised) for 1 week (2026-W46)');
  });

  it('is broken by a week where one region only failed', () => {
    const records = [
      ...duel([
        ['2026-10-26', 60, 50],
        ['2026-11-09', 60, 50],
      ]),
      rec({ time: wed('2026-11-02'), region: 'CN', norm: 70 }),
      rec({ time: wed('2026-11-02'), region: 'US', ok: false }),
    ];
    const r = aggregateWeekly(records);
    expect(r.weeks[1]).toMatchObject({ week: '2026-W45', leader: null });
    expect(r.streaks[0]).toMatchObject({ leader: 'CN', weeks: 1 });
  });

  it('ties extend no streak: a tie in the middle ends it, a tie in the latest week means no current lead', () => {
    const mid = aggregateWeekly(
      duel([
        ['2026-10-26', 60, 50],
        ['2026-11-02', 50, 50],
        ['2026-11-09', 60, 50],
        ['2026-11-16', 60, 50],
      ]),
    );
    expect(mid.weeks[1].leader).toBe('tie');
    expect(mid.streaks[0]).toMatchObject({ leader: 'CN', weeks: 2, from: '2026-W46', to: '2026-W47' });
    const last = aggregateWeekly(
      duel([
        ['2026-10-26', 60, 50],
        ['2026-11-02', 60, 50],
        ['2026-11-09', 55.5, 55.5],
      ]),
    );
    expect(last.streaks[0]).toMatchObject({
      leader: null,
      weeks: 0,
      from: null,
      to: null,
      asOf: '2026-W46',
      reason: 'CN and US tied in 2026-W46',
    });
    expect(last.headline).toBe('No current lead: CN and US tied in 2026-W46.');
  });

  it('ends where the leader changes, and reports the latest leader', () => {
    const r = aggregateWeekly(
      duel([
        ['2026-10-26', 60, 50],
        ['2026-11-02', 60, 50],
        ['2026-11-09', 40, 50],
        ['2026-11-16', 40, 50],
        ['2026-11-23', 40, 50],
      ]),
    );
    expect(r.streaks[0]).toMatchObject({ leader: 'US', weeks: 3, from: '2026-W46', to: '2026-W48' });
    expect(r.headline).toBe(
      'US has led CN in median tok/s (o200k-normalised) for 3 consecutive weeks (2026-W46 … 2026-W48)',
    );
  });

  it('has no current lead when the latest week lacks a region', () => {
    const r = aggregateWeekly(
      duel([
        ['2026-10-26', 60, 50],
        ['2026-11-02', 60, null],
      ]),
    );
    expect(r.streaks[0]).toMatchObject({ leader: null, weeks: 0, reason: 'no US runs in 2026-W45' });
    expect(r.headline).toBe('No current lead: no US runs in 2026-W45.');
  });

  it('says when weeks were decided by different metrics', () => {
    const records = [
      ...duel([['2026-10-26', 60, 50]]),
      rec({ time: wed('2026-11-02'), region: 'CN', tps: 60, norm: null }),
      rec({ time: wed('2026-11-02'), region: 'US', tps: 50, norm: 70 }),
    ];
    const r = aggregateWeekly(records);
    expect(r.weeks.map((w) => [w.leader, w.leadMetric])).toEqual([
      ['CN', 'normalizedTps'],
      ['CN', 'decodeTps'],
    ]);
    expect(r.streaks[0]).toMatchObject({ leader: 'CN', weeks: 2, metric: 'mixed' });
    expect(r.headline).toBe(
      'CN has led US in median tok/s (o200k-normalised where both regions had it, else own tokens) for 2 consecutive weeks (2026-W44 … 2026-W45)',
    );
  });

  it('is computed per task category, against the latest week of the whole report', () => {
    const records = [
      ...duel(
        [
          ['2026-10-26', 60, 50],
          ['2026-11-02', 60, 50],
          ['2026-11-09', 60, 50],
        ],
        'coding-generate',
      ),
      ...duel(
        [
          ['2026-10-26', 40, 50],
          ['2026-11-02', 40, 50],
          ['2026-11-09', 60, 50],
        ],
        'translation',
      ),
      ...duel([['2026-10-26', 40, 50]], 'summarization'),
    ];
    const r = aggregateWeekly(records);
    const by = Object.fromEntries(r.streaks.map((s) => [s.scope, s]));
    expect(Object.keys(by)).toEqual(['all', 'coding-generate', 'summarization', 'translation']);
    expect(by['coding-generate']).toMatchObject({ leader: 'CN', weeks: 3, from: '2026-W44', to: '2026-W46' });
    expect(by['translation']).toMatchObject({ leader: 'CN', weeks: 1, from: '2026-W46' });
    expect(by['summarization']).toMatchObject({
      leader: null,
      weeks: 0,
      asOf: '2026-W46',
      reason: 'no CN or US runs in 2026-W46',
    });
    expect(by['coding-generate'].headline).toBe(
      'CN has led US in median tok/s (o200k-normalised) on coding-generate prompts for 3 consecutive weeks (2026-W44 … 2026-W46)',
    );
    // Pooled over categories: W44 CN 60/40/40 → 40 vs US 50 (US); W45 CN 60/40 → 50 vs US 50 (tie); W46 CN 60 vs 50.
    expect(r.weeks.map((w) => w.leader)).toEqual(['US', 'tie', 'CN']);
    expect(by['all']).toMatchObject({ leader: 'CN', weeks: 1, from: '2026-W46' });
    const filtered = aggregateWeekly(records, { category: 'translation' });
    expect(filtered.headline).toBe(
      'CN has led US in median tok/s (o200k-normalised) on translation prompts for 1 week (2026-W46)',
    );
  });

  it('changes with the time zone when runs sit near the week boundary', () => {
    // US runs at Sunday 20:00 UTC: in UTC they belong to the week that ends; in UTC+08:00 to the next one.
    const records = [
      rec({ time: wed('2026-11-02'), region: 'CN', norm: 60 }),
      rec({ time: '2026-11-08T20:00:00Z', region: 'US', norm: 50 }),
      rec({ time: wed('2026-11-09'), region: 'CN', norm: 60 }),
      rec({ time: '2026-11-15T20:00:00Z', region: 'US', norm: 50 }),
    ];
    expect(aggregateWeekly(records).streaks[0]).toMatchObject({
      leader: 'CN',
      weeks: 2,
      from: '2026-W45',
      to: '2026-W46',
    });
    const east = aggregateWeekly(records, { utcOffsetMinutes: 480 });
    expect(east.weeks.map((w) => w.week)).toEqual(['2026-W45', '2026-W46', '2026-W47']);
    expect(east.streaks[0]).toMatchObject({ leader: null, asOf: '2026-W47', reason: 'no CN runs in 2026-W47' });
  });
});

describe('per-model trends', () => {
  it('lists a model’s weeks and the change from its first to its last week', () => {
    const records = [
      rec({ time: wed('2026-11-02'), model: 'm', label: 'Model M', tps: 40, norm: 40 }),
      rec({ time: wed('2026-11-16'), model: 'm', label: 'Model M v2', tps: 50, norm: 50 }),
      rec({ time: wed('2026-11-09'), model: 'x', region: 'US', tps: 30, norm: null }),
    ];
    const r = aggregateWeekly(records);
    const m = r.models.find((x) => x.modelId === 'm')!;
    expect(m).toMatchObject({
      label: 'Model M v2',
      region: 'CN',
      runs: 2,
      trendMetric: 'normalizedTps',
      first: { week: '2026-W45', value: 40 },
      last: { week: '2026-W47', value: 50 },
      changePct: 25,
    });
    expect(m.weeks.map((w) => w.week)).toEqual(['2026-W45', '2026-W47']);
    const x = r.models.find((y) => y.modelId === 'x')!;
    expect(x).toMatchObject({ trendMetric: 'decodeTps', first: { value: 30 }, changePct: null });
    expect(r.models.map((y) => y.modelId)).toEqual(['m', 'x']); // CN first, then US
  });
});

describe('leaderboard', () => {
  const records = [
    rec({
      time: '2026-11-02T10:00:00Z',
      model: 'slow',
      label: 'Slow',
      region: 'CN',
      tps: 20,
      norm: 18,
      ttft: 900,
      cost: 0.002,
      out: 100,
      category: 'chat',
    }),
    rec({
      time: '2026-11-03T10:00:00Z',
      model: 'slow',
      label: 'Slow',
      region: 'CN',
      tps: 30,
      norm: 28,
      ttft: 700,
      cost: 0.004,
      out: 100,
      category: 'chat',
    }),
    rec({ time: '2026-11-04T10:00:00Z', model: 'slow', region: 'CN', ok: false, category: 'chat' }),
    rec({
      time: '2026-11-02T11:00:00Z',
      model: 'fast',
      region: 'US',
      tps: 90,
      norm: 80,
      ttft: 300,
      category: 'translation',
    }),
    rec({ time: '2026-11-05T11:00:00Z', model: 'nonorm', region: 'local', tps: 50, norm: null, category: 'chat' }),
    rec({ time: '2026-11-05T12:00:00Z', model: 'dead', region: 'US', ok: false, category: 'chat' }),
  ];

  it('ranks models and regions fastest first, with medians, failures and the last run', () => {
    const lb = leaderboard(records, {});
    expect(lb.models.map((m) => m.key)).toEqual(['fast', 'nonorm', 'slow', 'dead']);
    expect(lb.models[2]).toEqual({
      key: 'slow',
      region: 'CN',
      runs: 3,
      failedRuns: 1,
      medianDecodeTps: 25,
      medianNormalizedTps: 23,
      medianTtftMs: 800,
      costPerMOutput: 30,
      lastRun: '2026-11-04T10:00:00Z',
    });
    expect(lb.models[2].label).toBeUndefined(); // the latest record has no label
    expect(lb.models[3]).toMatchObject({ key: 'dead', runs: 1, failedRuns: 1, medianDecodeTps: null });
    expect(lb.regions.map((r) => [r.key, r.runs, r.failedRuns])).toEqual([
      ['US', 2, 1],
      ['local', 1, 0],
      ['CN', 3, 1],
    ]);
  });

  it('filters by category (one or several) and by time', () => {
    expect(leaderboard(records, { category: 'translation' }).models.map((m) => m.key)).toEqual(['fast']);
    expect(leaderboard(records, { category: ['translation', 'chat'] }).models).toHaveLength(4);
    // 'slow' has only a failed run since then: no rate, ranked after those with one (ties by key).
    expect(leaderboard(records, { since: '2026-11-04T00:00:00Z' }).models.map((m) => m.key)).toEqual([
      'nonorm',
      'dead',
      'slow',
    ]);
  });
});

describe('streak over completed weeks only (now given)', () => {
  it('a benchmark minutes old makes no lead: its week is not complete yet', () => {
    const records = duel([['2026-11-30', 60, 50]]);
    const now = '2026-12-03T12:05:00Z'; // the same ISO week, 2026-W49
    const r = aggregateWeekly(records, { now });
    expect(r.streaks[0].weeks).toBe(0);
    expect(r.headline).toBe(
      'No lead yet: no completed week yet; 2026-W49 counts once it ends, if it has runs from both CN and US.',
    );
    // Without `now` (the CLI's weekly report over a finished history) the same records count as before.
    expect(aggregateWeekly(records).streaks[0].weeks).toBe(1);
  });

  it('counts back from the last completed week, and a completed week with one region ends it', () => {
    const records = duel([
      ['2026-11-09', 60, 50],
      ['2026-11-16', 61, 50],
      ['2026-11-23', 62, 50],
      ['2026-11-30', 40, 50], // current week: US ahead so far, not counted
    ]);
    const r = aggregateWeekly(records, { now: '2026-12-02T09:00:00Z' });
    expect(r.streaks[0]).toMatchObject({ leader: 'CN', weeks: 3, from: '2026-W46', to: '2026-W48' });
    const gap = aggregateWeekly(
      duel([
        ['2026-11-16', 61, 50],
        ['2026-11-23', 62, null],
      ]),
      { now: '2026-12-02T09:00:00Z' },
    );
    expect(gap.streaks[0]).toMatchObject({ leader: null, weeks: 0 });
    expect(gap.headline).toContain('no US runs in 2026-W48');
  });
});
