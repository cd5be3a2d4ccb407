/**
 * Prompt cache as a controlled variable and the prompt-length sweep, against the test server's simulated prefix
 * cache and prefill schedule. Every figure is compared with the server's own records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark } from '../../src/core/runner';
import { PHASE_ORDER } from '../../src/core/stream/phases';
import { median } from '../../src/core/stats';
import { loadTokenizer } from '../../src/core/tokenizers';
import type { RunMetrics } from '../../src/core/types';
import { startStreamServer, truth, type RequestRecord, type StreamServer } from '../server/streamServer';
import { specFor } from './helpers';

let server: StreamServer;
beforeAll(async () => {
  server = await startStreamServer();
  server.setModel('warm-up', { ttftMs: 5, tokensPerSecond: 1000, outputTokens: 20 });
  await runBenchmark({ models: [specFor(server, 'openai-chat', 'warm-up')], prompt: 'x', runs: 3 });
  server.reset();
});
afterAll(() => server.close());

/** A prompt of about 400 server tokens (chars ÷ 4), long enough to cache several 64-token blocks. */
const PROMPT = 'Summarise the following notes about the harbour town in two sentences. '.repeat(22);

const HIT_SAVING_MS = 80;

function expectPhasesInOrder(run: RunMetrics): void {
  expect(run.phases).toBeDefined();
  const present = PHASE_ORDER.map((k) => run.phases![k]).filter((v): v is number => v !== null);
  expect(present.length).toBeGreaterThanOrEqual(3); // sent, headers, first byte at least
  for (let i = 1; i < present.length; i++) expect(present[i]).toBeGreaterThanOrEqual(present[i - 1]);
  expect(run.ttftMs!).toBeGreaterThanOrEqual(run.phases!.firstByteMs!);
}

const recordsFor = (model: string) => server.records.filter((r) => r.model === model);
const truthMedian = (recs: RequestRecord[]) => median(recs.map((r) => truth(r).ttftMs!));

describe('prompt cache: cold vs warm', () => {
  it.each(['openai', 'deepseek'] as const)(
    '%s usage dialect: cold never hits, warm reports cached tokens, both medians within 10 ms of the server',
    async (dialect) => {
      const model = `cache-${dialect}`;
      server.setModel(model, {
        ttftMs: 150,
        tokensPerSecond: 200,
        outputTokens: 10,
        prefixCache: { hitSavingMs: HIT_SAVING_MS },
        usageDialect: dialect,
      });
      const spec = specFor(server, 'openai-chat', model, {
        price: { inputPerM: 1, outputPerM: 2, cachedInputPerM: 0.1 },
      });
      const report = await runBenchmark({ models: [spec], prompt: PROMPT, runs: 3, warmup: 1, cache: 'both' });
      const result = report.results[0];
      const recs = recordsFor(model);
      // 1 warm-up + 3 cold + 1 priming + 3 warm, in that order.
      expect(recs).toHaveLength(8);
      const [, ...rest] = recs;
      const coldRecs = rest.slice(0, 3);
      const priming = rest[3];
      const warmRecs = rest.slice(4);
      expect(coldRecs.every((r) => r.cacheHit === false)).toBe(true);
      expect(priming.cacheHit).toBe(false);
      expect(warmRecs.every((r) => r.cacheHit === true)).toBe(true);

      const cold = result.runs.filter((r) => r.cacheState === 'cold');
      const warm = result.runs.filter((r) => r.cacheState === 'warm');
      expect(cold).toHaveLength(3);
      expect(warm).toHaveLength(3);
      for (const r of cold) expect(r.cachedInputTokens).toBe(0);
      for (const [i, r] of warm.entries()) {
        expect(r.cachedInputTokens).toBeGreaterThan(0);
        expect(r.cachedInputTokens).toBe(warmRecs[i].usage!.cachedInputTokens);
      }
      // Cold prompts differ from each other and from the warm prompt; warm prompts are identical.
      const content = (r: RequestRecord) => (r.body as { messages: { content: string }[] }).messages[0].content;
      expect(new Set(coldRecs.map(content)).size).toBe(3);
      expect(new Set(warmRecs.map(content))).toEqual(new Set([PROMPT]));

      const byCache = result.byCache!;
      expect(Math.abs(byCache.cold!.ttftMs!.median - truthMedian(coldRecs))).toBeLessThan(10);
      expect(Math.abs(byCache.warm!.ttftMs!.median - truthMedian(warmRecs))).toBeLessThan(10);
      expect(byCache.cold!.hits).toBe(0);
      expect(byCache.warm!.hits).toBe(3);
      // summary means the cold runs when both ran.
      expect(result.summary.ttftMs!.median).toBeCloseTo(byCache.cold!.ttftMs!.median, 6);
      expect(result.cache!.neverHit).toBe(false);
      expect(Math.abs(result.cache!.savingMs! - HIT_SAVING_MS)).toBeLessThan(10);
      // Input cost: cached tokens at a tenth of the price.
      const input = warmRecs[0].usage!.inputTokens;
      const cached = warmRecs[0].usage!.cachedInputTokens;
      expect(result.cache!.inputCostSavingUsd).toBeCloseTo((cached * (1 - 0.1)) / 1e6, 12);
      expect(byCache.warm!.inputCostUsd).toBeCloseTo(((input - cached) * 1 + cached * 0.1) / 1e6, 12);
      expect(result.cache!.inputCostSavingPct).toBeCloseTo(((cached * 0.9) / input) * 100, 6);
      for (const r of result.runs) expectPhasesInOrder(r);
      expect(report.settings.cache).toBe('both');
    },
  );

  it('anthropic warm requests mark the prompt with cache_control and read cache_read_input_tokens', async () => {
    server.setModel('cache-claude', {
      ttftMs: 100,
      tokensPerSecond: 200,
      outputTokens: 10,
      prefixCache: { hitSavingMs: 40 },
    });
    const report = await runBenchmark({
      models: [specFor(server, 'anthropic', 'cache-claude')],
      prompt: PROMPT,
      runs: 2,
      cache: 'warm',
    });
    const recs = recordsFor('cache-claude');
    expect(recs).toHaveLength(3); // priming + 2
    for (const r of recs) {
      const content = (r.body as { messages: { content: unknown }[] }).messages[0].content;
      expect(content).toEqual([{ type: 'text', text: PROMPT, cache_control: { type: 'ephemeral' } }]);
    }
    const runs = report.results[0].runs;
    expect(runs.every((r) => r.cacheState === 'warm' && r.cachedInputTokens! > 0)).toBe(true);
    expect(report.results[0].byCache!.cold).toBeUndefined();
  });

  it('flags "cache never hit" where caching is documented (a cached-input price) but warm runs report none', async () => {
    server.setModel('no-cache', { ttftMs: 60, tokensPerSecond: 200, outputTokens: 10 });
    const spec = specFor(server, 'openai-chat', 'no-cache', {
      price: { inputPerM: 1, outputPerM: 2, cachedInputPerM: 0.1 },
    });
    const report = await runBenchmark({ models: [spec], prompt: PROMPT, runs: 2, cache: 'both' });
    const result = report.results[0];
    expect(result.byCache!.warm!.hits).toBe(0);
    expect(result.cache!.neverHit).toBe(true);
    expect(result.warnings.join('\n')).toMatch(/openai-chat:no-cache: cache never hit/);
    expect(result.cache!.inputCostSavingUsd).toBe(0);
  });

  it('cold by default: every prompt unique, none cached', async () => {
    server.setModel('default-cold', {
      ttftMs: 40,
      tokensPerSecond: 500,
      outputTokens: 5,
      prefixCache: { hitSavingMs: 30 },
    });
    const report = await runBenchmark({
      models: [specFor(server, 'openai-chat', 'default-cold')],
      prompt: PROMPT,
      runs: 3,
      warmup: 1,
    });
    expect(recordsFor('default-cold').every((r) => r.cacheHit === false)).toBe(true);
    expect(report.results[0].runs.every((r) => r.cacheState === 'cold' && r.cachedInputTokens === 0)).toBe(true);
    expect(report.settings.cache).toBe('cold');
    expect(report.results[0].cache).toBeUndefined();
  });
});

