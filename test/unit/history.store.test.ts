import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../src/core/history/contract';
import { recordKey, redactSecrets } from '../../src/core/history/schema';
import { HistoryStore, recordsFromReport } from '../../src/core/history/store';
import type { BenchmarkReport, RunMetrics } from '../../src/core/types';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokenscope-history-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const file = () => join(dir, `h${++n}.jsonl`);

function rec(i: number, extra: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    v: 1,
    time: new Date(Date.UTC(2026, 10, 2) + i * 60_000).toISOString(),
    modelId: 'deepseek-v4-flash',
    label: 'DeepSeek',
    region: 'CN',
    protocol: 'openai-chat',
    host: 'api.deepseek.com',
    promptHash: 'f'.repeat(64),
    category: 'chat',
    tokenSource: 'usage',
    toolVersion: '0.1.0',
    metrics: {
      ok: true,
      error: null,
      reasoningVisible: false,
      chunks: i,
      setupMs: 50,
      ttftMs: 300 + i,
      ttfoMs: 301 + i,
      decodeTps: 40 + i / 10,
      e2eMs: 2000,
      itlMs: 20,
      interChunkP50Ms: 20,
      interChunkP95Ms: 40,
      inputTokens: 100,
      outputTokens: 200,
      reasoningTokens: null,
      cachedInputTokens: null,
      streamedTokens: 200,
      costUsd: 0.0001,
      charsPerSec: 150,
      normalizedTps: 38,
      serverDecodeTps: null,
    },
    ...extra,
  };
}

const line = (r: unknown) => JSON.stringify(r) + '\n';

describe('HistoryStore: append and read', () => {
  it('round-trips records, one per line', async () => {
    const path = file();
    const store = new HistoryStore(path);
    expect(await store.append([rec(1), rec(2)])).toBe(2);
    expect(await store.append([rec(3)])).toBe(1);
    expect(await store.append([])).toBe(0);
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n')).toHaveLength(4);
    expect(await store.read()).toEqual({ records: [rec(1), rec(2), rec(3)], warnings: [] });
  });

  it('creates missing directories, and reads a missing file as empty', async () => {
    const store = new HistoryStore(join(dir, 'deep', 'er', 'h.jsonl'));
    expect(await store.exists()).toBe(false);
    expect(await store.read()).toEqual({ records: [], warnings: [] });
    await store.append([rec(1)]);
    expect(await store.exists()).toBe(true);
  });

  it('refuses a malformed record and writes nothing of the batch', async () => {
    const path = file();
    const store = new HistoryStore(path);
    const bad = { ...rec(2), region: 'EU' } as unknown as HistoryRecord;
    await expect(store.append([rec(1), bad])).rejects.toThrow(
      /record 1 is not valid \(region must be one of CN, US, local\)/,
    );
    expect(existsSync(path)).toBe(false);
  });

  it('keeps text with newlines, quotes and non-ASCII on one line, across read chunks', async () => {
    const path = file();
    const store = new HistoryStore(path);
    // A prompt longer than the reader's 1 MiB chunks, with multi-byte characters on every chunk boundary.
    const prompt = '你好，世界 "quoted"\nnew line\u2028 ' + '速度'.repeat(700_000);
    const records = [rec(1), rec(2, { prompt, label: 'Qwen “3”' }), rec(3)];
    await store.append(records);
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(4);
    expect((await store.read()).records).toEqual(records);
  });
});

