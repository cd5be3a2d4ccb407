// @vitest-environment happy-dom
/** The results panel's "Where TTFT goes" section, from reports summarised by the core's own functions. */
import { describe, expect, it } from 'vitest';
import { createResultsApp } from '../../media/src/lib/resultsRender';
import { compareCache, summarizeCacheState } from '../../src/core/cache';
import { buildResultsView } from '../../src/core/report/resultsView';
import { fitPrefill, sweepPoints } from '../../src/core/sweep';
import type { BenchmarkReport, ModelSpec, RunMetrics } from '../../src/core/types';
import { parseResultsToWebview, type ResultsView } from '../../src/shared/protocol/results';
import { report, result, run, sampleReport } from './fixtures';

const phases = (sent: number, first: number, reused = false): Partial<RunMetrics> => ({
  phases: {
    dnsMs: reused ? null : 2,
    connectMs: reused ? null : 20,
    tlsMs: reused ? null : 60,
    sentMs: sent,
    headersMs: first - 1,
    firstByteMs: first,
  },
  connectionReused: reused,
  serverProcessingMs: 150,
});

function cacheReport(): BenchmarkReport {
  const spec: ModelSpec = {
    id: 'deepseek-chat',
    protocol: 'openai-chat',
    baseUrl: 'https://api.deepseek.com',
    model: 'deepseek-chat',
    region: 'CN',
    price: { inputPerM: 0.28, outputPerM: 0.42, cachedInputPerM: 0.028 },
  };
  const cold = [
    run({ ttftMs: 900, cacheState: 'cold', inputTokens: 3000, cachedInputTokens: 0, ...phases(70, 300) }),
    run({ ttftMs: 1000, cacheState: 'cold', inputTokens: 3000, cachedInputTokens: 0, ...phases(5, 280, true) }),
  ];
  const warm = [
    run({ ttftMs: 400, cacheState: 'warm', inputTokens: 3000, cachedInputTokens: 2944, ...phases(4, 250, true) }),
    run({ ttftMs: 420, cacheState: 'warm', inputTokens: 3000, cachedInputTokens: 2944, ...phases(4, 260, true) }),
  ];
  const byCache = { cold: summarizeCacheState(spec, cold), warm: summarizeCacheState(spec, warm) };
  const ds = result('deepseek-chat', 'CN', [...cold, ...warm], {
    byCache,
    cache: compareCache(spec, byCache.cold, byCache.warm, 3000),
  });
  const gptSpec: ModelSpec = { ...spec, id: 'gpt-4o', baseUrl: 'https://api.openai.com/v1', region: 'US' };
  const gptCold = [run({ ttftMs: 500, cacheState: 'cold', inputTokens: 3000, cachedInputTokens: 0 })];
  const gptWarm = [run({ ttftMs: 505, cacheState: 'warm', inputTokens: 3000, cachedInputTokens: 0 })];
  const gptBy = { cold: summarizeCacheState(gptSpec, gptCold), warm: summarizeCacheState(gptSpec, gptWarm) };
  const gpt = result('gpt-4o', 'US', [...gptCold, ...gptWarm], {
    byCache: gptBy,
    cache: compareCache(gptSpec, gptBy.cold, gptBy.warm, 3000),
  });
  return report([ds, gpt], {
    settings: {
      runs: 2,
      warmup: 0,
      concurrency: 1,
      maxTokens: 512,
      timeoutMs: 120000,
      cache: 'both',
      location: 'Hangzhou',
    },
  });
}

function sweepReport(): BenchmarkReport {
  const runs = [256, 2048, 8192].flatMap((t) => [
    run({ targetInputTokens: t, inputTokens: t + 10, ttftMs: 50 + (t + 10) / 10, cacheState: 'cold' }),
  ]);
  return report([result('qwen', 'CN', runs, { sweep: sweepPoints(runs), prefill: fitPrefill(runs) })], {
    settings: {
      runs: 1,
      warmup: 0,
      concurrency: 1,
      maxTokens: 512,
      timeoutMs: 120000,
      cache: 'cold',
      inputTokens: [256, 2048, 8192],
    },
  });
}

function received(r: BenchmarkReport): ResultsView {
  const msg = parseResultsToWebview(JSON.parse(JSON.stringify({ type: 'results', view: buildResultsView(r) })));
  if (msg?.type !== 'results') throw new Error('invalid view');
  return msg.view;
}

function setup() {
  document.body.innerHTML = '<main id="app"></main>';
  const root = document.getElementById('app')!;
  const drawn: ResultsView[] = [];
  const canvases: string[] = [];
  const app = createResultsApp(
    root,
    () => {},
    undefined,
    (c) => {
      canvases.push(c.phases.id, c.input.id);
      return { update: (v) => void drawn.push(v) };
    },
  );
  return { root, app, drawn, canvases };
}

