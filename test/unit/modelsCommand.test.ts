import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';

function capture(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  // The test run's price cache (none), never the developer's ~/.tokenscope one.
  return {
    io: {
      out: (s: string) => void out.push(s),
      err: (s: string) => void err.push(s),
      env: { TOKENSCOPE_PRICES_CACHE: process.env.TOKENSCOPE_PRICES_CACHE, ...env },
      isTTY: false,
    },
    out,
    err,
  };
}

describe('tokenscope models', () => {
  it('--json lists the catalog in the documented shape: current ids, readOn everywhere, priceSource where genai-prices prices it', async () => {
    const c = capture();
    expect(await main(['models', '--json'], c.io)).toBe(0);
    const { models } = JSON.parse(c.out.join('')) as { models: Record<string, unknown>[] };
    for (const m of models) {
      for (const key of [
        'id',
        'provider',
        'region',
        'protocol',
        'baseUrl',
        'model',
        'apiKeyEnv',
        'contextWindow',
        'readOn',
      ])
        expect(m[key], `${m.id}.${key}`).toBeTruthy();
      expect(Object.keys(m)).not.toContain('apiKey');
    }
    const wire = models.map((m) => m.model);
    for (const retired of ['deepseek-chat', 'deepseek-reasoner', 'kimi-k2-0905-preview', 'claude-opus-4-1'])
      expect(wire).not.toContain(retired);
    const providers = (region: string) =>
      new Set(
        models
          .filter((m) => m.region === region && m.provider !== 'openrouter' && !String(m.id).includes('@'))
          .map((m) => m.provider),
      );
    expect(providers('CN').size).toBeGreaterThanOrEqual(5);
    expect(providers('US').size).toBeGreaterThanOrEqual(3);
    expect(models.filter((m) => m.provider === 'openrouter').length).toBeGreaterThan(0);
    const ds = models.find((m) => m.id === 'deepseek-v4-flash')!;
    expect(ds.priceSource).toEqual({
      package: '@pydantic/genai-prices',
      version: '0.1.8',
      providerId: 'deepseek',
      modelId: 'deepseek-v4-flash',
    });
    expect(models.find((m) => m.id === 'qwen3.7-max')!.priceSource).toBeUndefined();
  });

  it('the table marks keys that are set (never showing them) and explains the OpenRouter entries', async () => {
    const c = capture({ OPENROUTER_API_KEY: 'sk-or-secret-value-123' });
    expect(await main(['models'], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(
      /gpt-6-sol@openrouter\s+openrouter\s+US\s+openai\/gpt-6-sol\s+1050k\s+OPENROUTER_API_KEY \(set\)/,
    );
    expect(text).toMatch(/deepseek-v4-flash\s+deepseek\s+CN .* DEEPSEEK_API_KEY\s+\$/);
    expect(text).toContain('one OPENROUTER_API_KEY covers a CN vs US comparison');
    expect(text).not.toContain('sk-or-secret');
  });

  it('bench --models with a retired id names its successor', async () => {
    const c = capture();
    expect(await main(['bench', 'README.md', '--models', 'deepseek-reasoner'], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(
      /"deepseek-reasoner" is no longer a built-in model \(catalog of 2026-12-03\): DeepSeek retired "deepseek-reasoner" after 2026-07-24; use "deepseek-v4-flash" or "deepseek-v4-pro"/,
    );
  });
});

describe('tokenscope prices', () => {
  it('says which data is in use, and refuses a URL that is not http(s) before fetching anything', async () => {
    const c = capture();
    expect(await main(['prices'], c.io)).toBe(0);
    expect(c.out.join('')).toContain('Costs use genai-prices 0.1.8: the data bundled with it, of 2026-09-23.');
    const bad = capture({ TOKENSCOPE_PRICES_URL: 'file:///etc/passwd' });
    expect(await main(['prices', '--update'], bad.io)).toBe(2);
    expect(bad.err.join('')).toContain(
      'the price data URL must be an http:// or https:// URL, got "file:///etc/passwd" (from TOKENSCOPE_PRICES_URL)',
    );
  });
});
