/** Pure pieces of "where TTFT goes": cold prompts and run plans, the cache verdict, the sweep prompt and fit, by-hour medians. */
import { describe, expect, it } from 'vitest';
import { cacheFactFor, coldPrompt, compareCache, summarizeCacheState } from '../../src/core/cache';
import { leaderboard } from '../../src/core/history/aggregate';
import { byHour, byHourCsv, byHourMarkdown } from '../../src/core/history/byHour';
import type { HistoryRecord } from '../../src/core/history/contract';
import { recordProblem } from '../../src/core/history/schema';
import { planRuns } from '../../src/core/plan';
import { serverProcessingMs, summarizePhases } from '../../src/core/stream/phases';
import { buildSweepPrompt, fitPrefill, leastSquares, parseInputTokens } from '../../src/core/sweep';
import { loadTokenizer } from '../../src/core/tokenizers';
import type { ModelSpec, RunMetrics } from '../../src/core/types';

const spec = (extra: Partial<ModelSpec> = {}): ModelSpec => ({
  id: 'm',
  protocol: 'openai-chat',
  baseUrl: 'http://127.0.0.1:1/v1',
  model: 'm',
  region: 'local',
  ...extra,
});
const run = (extra: Partial<RunMetrics>): RunMetrics =>
  ({
    ok: true,
    ttftMs: 100,
    ttfoMs: 100,
    decodeTps: 50,
    e2eMs: 500,
    inputTokens: 1000,
    cachedInputTokens: 0,
    ...extra,
  }) as RunMetrics;

describe('cold prompts and the run plan', () => {
  it('gives every cold prompt its own nonce at the start and keeps the prompt after it', () => {
    const a = coldPrompt('hello');
    const b = coldPrompt('hello');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^\[[0-9a-f]{8}\]\nhello$/);
  });

  it('both: warm-up, cold runs, one priming request per model, then warm runs with the identical prompt', () => {
    const stages = planRuns({
      models: [{ prompt: 'p' }, { prompt: 'q' }],
      runs: 2,
      warmup: 1,
      cache: 'both',
      sweep: false,
    });
    const kinds = stages.map((s) => s.map((r) => `${r.model}:${r.warmup ? 'w' : 'm'}:${r.variant().cacheState}`));
    expect(kinds).toEqual([
      ['0:w:cold', '1:w:cold'],
      ['0:m:cold', '1:m:cold', '0:m:cold', '1:m:cold'],
      ['0:w:warm', '1:w:warm'],
      ['0:m:warm', '1:m:warm', '0:m:warm', '1:m:warm'],
    ]);
    const warm = stages[3].map((r) => r.variant());
    expect(warm.map((v) => v.prompt)).toEqual(['p', 'q', 'p', 'q']);
    expect(warm.every((v) => v.cacheControl)).toBe(true);
    expect(stages[3].map((r) => r.index)).toEqual([2, 2, 3, 3]); // measured indices continue after the cold runs
  });

  it('sweep: one stage per size, a model skips sizes it has no prompt for', () => {
    const stages = planRuns({
      models: [
        {
          prompt: '',
          sweep: [
            { target: 256, prompt: 'a' },
            { target: 1024, prompt: 'b' },
          ],
        },
        { prompt: '', sweep: [{ target: 256, prompt: 'c' }] },
      ],
      runs: 2,
      warmup: 0,
      cache: 'cold',
      sweep: true,
    });
    expect(stages.map((s) => s.map((r) => `${r.model}:${r.variant().targetInputTokens}`))).toEqual([
      ['0:256', '1:256', '0:256', '1:256'],
      ['0:1024', '0:1024'],
    ]);
  });
});

