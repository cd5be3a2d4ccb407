import { describe, expect, it } from 'vitest';
import { LiveReport } from '../../src/core/report/live';
import { buildResultsView, formatMetric, runTimeline } from '../../src/core/report/resultsView';
import type { ModelSpec } from '../../src/core/types';
import { run, sampleReport } from './fixtures';

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
    const best = (metric: 'decodeTps' | 'ttftMs' | 'outputTokens') => view.rows.filter((r) => r.cells[metric].best).map((r) => r.id);
    expect(best('decodeTps')).toEqual(['deepseek-v4-flash']);
    expect(best('ttftMs')).toEqual(['gpt-6-sol']);
    expect(best('outputTokens')).toEqual([]);
  });

  it('aggregates CN vs US as the median of model medians', () => {
    expect(view.aggregates.map((a) => a.region)).toEqual(['CN', 'US']);
    const cn = view.aggregates[0];
    expect(cn.models).toBe(2);
    expect(cn.cells.decodeTps.value).toBe((85 + 40) / 2);
    expect(view.aggregates[1].cells.ttftMs.best).toBe(true);
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
  const spec = (id: string, region: 'CN' | 'US'): ModelSpec => ({ id, protocol: 'openai-chat', baseUrl: `https://${id}.example.com/v1`, model: id, region });

  it('fills in per run and reports progress while running', () => {
    const live = new LiveReport([spec('a', 'CN'), spec('b', 'US')], 'hello', { runs: 2, warmup: 0, concurrency: 1, maxTokens: 10, timeoutMs: 1000 });
    live.apply({ type: 'start', totalRuns: 4, models: ['a', 'b'] });
    live.apply({ type: 'run-start', modelId: 'a', index: 0, warmup: false });
    let v = live.view();
    expect(v.running).toBe(true);
    expect(v.rows.find((r) => r.id === 'a')!.status).toBe('running');
    expect(v.rows.find((r) => r.id === 'b')!.status).toBe('pending');
    live.apply({ type: 'run-end', modelId: 'a', index: 0, warmup: false, metrics: run({ decodeTps: 10 }) });
    v = live.view();
    expect(v.progress).toEqual({ done: 1, total: 4 });
    expect(v.rows[0].cells.decodeTps.value).toBe(10);
    expect(v.rows[0].host).toBe('a.example.com');
  });

  it('ignores warm-up runs in the results and takes the final report at the end', () => {
    const live = new LiveReport([spec('a', 'CN')], 'hello', { runs: 1, warmup: 1, concurrency: 1, maxTokens: 10, timeoutMs: 1000 });
    live.apply({ type: 'run-end', modelId: 'a', index: 0, warmup: true, metrics: run({ warmup: true }) });
    expect(live.current.results[0].runs).toHaveLength(0);
    const final = sampleReport();
    live.apply({ type: 'end', report: final });
    expect(live.isFinished).toBe(true);
    expect(live.current).toBe(final);
    expect(live.view().running).toBe(false);
  });

  it('marks a cancelled benchmark', () => {
    const live = new LiveReport([spec('a', 'CN')], 'hello', { runs: 1, warmup: 0, concurrency: 1, maxTokens: 10, timeoutMs: 1000 });
    live.markCancelled();
    live.stop(true);
    expect(live.view()).toMatchObject({ running: false, cancelled: true });
  });
});
