/** The CLI's cache, sweep, location and by-hour options, spawned as a user runs them, against the test server. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStreamServer, type StreamServer } from '../server/streamServer';
import { runCli } from './cliProcess';

let server: StreamServer;
let dir: string;

const cli = runCli;

beforeAll(async () => {
  server = await startStreamServer();
  server.setModel('ds', {
    ttftMs: 120,
    tokensPerSecond: 300,
    outputTokens: 10,
    prefixCache: { hitSavingMs: 60 },
    usageDialect: 'deepseek',
    processingMsHeader: true,
  });
  server.setModel('prefill', { ttftMs: 20, tokensPerSecond: 300, outputTokens: 5, prefillTokensPerSec: 25_000 });
  dir = mkdtempSync(join(tmpdir(), 'tokenscope-cli-ttft-'));
  writeFileSync(
    join(dir, 'prompt.md'),
    'Explain in two sentences why prompt caches lower time to first token. '.repeat(20),
  );
  const model = (id: string, name: string) => ({
    id,
    protocol: 'openai-chat',
    baseUrl: `${server.url}/v1`,
    model: name,
    region: 'CN',
    tokenizer: 'o200k',
    price: { inputPerM: 0.27, outputPerM: 1.1, cachedInputPerM: 0.07 },
  });
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ models: [model('cn-ds', 'ds'), model('cn-prefill', 'prefill')] }),
  );
});
afterAll(() => server.close());

describe('tokenscope bench: where TTFT goes', () => {
  it('--cache both: byCache cold and warm in JSON, the cache table on stderr, location and history rows', async () => {
    const history = join(dir, 'history.jsonl');
    const r = await cli([
      'bench',
      '--config',
      join(dir, 'config.json'),
      '--models',
      'cn-ds',
      '--prompt',
      join(dir, 'prompt.md'),
      '--runs',
      '3',
      '--warmup',
      '0',
      '--cache',
      'both',
      '--location',
      'Test lab',
      '--json',
      '-',
      '--history',
      history,
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const res = json.results[0];
    for (const state of ['cold', 'warm'])
      for (const m of ['ttftMs', 'ttfoMs', 'decodeTps', 'e2eMs'])
        expect(Object.keys(res.byCache[state][m]).sort()).toEqual(['median', 'n', 'p95']);
    expect(res.byCache.warm.hits).toBe(3);
    expect(res.byCache.cold.hits).toBe(0);
    expect(res.cache.savingMs).toBeGreaterThan(45);
    expect(json.settings).toMatchObject({ cache: 'both', location: 'Test lab' });
    expect(
      res.runs.every(
        (x: { phases: unknown; serverProcessingMs: unknown }) => x.phases && typeof x.serverProcessingMs === 'number',
      ),
    ).toBe(true);
    expect(r.stderr).toMatch(/Prompt cache \(median TTFT ms\):/);
    expect(r.stderr).toMatch(/cn-ds: 3 of 3 warm run\(s\) reported cached input tokens/);
    expect(r.stderr).toMatch(/Request phases/);
    expect(r.stderr).toMatch(/Measured from: Test lab\./);

    const rows = readFileSync(history, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(6);
    expect(rows.map((x) => x.cacheState)).toEqual(['cold', 'cold', 'cold', 'warm', 'warm', 'warm']);
    for (const x of rows) {
      expect(x.location).toBe('Test lab');
      expect(x.hour).toBe(new Date(x.time).getUTCHours());
      expect(x.metrics.inputTokens).toBeGreaterThan(0);
    }

    const byHour = await cli(['report', '--by-hour', '--history', history, '--format', 'json']);
    expect(byHour.code).toBe(0);
    const { rows: hours } = JSON.parse(byHour.stdout);
    // Warm runs are left out: only the three cold ones count.
    expect(hours).toEqual([
      { model: 'cn-ds', hour: rows[0].hour, ttftMs: expect.any(Number), decodeTps: expect.any(Number), runs: 3 },
    ]);
    const csv = await cli(['report', '--by-hour', '--history', history, '--format', 'csv', '--location', 'elsewhere']);
    expect(csv.stdout.trim()).toBe('model,hour,ttft_ms,decode_tps,runs');
  });

  it('--input-tokens: a sweep with the prefill fit, without a prompt file', async () => {
    const r = await cli([
      'bench',
      '--config',
      join(dir, 'config.json'),
      '--models',
      'cn-prefill',
      '--input-tokens',
      '256,1024,4096',
      '--runs',
      '3',
      '--json',
      '-',
    ]);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout).results[0];
    expect(res.sweep.map((p: { targetTokens: number }) => p.targetTokens)).toEqual([256, 1024, 4096]);
    for (const p of res.sweep) expect(Object.keys(p.ttftMs).sort()).toEqual(['median', 'n', 'p95']);
    expect(Math.abs(res.prefill.tokensPerSec / 25_000 - 1)).toBeLessThan(0.1);
    expect(r.stderr).toMatch(/TTFT by prompt length/);
    expect(r.stderr).toMatch(/cn-prefill: .*prefill [\d,]+ tok\/s, overhead \d+ ms/);
  });

  it('refuses bad values with a message naming the option', async () => {
    const bad = await cli([
      'bench',
      '--config',
      join(dir, 'config.json'),
      '--prompt',
      join(dir, 'prompt.md'),
      '--cache',
      'tepid',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--cache must be one of cold, warm, both, got "tepid"/);
    const sizes = await cli(['bench', '--config', join(dir, 'config.json'), '--input-tokens', '256,lots']);
    expect(sizes.code).toBe(2);
    expect(sizes.stderr).toMatch(/--input-tokens: "lots" is not a whole number of tokens/);
    const mixed = await cli([
      'bench',
      '--config',
      join(dir, 'config.json'),
      '--input-tokens',
      '256',
      '--cache',
      'warm',
    ]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/cold prompts only/);
  });
});