describe('prompt-length sweep', () => {
  const RATE = 20_000;
  const OVERHEAD = 30;

  it('fits the prefill rate within 10% and the overhead within 15 ms; sizes past the context window are skipped', async () => {
    server.setModel('prefill', {
      ttftMs: OVERHEAD,
      tokensPerSecond: 500,
      outputTokens: 5,
      prefillTokensPerSec: RATE,
      prefixCache: { hitSavingMs: 20 },
    });
    const sizes = [256, 1024, 4096];
    const roomy = specFor(server, 'openai-chat', 'prefill');
    const small = specFor(server, 'anthropic', 'prefill', { id: 'small-window', contextWindow: 2048 });
    const report = await runBenchmark({
      models: [roomy, small],
      prompt: '',
      runs: 3,
      inputTokens: sizes,
      maxTokens: 16,
    });
    const [big, little] = report.results;

    expect(big.sweep!.map((p) => p.targetTokens)).toEqual(sizes);
    const fit = big.prefill!;
    expect(Math.abs(fit.tokensPerSec! / RATE - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.overheadMs - OVERHEAD)).toBeLessThan(15);
    expect(fit.points).toBe(3);

    // The sweep's input tokens are the provider's; the prompts were built to the model's tokenizer count.
    const recs = recordsFor('prefill').filter((r) => r.protocol === 'openai-chat');
    expect(recs.every((r) => r.cacheHit === false)).toBe(true); // sweeps are cold
    const o200k = await loadTokenizer('o200k');
    for (const [i, size] of sizes.entries()) {
      const point = big.sweep![i];
      const reported = recs.filter((_, j) => big.runs[j].targetInputTokens === size).map((r) => r.usage!.inputTokens);
      expect(point.inputTokens).toBe(median(reported));
      const prompt = (
        recs.find((_, j) => big.runs[j].targetInputTokens === size)!.body as { messages: { content: string }[] }
      ).messages[0].content;
      const localTokens = o200k.count(prompt.replace(/^\[[0-9a-f]{8}\]\n/, ''));
      expect(Math.abs(localTokens / size - 1)).toBeLessThan(0.03);
    }

    expect(little.sweep!.map((p) => p.targetTokens)).toEqual([256, 1024]);
    expect(little.warnings.join('\n')).toMatch(
      /small-window: the 4096-token prompt size is skipped .* 2048-token context window/,
    );
    expect(report.settings.inputTokens).toEqual(sizes);
    // The summary covers the smallest size.
    expect(big.summary.ttftMs!.n).toBe(3);
  });
});