describe('HistoryStore: damaged files', () => {
  it('skips a truncated last line with a warning, keeping the rest', async () => {
    const path = file();
    const full = line(rec(3));
    writeFileSync(path, line(rec(1)) + line(rec(2)) + full.slice(0, 120));
    const { records, warnings } = await new HistoryStore(path).read();
    expect(records).toEqual([rec(1), rec(2)]);
    expect(warnings).toEqual([
      {
        line: 3,
        message: expect.stringMatching(/ line 3: the last line is incomplete \(an interrupted write\?\); skipped$/),
      },
    ]);
  });

  it('accepts a complete last record that only lacks its newline', async () => {
    const path = file();
    writeFileSync(path, line(rec(1)) + JSON.stringify(rec(2)));
    expect(await new HistoryStore(path).read()).toEqual({ records: [rec(1), rec(2)], warnings: [] });
  });

  it('appends after a truncated last line without gluing the new record onto it', async () => {
    const path = file();
    writeFileSync(path, line(rec(1)) + line(rec(2)).slice(0, 50));
    const store = new HistoryStore(path);
    await store.append([rec(3)]);
    const { records, warnings } = await store.read();
    expect(records).toEqual([rec(1), rec(3)]);
    expect(warnings.map((w) => w.line)).toEqual([2]);
    expect(warnings[0].message).toMatch(/line 2: not valid JSON/);
  });

  it('skips corrupted lines in the middle, naming each, and reads on', async () => {
    const path = file();
    const good = [rec(1), rec(2), rec(3), rec(4)];
    writeFileSync(
      path,
      [
        line(good[0]),
        line(good[1]).slice(0, 80) + '\n', // 2: cut short
        '\0\0\0\0\0\0\n', // 3: zeros, as after a power cut
        line({ ...rec(9), region: 'EU' }), // 4: wrong schema
        line(good[2]),
        '\n', // 6: blank: ignored silently
        line({ ...rec(9), v: 2 }), // 7: a newer format
        '[1,2,3]\n', // 8: JSON, not a record
        line({ ...rec(9), metrics: { ...rec(9).metrics, decodeTps: 'fast' } }), // 9
        line({ ...rec(9), time: 'last tuesday' }), // 10
        line(good[3]),
      ].join(''),
    );
    const { records, warnings } = await new HistoryStore(path).read();
    expect(records).toEqual([good[0], good[2], good[3]]);
    expect(warnings.map((w) => [w.line, w.message.replace(/^\S+ /, '')])).toEqual([
      [2, 'line 2: not valid JSON (a damaged record); skipped'],
      [3, 'line 3: not valid JSON (a damaged record); skipped'],
      [4, 'line 4: not a valid history record (region must be one of CN, US, local); skipped'],
      [
        7,
        'line 7: not a valid history record (schema version 2 is newer than this Tokenscope understands (1)); skipped',
      ],
      [8, 'line 8: not a valid history record (not a JSON object); skipped'],
      [9, 'line 9: not a valid history record (metrics.decodeTps must be a number or null); skipped'],
      [10, 'line 10: not a valid history record (time must be an ISO date-time); skipped'],
    ]);
    expect(warnings[0].message.startsWith(`${path.split('/').pop()} line 2`)).toBe(true);
  });

  it('reads files edited on Windows (BOM, CRLF)', async () => {
    const path = file();
    writeFileSync(path, '\ufeff' + JSON.stringify(rec(1)) + '\r\n' + JSON.stringify(rec(2)) + '\r\n');
    expect(await new HistoryStore(path).read()).toEqual({ records: [rec(1), rec(2)], warnings: [] });
  });
});

