import { describe, expect, it } from 'vitest';
import { LiveReport } from '../../src/core/report/live';
import { leaderboard, recordsFromReport } from '../../src/core/history';
import { buildResultsView, formatMetric, runTimeline } from '../../src/core/report/resultsView';
import type { ModelSpec } from '../../src/core/types';
import { result, run, sampleReport } from './fixtures';

describe('buildResultsView', () => {
  const view = buildResultsView(sampleReport());

  it('has one row per model with medians of successful runs', () => {
    expect(view.rows.map((r) => r.id)).toEqual(['deepseek-v4-flash', 'kimi-k3', 'gpt-6-sol']);
    const ds = view.rows[0];
    expect(ds.cells.decodeTps.value).toBe(85);
    expect(ds.cells.decodeTps.text).toBe('85.0');
    expect(ds.cells.decodeTps.spread).toEqual({ n: 2, min: 80, max: 90, mad: 5 });
    expect(ds.cells.ttftMs.text).toBe('450');
    const kimi = view.rows[1];
    expect(kimi.okRuns).toBe(1);
    expect(kimi.failedRuns).toBe(1);
    expect(kimi.cells.decodeTps.spread).toBeUndefined();
  });

  it('marks the best value per column: highest rate, lowest latency, none for token counts', () => {
    const best = (metric: 'decodeTps' | 'ttftMs' | 'outputTokens') =>
      view.rows.filter((r) => r.cells[metric].best).map((r) => r.id);
    expect(best('decodeTps')).toEqual(['deepseek-v4-flash']);
    expect(best('ttftMs')).toEqual(['gpt-6-sol']);
    expect(best('outputTokens')).toEqual([]);
  });

  it('aggregates CN vs US by pooling every successful run, the rule the sidebar and the weekly report follow', () => {
    expect(view.aggregates.map((a) => a.region)).toEqual(['CN', 'US']);
    const cn = view.aggregates[0];
    expect(cn.models).toBe(2);
    // CN runs 80, 90 (deepseek) and 40 (kimi): the pooled median is 80, not the median of model medians (62.5).
    expect(cn.cells.decodeTps.value).toBe(80);
    expect(view.aggregates[1].cells.ttftMs.best).toBe(true);
  });

  it("gives the same region medians as the sidebar's leaderboard over the same runs", () => {
    const r = sampleReport();
    const board = leaderboard(recordsFromReport(r, { category: 'chat', storePrompt: false }));
    for (const a of buildResultsView(r).aggregates) {
      const side = board.regions.find((x) => x.key === a.region)!;
      expect(a.cells.decodeTps.value).toBe(side.medianDecodeTps);
      expect(a.cells.normalizedTps.value).toBe(side.medianNormalizedTps);
      expect(a.cells.ttftMs.value).toBe(side.medianTtftMs);
    }
  });

  it('marks a model whose runs all failed, and groups its failed runs by distinct error', () => {
    const r = sampleReport();
    const err = 'x (h): the API key is missing or was rejected (HTTP 401). Run Tokenscope: Set API Key.';
    const bad = {
      ok: false,
      error: err,
      errorKind: 'auth' as const,
      decodeTps: null,
      ttftMs: null,
      normalizedTps: null,
      answerText: '',
    };
    r.results.push(
      result('x', 'US', [
        run(bad),
        run(bad),
        run({ ...bad, error: 'x (h): timed out after 120 s.', errorKind: 'timeout' }),
      ]),
    );
    r.settings.runs = 3;
    const row = buildResultsView(r).rows.find((x) => x.id === 'x')!;
    expect(row.status).toBe('failed');
    expect(row.statusText).toBe('failed: 401, timeout (3 of 3 runs)');
    expect(row.errorGroups.map((g) => [g.label, g.count, g.runs])).toEqual([
      ['401', 2, [0, 1]],
      ['timeout', 1, [2]],
    ]);
  });

  it('keeps failed runs with their errors and the untrusted text as data', () => {
    const kimi = view.rows[1];
    expect(kimi.runs[1]).toMatchObject({ ok: false, errorKind: 'auth' });
    expect(kimi.runs[0].answerText).toContain('<script>');
  });

  it('survives structured cloning (postMessage) unchanged', () => {
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});

describe('runTimeline', () => {
  it('accumulates tokens from TTFT over the inter-chunk gaps', () => {
    expect(runTimeline({ ttftMs: 100, interChunkMs: [10, 20], tokensPerChunk: [1, 2, 3] })).toEqual([
      { t: 0, tokens: 0 },
      { t: 100, tokens: 1 },
      { t: 110, tokens: 3 },
      { t: 130, tokens: 6 },
    ]);
  });

  it('is empty without a first token', () => {
    expect(runTimeline({ ttftMs: null, interChunkMs: [], tokensPerChunk: [] })).toEqual([]);
  });

  it('thins long series but keeps both ends', () => {
    const n = 5000;
    const pts = runTimeline({ ttftMs: 0, interChunkMs: Array(n - 1).fill(1), tokensPerChunk: Array(n).fill(1) }, 100);
    expect(pts).toHaveLength(100);
    expect(pts[0]).toEqual({ t: 0, tokens: 0 });
    expect(pts[99].tokens).toBe(n);
  });
});

describe('formatMetric', () => {
  it('formats by metric and shows a dash for unknown values', () => {
    expect(formatMetric('ttftMs', 1234.4)).toBe('1,234');
    expect(formatMetric('decodeTps', 12.345)).toBe('12.3');
    expect(formatMetric('costUsd', 0.0004)).toBe('$0.0004');
    expect(formatMetric('costUsd', 0.123456)).toBe('$0.1235');
    expect(formatMetric('ttftMs', null)).toBe('—');
    expect(formatMetric('ttftMs', NaN)).toBe('—');
  });
});

describe('LiveReport', () => {
  const spec = (id: string, region: 'CN' | 'US'): ModelSpec => ({
    id,
    protocol: 'openai-chat',
    baseUrl: `https://${id}.example.com/v1`,
    model: id,
    region,
  });

  it('says per model, as it happens, queued / warming up / running / done, and counts measured runs only', () => {
    const live = new LiveReport([spec('a', 'CN'), spec('b', 'US')], 'hello', {
      runs: 2,
      warmup: 1,
      concurrency: 1,
      maxTokens: 10,
      timeoutMs: 1000,
    });
    const status = () => Object.fromEntries(live.view().rows.map((r) => [r.id, `${r.status}: ${r.statusText}`]));
    live.apply({ type: 'start', totalRuns: 6, models: ['a', 'b'] });
    expect(status()).toEqual({ a: 'queued: queued', b: 'queued: queued' });
    live.apply({ type: 'run-start', modelId: 'a', index: 0, warmup: true });
    // Concurrency 1: one model at a time, the other waits its turn.
    expect(status()).toEqual({ a: 'warming up: warm-up 1 of 1', b: 'queued: queued' });
    live.apply({ type: 'run-end', modelId: 'a', index: 0, warmup: true, metrics: run({ warmup: true }) });
    live.apply({ type: 'run-start', modelId: 'b', index: 0, warmup: true });
    live.apply({ type: 'run-end', modelId: 'b', index: 0, warmup: true, metrics: run({ warmup: true }) });
    // Warm-ups are not measured runs: progress still says 0 of 4.
    expect(live.view().progress).toEqual({ done: 0, total: 4, warmupDone: 2, warmupTotal: 2 });
    live.apply({ type: 'run-start', modelId: 'a', index: 0, warmup: false });
    expect(status().a).toBe('running: run 1 of 2');
    live.apply({ type: 'run-end', modelId: 'a', index: 0, warmup: false, metrics: run({ decodeTps: 10 }) });
    let v = live.view();
    expect(v.running).toBe(true);
    expect(status()).toEqual({ a: 'queued: queued: 1 of 2 runs done', b: 'queued: queued' });
    v = live.view();
    expect(v.progress).toEqual({ done: 1, total: 4, warmupDone: 2, warmupTotal: 2 });
    expect(v.rows[0].cells.decodeTps.value).toBe(10);
    expect(v.rows[0].host).toBe('a.example.com');
  });

  it('ignores warm-up runs in the results and takes the final report at the end', () => {
    const live = new LiveReport([spec('a', 'CN')], 'hello', {
      runs: 1,
      warmup: 1,
      concurrency: 1,
      maxTokens: 10,
      timeoutMs: 1000,
    });
    live.apply({ type: 'run-end', modelId: 'a', index: 0, warmup: true, metrics: run({ warmup: true }) });
    expect(live.current.results[0].runs).toHaveLength(0);
    const final = sampleReport();
    live.apply({ type: 'end', report: final });
    expect(live.isFinished).toBe(true);
    expect(live.current).toBe(final);
    expect(live.view().running).toBe(false);
  });

  it('marks a cancelled benchmark, keeps the finished runs and says which model has none', () => {
    const live = new LiveReport([spec('a', 'CN'), spec('b', 'US')], 'hello', {
      runs: 3,
      warmup: 0,
      concurrency: 1,
      maxTokens: 10,
      timeoutMs: 1000,
    });
    live.apply({ type: 'run-end', modelId: 'a', index: 0, warmup: false, metrics: run({ decodeTps: 10 }) });
    live.apply({
      type: 'run-end',
      modelId: 'b',
      index: 0,
      warmup: false,
      metrics: run({ ok: false, error: 'b: cancelled.', errorKind: 'cancelled' }),
    });
    live.markCancelled();
    live.stop(true);
    const v = live.view();
    expect(v).toMatchObject({ running: false, cancelled: true, progress: { done: 1, total: 6 } });
    expect(v.rows[0]).toMatchObject({ status: 'done', okRuns: 1, statusText: '1 of 3 runs ok; 2 not run (cancelled)' });
    expect(v.rows[0].cells.decodeTps.value).toBe(10);
    expect(v.rows[1]).toMatchObject({ status: 'cancelled', statusText: 'cancelled before any run finished' });
  });
});
