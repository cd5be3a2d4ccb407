import { readFileSync } from 'node:fs';
import { calcPrice, waitForUpdate } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { BUILTIN_MODELS, findBuiltin } from '../../src/core/catalog';
import {
  BUNDLED_PRICES,
  catalogPriceSource,
  describePriceSource,
  priceUsage,
  unpricedWarning,
} from '../../src/core/pricing';
import { validatePriceData } from '../../src/core/pricing/validate';
import type { ModelSpec } from '../../src/core/types';

const builtin = (id: string): ModelSpec => {
  const m = findBuiltin(id);
  if (!m) throw new Error(`no built-in ${id}`);
  return m;
};

describe('the bundled price database', () => {
  it('is the version the code says it is', () => {
    const pkg = JSON.parse(readFileSync('node_modules/@pydantic/genai-prices/package.json', 'utf8')) as {
      version: string;
    };
    expect(BUNDLED_PRICES.version).toBe(pkg.version);
  });

  it('passes the validation an update must pass, and malformed data does not', async () => {
    const data = await waitForUpdate();
    expect(validatePriceData(data)).toBeNull();
    expect(validatePriceData({ providers: [] })).toMatch(/list of providers/);
    expect(validatePriceData('<html>')).toMatch(/list of providers/);
    const noOpenAi = data!.filter((p) => p.id !== 'openai');
    expect(validatePriceData(noOpenAi)).toMatch(/missing: openai/);
    const negative = structuredClone(data!);
    negative[0].models[0].prices = { input_mtok: -1 };
    expect(validatePriceData(negative)).toMatch(/^at 0\.models\.0\.prices/);
  });
});

describe('priceUsage', () => {
  it("prices with genai-prices at the run's own time: DeepSeek's peak hours cost more than off-peak", () => {
    const spec = builtin('deepseek-v4-flash');
    const usage = { inputTokens: 10_000, outputTokens: 2_000, cachedInputTokens: 4_000 };
    const peak = '2026-12-03T02:00:00.000Z'; // inside 01:00–04:00 UTC
    const offPeak = '2026-12-03T12:00:00.000Z';
    const atPeak = priceUsage(spec, usage, peak);
    const atOffPeak = priceUsage(spec, usage, offPeak);
    const direct = (at: string) =>
      calcPrice({ input_tokens: 10_000, output_tokens: 2_000, cache_read_tokens: 4_000 }, 'deepseek-v4-flash', {
        providerId: 'deepseek',
        timestamp: new Date(at),
      })!.total_price;
    expect(atPeak.costUsd).toBe(direct(peak));
    expect(atOffPeak.costUsd).toBe(direct(offPeak));
    expect(atPeak.costUsd!).toBeGreaterThan(atOffPeak.costUsd! * 1.5);
    expect(atPeak.priceSource).toEqual({
      kind: 'genai-prices',
      package: '@pydantic/genai-prices',
      version: BUNDLED_PRICES.version,
      data: 'bundled',
      dataDate: BUNDLED_PRICES.dataDate,
      providerId: 'deepseek',
      modelId: 'deepseek-v4-flash',
    });
  });

  it('prices Anthropic cache writes at the cache-write rate, not as plain input', () => {
    const spec = builtin('claude-sonnet-5');
    const at = '2026-12-03T12:00:00.000Z';
    const withWrites = priceUsage(
      spec,
      { inputTokens: 10_000, outputTokens: 1_000, cachedInputTokens: 2_000, cacheWriteInputTokens: 3_000 },
      at,
    );
    const writesAsInput = priceUsage(spec, { inputTokens: 10_000, outputTokens: 1_000, cachedInputTokens: 2_000 }, at);
    // The model's rates from the same data: input, cache write, cache read, output per million tokens.
    const rate = (usage: Record<string, number>) =>
      calcPrice(usage, 'claude-sonnet-5', { providerId: 'anthropic', timestamp: new Date(at) })!.total_price * 1e6;
    const input = rate({ input_tokens: 1 });
    const write = rate({ input_tokens: 1, cache_write_tokens: 1 });
    const read = rate({ input_tokens: 1, cache_read_tokens: 1 });
    const output = rate({ output_tokens: 1 });
    expect(write).toBeGreaterThan(input);
    expect(withWrites.costUsd).toBeCloseTo((5_000 * input + 3_000 * write + 2_000 * read + 1_000 * output) / 1e6, 12);
    expect(withWrites.costUsd! - writesAsInput.costUsd!).toBeCloseTo((3_000 * (write - input)) / 1e6, 12);
  });

  it('applies long-prompt tiers', () => {
    const spec = builtin('gpt-6-sol');
    const at = '2026-12-03T12:00:00.000Z';
    const short = priceUsage(spec, { inputTokens: 200_000, outputTokens: 0 }, at).costUsd!;
    const long = priceUsage(spec, { inputTokens: 300_000, outputTokens: 0 }, at).costUsd!;
    // Past the tier start every input token costs the higher rate, so 1.5× the tokens costs more than 1.5× the price.
    expect(long / short).toBeGreaterThan(1.5 * 1.9);
  });

  it('lets a config price override the database, with cache reads and writes at their own rates', () => {
    const spec: ModelSpec = {
      ...builtin('claude-sonnet-5'),
      price: { inputPerM: 1, outputPerM: 10, cachedInputPerM: 0.1, cacheWritePerM: 2, readOn: '2026-11-01' },
    };
    const p = priceUsage(
      spec,
      { inputTokens: 1_000_000, outputTokens: 100_000, cachedInputTokens: 200_000, cacheWriteInputTokens: 300_000 },
      '2026-12-03T12:00:00Z',
    );
    expect(p.costUsd).toBeCloseTo(0.5 * 1 + 0.2 * 0.1 + 0.3 * 2 + 0.1 * 10, 12);
    expect(p.priceSource).toEqual({ kind: 'config', readOn: '2026-11-01' });
    expect(describePriceSource(p.priceSource)).toBe('your config (read 2026-11-01)');
    // Without usage there is no cost, so no source either.
    expect(priceUsage(spec, { inputTokens: null, outputTokens: 5 }, '2026-12-03T12:00:00Z')).toEqual({ costUsd: null });
  });

  it('leaves the cost empty for a model the database does not know, and says how to price it', () => {
    const spec = builtin('qwen3.7-max'); // Alibaba's own API: not in genai-prices 0.1.8
    const p = priceUsage(spec, { inputTokens: 100, outputTokens: 100 }, new Date());
    expect(p.costUsd).toBeNull();
    expect(p.note).toMatch(
      /qwen3\.7-max \(dashscope-intl\.aliyuncs\.com\).*no price for model "qwen3\.7-max".*add "price"/,
    );
    expect(unpricedWarning(spec)).toBe(p.note);
  });

  it('prices a hand-configured model by its base URL when it names no provider', () => {
    const spec: ModelSpec = {
      id: 'my-deepseek',
      protocol: 'openai-chat',
      baseUrl: 'https://api.deepseek.com',
      model: 'deepseek-v4-pro',
      region: 'CN',
    };
    expect(priceUsage(spec, { inputTokens: 10, outputTokens: 10 }, new Date()).priceSource).toMatchObject({
      providerId: 'deepseek',
      modelId: 'deepseek-v4-pro',
    });
  });

  it('gives a local model no cost and no note', () => {
    const spec: ModelSpec = {
      id: 'ollama',
      protocol: 'ollama',
      baseUrl: 'http://127.0.0.1:11434',
      model: 'deepseek-v4-flash',
      region: 'local',
    };
    expect(priceUsage(spec, { inputTokens: 10, outputTokens: 10 }, new Date())).toEqual({ costUsd: null });
    expect(unpricedWarning(spec)).toBeNull();
  });
});