describe('HistoryStore: concurrent writers and crashes (real processes)', () => {
  let bundle: string;
  beforeAll(async () => {
    bundle = join(dir, 'store.cjs');
    await build({
      entryPoints: ['src/core/history/store.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: bundle,
      logLevel: 'silent',
    });
  });

  /** A writer process: waits for the go file, then appends `count` records one append() at a time. */
  const writerScript = `
    const { HistoryStore } = require(process.env.BUNDLE);
    const fs = require('node:fs');
    const [file, go, id, count, promptBytes, sync] = process.argv.slice(1); // node -e SCRIPT args…
    const store = new HistoryStore(file, { sync: sync === '1' });
    const base = JSON.parse(process.env.RECORD);
    const prompt = Number(promptBytes) > 0 ? String(id).repeat(Number(promptBytes)) : undefined;
    (async () => {
      process.stdout.write('ready\\n');
      while (!fs.existsSync(go)) await new Promise((r) => setTimeout(r, 1));
      for (let i = 0; i < Number(count); i++) {
        const r = { ...base, modelId: 'writer-' + id, metrics: { ...base.metrics, chunks: i } };
        if (prompt) r.prompt = prompt;
        await store.append([r]);
      }
    })().catch((e) => { console.error(e); process.exit(1); });
  `;

  const children = new Set<ReturnType<typeof spawn>>();
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  function startWriter(path: string, go: string, id: number, count: number, promptBytes: number, sync: boolean) {
    const child = spawn(
      process.execPath,
      ['-e', writerScript, path, go, String(id), String(count), String(promptBytes), sync ? '1' : '0'],
      {
        env: { ...process.env, BUNDLE: bundle, RECORD: JSON.stringify(rec(0)) },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.add(child);
    const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, ready, exit };
  }

  async function race(count: number, promptBytes: number, sync: boolean) {
    const path = file();
    const go = path + '.go';
    const writers = [1, 2].map((id) => startWriter(path, go, id, count, promptBytes, sync));
    await Promise.all(writers.map((w) => w.ready));
    writeFileSync(go, '');
    expect(await Promise.all(writers.map((w) => w.exit))).toEqual([0, 0]);
    const { records, warnings } = await new HistoryStore(path).read();
    expect(warnings).toEqual([]);
    expect(records).toHaveLength(2 * count);
    for (const id of [1, 2]) {
      const mine = records.filter((r) => r.modelId === `writer-${id}`).map((r) => r.metrics.chunks);
      expect(mine).toEqual(Array.from({ length: count }, (_, i) => i)); // all there, in each writer's order
    }
    // Both writers really were interleaved in the file.
    const order = records.map((r) => r.modelId);
    const switches = order.filter((m, i) => i > 0 && m !== order[i - 1]).length;
    return { records, switches };
  }

  it('two processes appending 500 small records each leave exactly 1,000 intact records', async () => {
    const { switches } = await race(500, 0, false);
    expect(switches).toBeGreaterThan(1);
  }, 60_000);

  it('two processes appending 60 records of 64 KB each (far over PIPE_BUF), with fsync, leave 120 intact records', async () => {
    const { records } = await race(60, 64 * 1024, true);
    expect(records.every((r) => r.prompt === (r.modelId === 'writer-1' ? '1' : '2').repeat(64 * 1024))).toBe(true);
  }, 60_000);

  it('a writer killed mid-stream leaves only complete records', async () => {
    const path = file();
    const go = path + '.go';
    writeFileSync(go, '');
    const w = startWriter(path, go, 7, 1_000_000, 256 * 1024, false);
    await w.ready;
    // Wait for some records to be written, then kill the writer in the middle of its work.
    for (let i = 0; i < 500 && !(existsSync(path) && readFileSync(path).length > 2_000_000); i++)
      await new Promise((r) => setTimeout(r, 5));
    w.child.kill('SIGKILL');
    await w.exit;
    const { records, warnings } = await new HistoryStore(path).read();
    expect(records.length).toBeGreaterThan(0);
    expect(warnings).toEqual([]);
    expect(records.map((r) => r.metrics.chunks)).toEqual(records.map((_, i) => i));
  }, 60_000);
});

describe('HistoryStore: clear, export, import', () => {
  it('clears the history, leaving an empty file; clearing a missing history is fine', async () => {
    const path = file();
    const store = new HistoryStore(path);
    await store.append([rec(1), rec(2)]);
    await store.clear();
    expect(readFileSync(path, 'utf8')).toBe('');
    expect((await store.read()).records).toEqual([]);
    await new HistoryStore(join(dir, 'never.jsonl')).clear();
    expect(existsSync(join(dir, 'never.jsonl'))).toBe(false);
  });

  it('exports valid records only, without prompt texts unless asked', async () => {
    const path = file();
    const store = new HistoryStore(path);
    await store.append([rec(1, { prompt: 'secret plans' }), rec(2)]);
    appendFileSync(path, '{"broken\n');
    const out = join(dir, 'export', 'shared.jsonl');
    const result = await store.exportTo(out);
    expect(result.records).toBe(2);
    expect(result.warnings.map((w) => w.line)).toEqual([3]);
    expect(readFileSync(out, 'utf8')).not.toContain('secret plans');
    expect((await new HistoryStore(out).read()).records).toEqual([rec(1), rec(2)]);
    await store.exportTo(out, { includePrompts: true });
    expect((await new HistoryStore(out).read()).records[0].prompt).toBe('secret plans');
    await expect(store.exportTo(path)).rejects.toThrow(/onto itself/);
  });

  it("merges a colleague's file, skipping identical records whatever their field order", async () => {
    const mine = new HistoryStore(file());
    await mine.append([rec(1), rec(2)]);
    const theirsPath = file();
    const reordered = Object.fromEntries(Object.entries(rec(2)).reverse());
    writeFileSync(
      theirsPath,
      [
        line(reordered),
        line(rec(3)),
        line(rec(3)),
        'garbage\n',
        line(rec(4)),
        line(rec(1, { host: 'other.host' })),
      ].join(''),
    );
    const result = await mine.importFrom(theirsPath);
    expect(result.added).toBe(3); // rec(3) once, rec(4), and rec(1) from another host (a different record)
    expect(result.duplicates).toBe(2); // rec(2) reordered, the second rec(3)
    expect(result.warnings.map((w) => w.line)).toEqual([4]);
    const all = (await mine.read()).records;
    expect(all.map(recordKey)).toEqual([rec(1), rec(2), rec(3), rec(4), rec(1, { host: 'other.host' })].map(recordKey));
    // Importing again adds nothing.
    expect(await mine.importFrom(theirsPath)).toMatchObject({ added: 0, duplicates: 5 });
    await expect(mine.importFrom(join(dir, 'missing.jsonl'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

function metrics(over: Partial<RunMetrics> = {}): RunMetrics {
  return {
    ok: true,
    error: null,
    startedAt: '2026-11-02T10:00:00.000Z',
    setupMs: 80,
    ttftMs: 300,
    ttfoMs: 310,
    decodeTps: 55.5,
    e2eMs: 4000,
    itlMs: 18,
    interChunkMs: [10, 20, 30],
    tokensPerChunk: [1, 2, 3],
    interChunkP50Ms: 20,
    interChunkP95Ms: 29,
    inputTokens: 120,
    outputTokens: 210,
    reasoningTokens: 0,
    cachedInputTokens: null,
    streamedTokens: 210,
    hiddenTokens: 0,
    notes: ['a note is not stored'],
    tokenizerCount: 205,
    reasoningVisible: false,
    tokenSource: 'usage',
    costUsd: 0.00012,
    answerText: 'The answer text is never stored.',
    reasoningText: '',
    charsPerSec: 200,
    normalizedTps: 50,
    serverDecodeTps: null,
    chunks: 70,
    ...over,
  };
}

describe('recordsFromReport', () => {
  const prompt = 'Summarise this article.';
  const sha = createHash('sha256').update(prompt).digest('hex');
  const report: BenchmarkReport = {
    tool: { name: 'tokenscope', version: '0.1.0' },
    startedAt: '2026-11-02T10:00:00.000Z',
    finishedAt: '2026-11-02T10:01:00.000Z',
    prompt: { chars: prompt.length, sha256: sha },
    settings: { runs: 3, warmup: 1, concurrency: 1, maxTokens: 512, timeoutMs: 120000 },
    results: [
      {
        id: 'deepseek-v4-flash',
        label: 'DeepSeek V4 Flash',
        region: 'CN',
        protocol: 'openai-chat',
        model: 'deepseek-v4-flash',
        host: 'api.deepseek.com',
        runs: [
          metrics({ startedAt: '2026-11-02T10:00:01.000Z' }),
          metrics({ startedAt: '2026-11-02T10:00:02.000Z', warmup: true }),
          metrics({
            startedAt: '2026-11-02T10:00:03.000Z',
            ok: false,
            error: 'deepseek-v4-flash: HTTP 401 — key rejected (Authorization: Bearer sk-abcdef1234567890abcdef)',
            errorKind: 'auth',
            decodeTps: null,
            ttftMs: null,
            normalizedTps: Number.NaN,
            hiddenTokens: null,
          }),
          metrics({ startedAt: '2026-11-02T10:00:04.000Z', ok: false, error: 'cancelled', errorKind: 'cancelled' }),
          metrics({
            startedAt: '2026-11-02T10:00:05.000Z',
            tokenSource: 'tokenizer',
            tokenizer: 'o200k (js-tiktoken)',
          }),
        ],
        summary: {},
        okRuns: 2,
        failedRuns: 1,
        cancelledRuns: 0,
        warnings: [],
      },
    ],
  };

  it('keeps measured runs (failed ones with ok=false), drops warm-up and cancelled runs, and no text or raw arrays', () => {
    const records = recordsFromReport(report, { category: 'summarization', storePrompt: false, prompt });
    expect(records.map((r) => [r.time, r.metrics.ok])).toEqual([
      ['2026-11-02T10:00:01.000Z', true],
      ['2026-11-02T10:00:03.000Z', false],
      ['2026-11-02T10:00:05.000Z', true],
    ]);
    expect(records[0]).toEqual({
      v: 1,
      time: '2026-11-02T10:00:01.000Z',
      hour: 10, // the UTC hour of time, for by-hour reports
      modelId: 'deepseek-v4-flash',
      label: 'DeepSeek V4 Flash',
      region: 'CN',
      protocol: 'openai-chat',
      host: 'api.deepseek.com',
      promptHash: sha,
      category: 'summarization',
      tokenSource: 'usage',
      toolVersion: '0.1.0',
      metrics: {
        ok: true,
        error: null,
        reasoningVisible: false,
        chunks: 70,
        setupMs: 80,
        ttftMs: 300,
        ttfoMs: 310,
        decodeTps: 55.5,
        e2eMs: 4000,
        itlMs: 18,
        interChunkP50Ms: 20,
        interChunkP95Ms: 29,
        inputTokens: 120,
        outputTokens: 210,
        reasoningTokens: 0,
        cachedInputTokens: null,
        streamedTokens: 210,
        hiddenTokens: 0,
        costUsd: 0.00012,
        charsPerSec: 200,
        normalizedTps: 50,
        serverDecodeTps: null,
      },
    });
    expect(records[1].metrics).toMatchObject({ ok: false, errorKind: 'auth', decodeTps: null, normalizedTps: null });
    expect(records[1].metrics.error).toBe(
      'deepseek-v4-flash: HTTP 401 — key rejected (Authorization: Bearer [redacted])',
    );
    expect(records[2]).toMatchObject({ tokenSource: 'tokenizer', tokenizer: 'o200k (js-tiktoken)' });
    const text = JSON.stringify(records);
    expect(text).not.toContain('sk-abcdef');
    expect(text).not.toContain('never stored');
    expect(text).not.toContain('interChunkMs');
    expect(text).not.toContain('a note is not stored');
    expect(text).not.toContain(prompt);
  });

  it('stores the prompt text only when asked, and only the one the report was run with', () => {
    const records = recordsFromReport(report, { category: 'chat', storePrompt: true, prompt });
    expect(records.every((r) => r.prompt === prompt)).toBe(true);
    expect(
      recordsFromReport(report, { category: 'chat', storePrompt: true }).every((r) => r.prompt === undefined),
    ).toBe(true);
    expect(() => recordsFromReport(report, { category: 'chat', storePrompt: true, prompt: 'another prompt' })).toThrow(
      /sha256 differs/,
    );
  });

  it("keeps where each priced run's price came from, and no source for a run without a cost", () => {
    const source = {
      kind: 'genai-prices',
      package: '@pydantic/genai-prices',
      version: '0.1.8',
      data: 'bundled',
      dataDate: '2026-11-20',
      providerId: 'deepseek',
      modelId: 'deepseek-chat',
    } as const;
    const priced = structuredClone(report);
    priced.results[0].runs[0].priceSource = source;
    priced.results[0].runs[4] = { ...priced.results[0].runs[4], costUsd: null, priceSource: source };
    const records = recordsFromReport(priced, { category: 'chat', storePrompt: false });
    expect(records[0].priceSource).toEqual(source);
    expect(records[2].priceSource).toBeUndefined(); // no cost: a source would claim a price that was not used
  });

  it('refuses a record whose price source is not one', async () => {
    const store = new HistoryStore(file());
    const bad = { ...rec(1), priceSource: { kind: 'genai-prices', version: 1 } } as unknown as HistoryRecord;
    await expect(store.append([bad])).rejects.toThrow(/priceSource\.package must be a string/);
    const worse = { ...rec(1), priceSource: { kind: 'guess' } } as unknown as HistoryRecord;
    await expect(store.append([worse])).rejects.toThrow(/priceSource\.kind must be genai-prices, config or provider/);
    await store.append([{ ...rec(1), priceSource: { kind: 'config', readOn: '2026-12-01' } }]);
    expect((await store.read()).records[0].priceSource).toEqual({ kind: 'config', readOn: '2026-12-01' });
  });

  it('produces records the store accepts', async () => {
    const store = new HistoryStore(file());
    const records = recordsFromReport(report, { category: 'chat', storePrompt: false });
    await store.append(records);
    expect((await store.read()).records).toEqual(records);
  });

  it('redacts key-like strings in free text', () => {
    expect(
      redactSecrets(
        'Bearer abcdefghijklmnop and sk-proj-ABCDEFGHIJKLMNOPQRST and ?key=AIzaSyA1234567890abcdefghij&x=1',
      ),
    ).toBe('Bearer [redacted] and [redacted] and ?key=[redacted]&x=1');
    expect(redactSecrets('HTTP 429: slow down')).toBe('HTTP 429: slow down');
  });
});