describe('cache verdict', () => {
  it('knows documented caches by host, or by a cached-input price', () => {
    expect(cacheFactFor(spec({ baseUrl: 'https://api.deepseek.com' }))?.source).toMatch(/deepseek/);
    expect(cacheFactFor(spec({ price: { inputPerM: 1, outputPerM: 1, cachedInputPerM: 0.1 } }))).toBeDefined();
    expect(cacheFactFor(spec())).toBeUndefined();
  });

  it('a prompt under the documented minimum is not flagged as "never hit"', () => {
    const s = spec({ id: 'gpt', baseUrl: 'https://api.openai.com/v1' });
    const warm = summarizeCacheState(s, [run({ ttftMs: 90 }), run({ ttftMs: 95 })]);
    const short = compareCache(s, summarizeCacheState(s, [run({})]), warm, 200);
    expect(short.neverHit).toBe(false);
    expect(short.note).toMatch(/under the 1024-token minimum/);
    const long = compareCache(s, undefined, warm, 4000);
    expect(long.neverHit).toBe(true);
    expect(long.note).toMatch(/^gpt: cache never hit/);
  });

  it('saving in ms and %; no documented cache and no hit is not flagged', () => {
    const s = spec();
    const cmp = compareCache(
      s,
      summarizeCacheState(s, [run({ ttftMs: 200 })]),
      summarizeCacheState(s, [run({ ttftMs: 50 })]),
      1000,
    );
    expect(cmp.savingMs).toBe(150);
    expect(cmp.savingPct).toBe(75);
    expect(cmp.neverHit).toBe(false);
    expect(cmp.inputCostSavingUsd).toBeNull(); // no price
  });
});

describe('sweep', () => {
  it('parses sizes: sorted, de-duplicated, "k" allowed; names a bad entry', () => {
    expect(parseInputTokens('2048, 256,2k')).toEqual([256, 2000, 2048]);
    expect(() => parseInputTokens('256,-1')).toThrow(/"-1" is not a whole number of tokens/);
    expect(() => parseInputTokens(' , ')).toThrow(/comma-separated list/);
  });

  it.each([256, 2048, 8192])('builds a prompt of %i o200k tokens within 1%%', async (target) => {
    const tok = await loadTokenizer('o200k');
    const prompt = buildSweepPrompt(target, (t) => tok.count(t));
    expect(Math.abs(tok.count(prompt) / target - 1)).toBeLessThan(0.01);
    expect(prompt).toMatch(/^§1\. /);
    expect(prompt.endsWith('which of the sections above is about bread?')).toBe(true);
  });

  it('least squares recovers a line exactly and refuses a single x', () => {
    const fit = leastSquares([0, 1000, 4000].map((x) => ({ x, y: 30 + x / 20 })))!;
    expect(fit.slope).toBeCloseTo(0.05, 12);
    expect(fit.intercept).toBeCloseTo(30, 9);
    expect(fit.r2).toBeCloseTo(1, 12);
    expect(
      leastSquares([
        { x: 5, y: 1 },
        { x: 5, y: 2 },
      ]),
    ).toBeNull();
  });

  it('prefill rate is null when TTFT does not grow with the prompt', () => {
    const runs = [256, 1024, 4096].flatMap((t) => [
      run({ targetInputTokens: t, inputTokens: t, ttftMs: 300 - t / 100 }),
    ]);
    const fit = fitPrefill(runs)!;
    expect(fit.tokensPerSec).toBeNull();
    expect(fit.points).toBe(3);
  });
});

describe('phases and processing time', () => {
  it('reads openai-processing-ms, else the largest server-timing dur', () => {
    expect(serverProcessingMs({ 'openai-processing-ms': '412' })).toBe(412);
    expect(serverProcessingMs({ 'server-timing': 'gfet4t7; dur=1234, cache;desc="x";dur=2' })).toBe(1234);
    expect(serverProcessingMs({ 'openai-processing-ms': 'soon' })).toBeUndefined();
    expect(serverProcessingMs({})).toBeUndefined();
  });

  it('medians each phase over the runs where it happened and counts fresh vs reused connections', () => {
    const p = (connectMs: number | null) => ({
      dnsMs: null,
      connectMs,
      tlsMs: null,
      sentMs: 2,
      headersMs: 10,
      firstByteMs: 11,
    });
    const s = summarizePhases([
      run({ phases: p(1), connectionReused: false }),
      run({ phases: p(null), connectionReused: true }),
      run({ phases: p(null), connectionReused: true }),
    ])!;
    expect(s.connectMs).toBe(1);
    expect(s.dnsMs).toBeNull();
    expect(s.freshConnections).toBe(1);
    expect(s.reusedConnections).toBe(2);
  });
});