describe('Where TTFT goes', () => {
  it('is hidden when the report has no cache, phase or sweep data', () => {
    const { root, app, drawn } = setup();
    app.render(received(sampleReport()));
    expect(root.querySelector<HTMLElement>('#ttft-section')!.hidden).toBe(true);
    expect(drawn).toHaveLength(0);
  });

  it('cold and warm columns, the saving in ms and %, the input-cost saving, and "cache never hit"', () => {
    const { root, app, drawn, canvases } = setup();
    app.render(received(cacheReport()));
    expect(root.querySelector<HTMLElement>('#ttft-section')!.hidden).toBe(false);
    const ds = root.querySelector('#cache-table tr[data-model-id="deepseek-chat"]')!;
    const field = (tr: Element, f: string) => tr.querySelector(`td[data-field="${f}"]`)!;
    expect(field(ds, 'cold').getAttribute('data-value')).toBe('950');
    expect(field(ds, 'warm').getAttribute('data-value')).toBe('410');
    expect(field(ds, 'saving').textContent).toBe('540 ms (57%)');
    // 2944 cached tokens at $0.28 − $0.028 per 1M.
    expect(Number(field(ds, 'cost').getAttribute('data-value'))).toBeCloseTo((2944 * (0.28 - 0.028)) / 1e6, 12);
    expect(ds.querySelector('.cache-never-hit')).toBeNull();
    const gpt = root.querySelector('#cache-table tr[data-model-id="gpt-4o"]')!;
    expect(gpt.getAttribute('data-never-hit')).toBe('true');
    expect(gpt.querySelector('.cache-never-hit')!.textContent).toContain('cache never hit');
    expect(root.querySelector('#cache-notes li[data-model-id="gpt-4o"]')!.textContent).toMatch(/platform\.openai\.com/);
    expect(root.querySelector('#results-meta')!.textContent).toContain('cache both · from Hangzhou');
    expect(canvases).toEqual(['chart-ttft-phases', 'chart-ttft-input']);
    expect(drawn).toHaveLength(1);
  });

  it('the stacked bar uses the cold runs when both ran, and its parts add up to TTFT', () => {
    const { root, app } = setup();
    const view = received(cacheReport());
    app.render(view);
    const bar = view.rows.find((r) => r.id === 'deepseek-chat')!.phaseBar!;
    // Cold runs: sent 70 / 5, first byte 300 / 280, TTFT 900 / 1000.
    expect(bar).toMatchObject({
      networkMs: 37.5,
      serverMs: 252.5,
      streamMs: 660,
      processingMs: 150,
      freshConnections: 1,
      reusedConnections: 1,
    });
    const row = root.querySelector('#phase-table tr[data-model-id="deepseek-chat"]')!;
    const seg = (s: string) => Number(row.querySelector(`td[data-segment="${s}"]`)!.getAttribute('data-value'));
    expect(seg('network') + seg('server') + seg('stream')).toBe(950);
    expect(root.querySelector('#phase-table tr[data-model-id="gpt-4o"]')).toBeNull(); // no phases recorded
  });

  it('TTFT against input tokens, with the fitted prefill rate', () => {
    const { root, app, drawn } = setup();
    app.render(received(sweepReport()));
    expect(root.querySelector<HTMLElement>('#cache-block')!.hidden).toBe(true);
    expect(root.querySelector('#prefill-fits li[data-model-id="qwen"]')!.textContent).toBe(
      'qwen label: prefill 10,000 tok/s, overhead 50 ms',
    );
    expect(drawn[0].rows[0].sweep!.points.map((p) => p.inputTokens)).toEqual([266, 2058, 8202]);
  });

  it('the protocol refuses a malformed cache view', () => {
    const view = JSON.parse(JSON.stringify(buildResultsView(cacheReport())));
    view.rows[0].cache.savingMs = 'lots';
    expect(parseResultsToWebview({ type: 'results', view })).toBeUndefined();
  });
});

describe('exports', () => {
  it('CSV carries each run’s cache state and phases; Markdown the cache, TTFT split and sweep sections', async () => {
    const { CSV_COLUMNS, reportToCsv, reportToMarkdown } = await import('../../src/core/report/export');
    const rows = reportToCsv(cacheReport())
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    const col = (name: string) => CSV_COLUMNS.indexOf(name as (typeof CSV_COLUMNS)[number]);
    expect(rows.slice(1).map((r) => r[col('cache_state')])).toEqual(['cold', 'cold', 'warm', 'warm', 'cold', 'warm']);
    expect(rows[1][col('sent_ms')]).toBe('70');
    expect(rows[2][col('connection_reused')]).toBe('true');
    const md = reportToMarkdown(cacheReport());
    expect(md).toMatch(/\| deepseek-chat label \| 950 ms \| 410 ms \| 540 ms \(57%\) \|/);
    expect(md).toMatch(/\| gpt-4o label \|.*\*\*cache never hit\*\* \|/);
    expect(md).toMatch(/## Where TTFT goes \(median ms\)/);
    expect(reportToMarkdown(sweepReport())).toMatch(
      /qwen label: 266 tok → 77 ms, 2058 tok → 256 ms, 8202 tok → 870 ms; prefill 10,000 tok\/s, overhead 50 ms/,
    );
  });
});