describe('the built-in catalog', () => {
  it('has current entries only, each with provider, readOn, context window and base model', () => {
    for (const m of BUILTIN_MODELS) {
      expect(m.provider, m.id).toMatch(/^[a-z]/);
      expect(m.readOn, m.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(m.contextWindow, m.id).toBeGreaterThan(100_000);
      expect(m.baseModel, m.id).toBeTruthy();
      expect(m.price, m.id).toBeUndefined();
    }
    const ids = BUILTIN_MODELS.map((m) => m.model);
    for (const retired of ['deepseek-chat', 'deepseek-reasoner', 'kimi-k2-0905-preview', 'claude-opus-4-1'])
      expect(ids).not.toContain(retired);
  });

  it('covers five Chinese and three US makers directly, plus OpenRouter and other hosts', () => {
    const direct = BUILTIN_MODELS.filter((m) => !m.id.includes('@'));
    expect(new Set(direct.filter((m) => m.region === 'CN').map((m) => m.provider)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(direct.filter((m) => m.region === 'US').map((m) => m.provider)).size).toBeGreaterThanOrEqual(3);
    const openrouter = BUILTIN_MODELS.filter((m) => m.provider === 'openrouter');
    expect(new Set(openrouter.map((m) => m.region))).toEqual(new Set(['CN', 'US']));
    expect(new Set(openrouter.map((m) => m.apiKeyEnv))).toEqual(new Set(['OPENROUTER_API_KEY']));
    // At least one model is served by three or more hosts, so grouping by base model has something to compare.
    const hosts = new Map<string, number>();
    for (const m of BUILTIN_MODELS) hosts.set(m.baseModel!, (hosts.get(m.baseModel!) ?? 0) + 1);
    expect(Math.max(...hosts.values())).toBeGreaterThanOrEqual(3);
  });

  it('is priced by genai-prices for every entry whose provider the database knows, with the entry the provider lists', () => {
    const unpriced = BUILTIN_MODELS.filter((m) => !catalogPriceSource(m)).map((m) => m.id);
    // Alibaba's and SiliconFlow's own APIs are not in genai-prices 0.1.8.
    expect(unpriced).toEqual(['qwen3.7-max', 'deepseek-v4-pro@siliconflow']);
    for (const m of BUILTIN_MODELS.filter((x) => !unpriced.includes(x.id)))
      expect(catalogPriceSource(m)!.providerId, m.id).toBe(m.provider);
  });
});
