/**
 * Costs against the local streaming server (each run's cost is genai-prices' price for its own usage and start
 * time, cache writes included), and `prices --update` against a local server publishing newer price data.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calcPrice, waitForUpdate, type Provider } from '@pydantic/genai-prices';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { priceUsage } from '../../src/core/pricing';
import { useBundledPrices } from '../../src/core/pricing/engine';
import { updatePriceData } from '../../src/core/pricing/update';
import { runBenchmark } from '../../src/core/runner';
import type { ModelSpec } from '../../src/core/types';
import { startStreamServer, type StreamServer } from '../server/streamServer';
import { specFor } from './helpers';

const CLI = join(__dirname, '../../dist/cli.js');
let stream: StreamServer;
let prices: Server;
let pricesUrl: string;
let dir: string;
/** What the price server answers on /data.json. */
let payload: { status: number; type: string; body: string };
let newer: Provider[];

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

// A model the bundled data does not know, added to DeepSeek in the "newer" data.
const futureModel: ModelSpec = {
  id: 'future',
  provider: 'deepseek',
  protocol: 'openai-chat',
  baseUrl: 'https://api.deepseek.com',
  model: 'deepseek-v9-test',
  region: 'CN',
};

beforeAll(async () => {
  stream = await startStreamServer();
  dir = mkdtempSync(join(tmpdir(), 'tokenscope-prices-'));
  newer = structuredClone((await waitForUpdate())!);
  newer
    .find((p) => p.id === 'deepseek')!
    .models.push({
      id: 'deepseek-v9-test',
      match: { equals: 'deepseek-v9-test' },
      prices: { input_mtok: 7, output_mtok: 9 },
    });
  prices = createServer((req, res) => {
    if (req.url !== '/data.json') return void res.writeHead(404).end('Not Found');
    res
      .writeHead(payload.status, { 'content-type': payload.type, 'last-modified': 'Tue, 01 Dec 2026 10:00:00 GMT' })
      .end(payload.body);
  });
  await new Promise<void>((r) => prices.listen(0, '127.0.0.1', r));
  pricesUrl = `http://127.0.0.1:${(prices.address() as AddressInfo).port}/data.json`;
});
afterAll(async () => {
  stream.close();
  prices.close();
  await useBundledPrices();
});
afterEach(async () => {
  await useBundledPrices();
});

describe("a run's cost", () => {
  it("is genai-prices' price for its own usage at its start time, Anthropic cache writes included", async () => {
    stream.setModel('claude-sonnet-5', {
      ttftMs: 10,
      tokensPerSecond: 500,
      outputTokens: 40,
      inputTokens: 2_000,
      cachedInputTokens: 300,
      cacheWriteTokens: 500,
    });
    const spec = specFor(stream, 'anthropic', 'claude-sonnet-5', { provider: 'anthropic', region: 'US' });
    const report = await runBenchmark({ models: [spec], prompt: 'Say something.', runs: 2 });
    const runs = report.results[0].runs.filter((r) => !r.warmup);
    expect(runs.length).toBe(2);
    for (const run of runs) {
      expect(run).toMatchObject({
        ok: true,
        inputTokens: 2_000,
        cachedInputTokens: 300,
        cacheWriteInputTokens: 500,
        outputTokens: 40,
      });
      const expected = calcPrice(
        { input_tokens: 2_000, cache_read_tokens: 300, cache_write_tokens: 500, output_tokens: 40 },
        'claude-sonnet-5',
        { providerId: 'anthropic', timestamp: new Date(run.startedAt) },
      )!;
      expect(run.costUsd).toBe(expected.total_price);
      expect(run.priceSource).toMatchObject({
        kind: 'genai-prices',
        providerId: 'anthropic',
        modelId: 'claude-sonnet-5',
        data: 'bundled',
      });
    }
    expect(report.results[0]).toMatchObject({ provider: 'anthropic' });
  });

  it('of a model no price covers is empty, with one warning on the model rather than a note on every run', async () => {
    stream.setModel('qwen3.7-max', { ttftMs: 10, tokensPerSecond: 500, outputTokens: 20 });
    const report = await runBenchmark({
      models: [specFor(stream, 'openai-chat', 'qwen3.7-max', { provider: 'alibaba', region: 'CN' })],
      prompt: 'Hi.',
      runs: 1,
    });
    const result = report.results[0];
    expect(result.runs.every((r) => r.costUsd === null && r.priceSource === undefined && r.notes.length === 0)).toBe(
      true,
    );
    expect(result.warnings.filter((w) => /no price for model "qwen3\.7-max"/.test(w))).toHaveLength(1);
  });
});

