import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { modelTokenRows } from '../../src/cli/tokens';
import type { ModelSpec } from '../../src/core/types';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  // The test run's price cache (none), never the developer's ~/.tokenscope one.
  return {
    io: {
      out: (s: string) => void out.push(s),
      err: (s: string) => void err.push(s),
      env: { TOKENSCOPE_PRICES_CACHE: process.env.TOKENSCOPE_PRICES_CACHE },
      isTTY: false,
    },
    out,
    err,
  };
}

describe('tokenscope tokens', () => {
  // Loads all six vocabularies cold and the price database: about 1 s alone, over 5 s on a loaded 2-core machine.
  it('prints per-family counts under the documented keys, and per-model input cost', { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ts-tokens-'));
    const file = join(dir, 't.txt');
    writeFileSync(file, 'Hello, 世界! const x = 1;\r\n<|endoftext|>');
    const c = capture();
    expect(await main(['tokens', file, '--json'], c.io)).toBe(0);
    const json = JSON.parse(c.out.join(''));
    expect(json.chars).toBe([...'Hello, 世界! const x = 1;\r\n<|endoftext|>'].length);
    for (const f of ['o200k', 'cl100k', 'deepseek-v3', 'qwen3', 'claude', 'llama3'])
      expect(json.families[f].tokens).toBeGreaterThan(5);
    expect(json.families.claude.exact).toBe(false);
    const ds = json.models.find((m: { id: string }) => m.id === 'deepseek-v4-flash');
    expect(ds).toMatchObject({
      tokenizer: 'deepseek-v3',
      approximate: false,
      tokens: json.families['deepseek-v3'].tokens,
      priceSource: expect.stringMatching(/^genai-prices 0\.1\.8, data of 2026-09-23$/),
    });
    const direct = calcPrice({ input_tokens: ds.tokens }, 'deepseek-v4-flash', {
      providerId: 'deepseek',
      timestamp: new Date(),
    })!;
    expect(ds.inputCostUsd).toBeCloseTo(direct.total_price, 12);
    expect(ds.inputCostUsd).toBeGreaterThan(0);
  });
  it('exit 2 for a missing file', async () => {
    const c = capture();
    expect(await main(['tokens', '/nonexistent/file'], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/cannot read/);
  });
  it('marks models without their own tokenizer as approximate, and prices null without a price', () => {
    const models: ModelSpec[] = [
      { id: 'a', protocol: 'openai-chat', baseUrl: 'http://x/v1', model: 'a', region: 'CN' },
      {
        id: 'b',
        protocol: 'openai-chat',
        baseUrl: 'http://x/v1',
        model: 'b',
        region: 'US',
        tokenizer: 'qwen3',
        price: { inputPerM: 2, outputPerM: 1 },
      },
    ];
    const rows = modelTokenRows(
      {
        chars: 10,
        bytes: 10,
        families: {
          o200k: { tokens: 4, charsPerToken: 2.5, bytesPerToken: 2.5, exact: true },
          qwen3: { tokens: 5, charsPerToken: 2, bytesPerToken: 2, exact: true },
        },
      },
      models,
    );
    expect(rows[0]).toMatchObject({ tokenizer: 'o200k', approximate: true, tokens: 4, inputCostUsd: null });
    expect(rows[1]).toMatchObject({
      tokenizer: 'qwen3',
      approximate: false,
      tokens: 5,
      inputCostUsd: 10 / 1e6,
      priceSource: 'your config',
    });
  });
});