describe('by hour', () => {
  const base = (time: string, extra: Partial<HistoryRecord> = {}, ttftMs = 100): HistoryRecord =>
    ({
      v: 1,
      time,
      modelId: 'ds',
      region: 'CN',
      protocol: 'openai-chat',
      host: 'h',
      promptHash: 'f'.repeat(64),
      category: 'chat',
      tokenSource: 'usage',
      toolVersion: '0',
      metrics: { ok: true, ttftMs, decodeTps: 40 },
      ...extra,
    }) as HistoryRecord;

  it('medians per model and UTC hour; warm and sweep runs left out; hour from the time when not stored', () => {
    const r = byHour([
      base('2026-11-30T01:10:00Z', {}, 100),
      base('2026-11-30T01:50:00Z', { hour: 1 }, 300),
      base('2026-12-01T01:05:00Z', { cacheState: 'cold' }, 200),
      base('2026-11-30T01:20:00Z', { cacheState: 'warm' }, 5),
      base('2026-11-30T01:20:00Z', { targetInputTokens: 8192 }, 900),
      base('2026-11-30T14:00:00Z', { location: 'Paris' }, 50),
    ]);
    expect(r.rows).toEqual([
      { model: 'ds', hour: 1, ttftMs: 200, decodeTps: 40, runs: 3 },
      { model: 'ds', hour: 14, ttftMs: 50, decodeTps: 40, runs: 1 },
    ]);
    expect(byHour([base('2026-11-30T14:00:00Z', { location: 'Paris' })], { location: 'Berlin' }).rows).toEqual([]);
    expect(byHourCsv(r).split('\n')[1]).toBe('ds,1,200,40,3');
    expect(byHourMarkdown(r)).toMatch(/\| ds \| 01:00 \| 3 \| 200 \| 40\.0 \|/);
  });

  it('the leaderboard leaves warm and sweep runs out of its medians', () => {
    const lb = leaderboard([
      base('2026-11-30T01:00:00Z', {}, 300),
      base('2026-11-30T01:01:00Z', { cacheState: 'cold' }, 500),
      base('2026-11-30T01:02:00Z', { cacheState: 'warm' }, 10),
      base('2026-11-30T01:03:00Z', { targetInputTokens: 32768 }, 5000),
    ]);
    expect(lb.models[0].runs).toBe(2);
    expect(lb.models[0].medianTtftMs).toBe(400);
  });

  it('history records: the new fields are optional and checked when present', () => {
    const ok = base('2026-11-30T01:10:00Z');
    const full = {
      ...ok,
      metrics: {
        ...ok.metrics,
        error: null,
        reasoningVisible: false,
        chunks: 1,
        setupMs: null,
        ttfoMs: null,
        e2eMs: null,
        itlMs: null,
        interChunkP50Ms: null,
        interChunkP95Ms: null,
        inputTokens: null,
        outputTokens: null,
        reasoningTokens: null,
        cachedInputTokens: null,
        streamedTokens: null,
        costUsd: null,
        charsPerSec: null,
        normalizedTps: null,
        serverDecodeTps: null,
      },
    };
    expect(recordProblem(full)).toBeNull();
    expect(
      recordProblem({ ...full, cacheState: 'warm', hour: 23, location: 'Lab', targetInputTokens: 256 }),
    ).toBeNull();
    expect(recordProblem({ ...full, hour: 24 })).toMatch(/hour must be an integer 0–23/);
    expect(recordProblem({ ...full, cacheState: 'hot' })).toMatch(/cacheState must be cold or warm/);
  });
});