describe('prices --update', () => {
  it('fetches newer data, validates it, uses it at once and caches it for later runs', async () => {
    payload = { status: 200, type: 'application/json', body: JSON.stringify(newer) };
    expect(priceUsage(futureModel, { inputTokens: 1000, outputTokens: 1000 }, new Date()).costUsd).toBeNull();
    const cachePath = join(dir, 'ok', 'genai-prices.json');
    const result = await updatePriceData({ url: pricesUrl, cachePath });
    expect(result.ok).toBe(true);
    expect(result.message).toContain(cachePath);
    expect(result.message).toMatch(/last modified Tue, 01 Dec 2026/);
    const today = new Date().toISOString().slice(0, 10);
    const priced = priceUsage(futureModel, { inputTokens: 1000, outputTokens: 1000 }, new Date());
    expect(priced.costUsd).toBeCloseTo((1000 * 7 + 1000 * 9) / 1e6, 12);
    expect(priced.priceSource).toMatchObject({ data: 'updated', dataDate: today });

    // A later process reads the cache: the CLI, as a user runs it.
    const cfg = join(dir, 'future.json');
    writeFileSync(cfg, JSON.stringify({ models: [futureModel] }));
    const status = await cli(['prices'], { TOKENSCOPE_PRICES_CACHE: cachePath });
    expect(status.stdout).toContain(`updated data fetched on ${today}`);
    const listed = await cli(['models', '--config', cfg, '--json'], { TOKENSCOPE_PRICES_CACHE: cachePath });
    expect(JSON.parse(listed.stdout).models[0].priceSource).toMatchObject({
      providerId: 'deepseek',
      modelId: 'deepseek-v9-test',
    });
    const bundledOnly = await cli(['models', '--config', cfg, '--json'], {
      TOKENSCOPE_PRICES_CACHE: join(dir, 'none.json'),
    });
    expect(JSON.parse(bundledOnly.stdout).models[0].priceSource).toBeUndefined();
  });

  it('offline: says so, keeps the bundled data, and the CLI exits 1 without a stack trace', async () => {
    const cachePath = join(dir, 'offline.json');
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const closed = `http://127.0.0.1:${port}/data.json`;
    const result = await updatePriceData({ url: closed, cachePath, timeoutMs: 3000 });
    expect(result.ok).toBe(false);
    expect(result.message).toContain(`could not reach ${closed} (ECONNREFUSED)`);
    expect(result.message).toMatch(
      /Costs keep using the bundled genai-prices 0\.1\.8 data of 2026-09-23; benchmarks are not affected/,
    );
    expect(existsSync(cachePath)).toBe(false);
    expect(priceUsage(futureModel, { inputTokens: 1, outputTokens: 1 }, new Date()).costUsd).toBeNull();
    const r = await cli(['prices', '--update'], { TOKENSCOPE_PRICES_URL: closed, TOKENSCOPE_PRICES_CACHE: cachePath });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Prices not updated: could not reach/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('refuses an error page, a wrong shape or an HTTP error, and leaves the cache as it was', async () => {
    const cachePath = join(dir, 'kept.json');
    payload = { status: 200, type: 'application/json', body: JSON.stringify(newer) };
    expect((await updatePriceData({ url: pricesUrl, cachePath })).ok).toBe(true);
    const before = statSync(cachePath).mtimeMs;
    const cases: [typeof payload, RegExp][] = [
      [{ status: 200, type: 'text/html', body: '<html>rate limited</html>' }, /did not send JSON/],
      [
        { status: 200, type: 'application/json', body: JSON.stringify({ providers: newer }) },
        /not valid genai-prices data \(expected a JSON list of providers\)/,
      ],
      [
        { status: 200, type: 'application/json', body: JSON.stringify(newer.filter((p) => p.id !== 'anthropic')) },
        /providers missing: anthropic/,
      ],
      [{ status: 503, type: 'text/plain', body: 'busy' }, /answered HTTP 503/],
    ];
    for (const [p, message] of cases) {
      payload = p;
      const r = await updatePriceData({ url: pricesUrl, cachePath });
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(message);
      expect(r.message).toMatch(/Costs keep using the update cached on/);
    }
    expect(statSync(cachePath).mtimeMs).toBe(before);
    expect(JSON.parse(readFileSync(cachePath, 'utf8')).providers).toHaveLength(newer.length);
  });

  it('a corrupt cache file is reported and the bundled data used', async () => {
    const cachePath = join(dir, 'corrupt.json');
    writeFileSync(cachePath, '{"fetchedAt": "2026-12-01", "providers": [');
    const r = await cli(['prices'], { TOKENSCOPE_PRICES_CACHE: cachePath });
    expect(r.stdout).toContain('the data bundled with it, of 2026-09-23');
    expect(r.stdout).toMatch(/warning: the cached price data at .*corrupt\.json is not valid JSON/);
  });
});
