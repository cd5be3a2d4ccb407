/**
 * Planted keys never leave the places they belong (SecretStorage / the environment, and the request to the
 * model's own host). Two unique keys — one in a SecretStorage-like store, one in an environment variable — are
 * used in a benchmark where providers echo them back (whole, partly masked, cut by the message length limit,
 * in a stream error event, in an HTML title, in a redirect target), and every output surface is scanned for
 * them, including any 8-character piece of them: the report, the terminal table, CLI stdout/stderr (table and
 * --json), JSON/CSV/Markdown exports, the results view model (webview state), the live view, the progress
 * events and the extension's log lines, the history file, its export, the leaderboard view and `report`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore, loadLeaderboard, recordsFromReport } from '../../src/core/history';
import { exportReport } from '../../src/core/report/export';
import { buildLeaderboardView } from '../../src/core/report/leaderboardView';
import { LiveReport } from '../../src/core/report/live';
import { benchmarkStartLine, progressLogLine } from '../../src/core/report/logLines';
import { buildResultsView } from '../../src/core/report/resultsView';
import { formatReportTable } from '../../src/core/report/table';
import { runBenchmark } from '../../src/core/runner';
import type { ProgressEvent } from '../../src/core/types';
import type { BenchmarkReport, ModelSpec } from '../../src/core/types';
import { KeyStore } from '../../src/extension/secrets';
import { startStreamServer, type StreamServer } from '../server/streamServer';
import { openaiStream, runCli, startRawServer, type RawServer } from './reliability.helpers';

const T = 20_000;
/** A key no text could contain by chance: 44 random base64url characters after a marker. */
const plant = (tag: string) => `${tag}-${randomBytes(33).toString('base64url')}`;
const SECRET_KEY = plant('tsS');
const ENV_KEY = plant('tsE');
const SECRET_ENV = 'TS_PLANTED_SECRET_KEY';
const ENV_ENV = 'TS_PLANTED_ENV_KEY';

/** Any 8-character run of `key` found in `text` (every longer piece contains one). */
function leaks(text: string, key: string): string[] {
  const found = new Set<string>();
  for (let i = 0; i + 8 <= key.length; i++) if (text.includes(key.slice(i, i + 8))) found.add(key.slice(i, i + 8));
  return [...found];
}

function expectNoKey(what: string, text: string): void {
  for (const key of [SECRET_KEY, ENV_KEY]) expect(leaks(text, key), `${what} leaks the key`).toEqual([]);
}

/** A VS Code SecretStorage stand-in: the extension's KeyStore runs on it unchanged. */
function fakeSecrets(initial: Record<string, string>) {
  const store = new Map(Object.entries(initial));
  return {
    get: async (k: string) => store.get(k),
    store: async (k: string, v: string) => void store.set(k, v),
    delete: async (k: string) => void store.delete(k),
    keys: async () => [...store.keys()],
    onDidChange: () => ({ dispose() {} }),
  };
}

let server: StreamServer;
let echo: RawServer;
let dir: string;
let prompt: string;

beforeAll(async () => {
  server = await startStreamServer();
  // The right key for this model is the planted one: its runs succeed.
  server.setModel('keyed-secret', { ttftMs: 10, tokensPerSecond: 400, outputTokens: 8, requireKey: SECRET_KEY });
  server.setModel('keyed-env', { ttftMs: 10, tokensPerSecond: 400, outputTokens: 8, requireKey: ENV_KEY });
  // Providers that echo whatever key they were sent.
  echo = await startRawServer((req, res) => {
    const key =
      /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ??
      String(req.headers['x-api-key'] ?? req.headers['x-goog-api-key'] ?? '');
    const model = req.path.includes('/models/')
      ? decodeURIComponent(/\/models\/([^:]+)/.exec(req.path)![1])
      : String(JSON.parse(req.body || '{}').model);
    const json = (status: number, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', code: 'invalid_api_key' } }));
    };
    switch (model) {
      case 'echo-full': // OpenAI's wording, with the whole key
        return json(
          401,
          `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        );
      case 'echo-masked':
        return json(401, `Incorrect API key provided: ${key.slice(0, 12)}${'*'.repeat(20)}${key.slice(-4)}.`);
      case 'echo-cut': // the key straddles the 300-character limit of a provider message
        return json(403, `${'Access denied. '.repeat(17)}Key: ${key} was refused.`);
      case 'echo-stream': // an error event inside the stream
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        return res.end(
          `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: ' hi' } }] })}\n\ndata: ${JSON.stringify({ error: { message: `key ${key} is over quota` } })}\n\n`,
        );
      case 'echo-html':
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end(`<html><head><title>Welcome ${key}</title></head></html>`);
      case 'echo-redirect':
        res.writeHead(302, { location: `https://login.example/?api_key=${key}` });
        return res.end();
      default:
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        return res.end(openaiStream([' ok']));
    }
  });
  dir = mkdtempSync(join(tmpdir(), 'tokenscope-secrets-'));
  prompt = 'Summarise the plot of Hamlet in two sentences.';
  writeFileSync(join(dir, 'prompt.md'), prompt);
});
afterAll(async () => {
  await server?.close();
  await echo?.close();
});

const ECHO_MODELS = ['echo-full', 'echo-masked', 'echo-cut', 'echo-stream', 'echo-html', 'echo-redirect'];

function models(): ModelSpec[] {
  // The env-key variants of the non-streaming cases speak Anthropic (key in x-api-key, not Authorization).
  const anthropic = (m: string) => m !== 'echo-full' && m !== 'echo-stream';
  const echoSpecs = ECHO_MODELS.flatMap((m): ModelSpec[] => [
    {
      id: `${m}-secret`,
      protocol: 'openai-chat',
      baseUrl: `${echo.url}/v1`,
      model: m,
      region: 'US',
      tokenizer: 'o200k',
      apiKeyEnv: SECRET_ENV,
    },
    {
      id: `${m}-env`,
      protocol: anthropic(m) ? 'anthropic' : 'openai-chat',
      baseUrl: anthropic(m) ? echo.url : `${echo.url}/v1`,
      model: m,
      region: 'CN',
      tokenizer: 'o200k',
      apiKeyEnv: ENV_ENV,
    },
  ]);
  return [
    ...echoSpecs,
    {
      id: 'good-secret',
      protocol: 'anthropic',
      baseUrl: server.url,
      model: 'keyed-secret',
      region: 'US',
      tokenizer: 'o200k',
      apiKeyEnv: SECRET_ENV,
      price: { inputPerM: 1, outputPerM: 2 },
    },
    {
      id: 'good-env',
      protocol: 'gemini',
      baseUrl: server.url,
      model: 'keyed-env',
      region: 'CN',
      tokenizer: 'o200k',
      apiKeyEnv: ENV_ENV,
    },
  ];
}

describe('planted keys appear in no output', () => {
  let report: BenchmarkReport;
  const events: ProgressEvent[] = [];

  beforeAll(async () => {
    const keys = new KeyStore(fakeSecrets({ [`tokenscope.apiKey.${SECRET_ENV}`]: SECRET_KEY }) as never, {
      [ENV_ENV]: ENV_KEY,
    });
    expect(await keys.source(SECRET_ENV)).toBe('secret');
    expect(await keys.source(ENV_ENV)).toBe('env');
    const specs = models();
    const live = new LiveReport(specs, prompt, {
      runs: 2,
      warmup: 1,
      concurrency: 4,
      maxTokens: 64,
      timeoutMs: 10_000,
    });
    report = await runBenchmark({
      models: specs,
      prompt,
      runs: 2,
      warmup: 1,
      concurrency: 4,
      maxTokens: 64,
      timeoutMs: 10_000,
      stallTimeoutMs: 5_000,
      resolveApiKey: keys.resolve,
      onProgress: (e) => {
        events.push(e);
        live.apply(e);
      },
    });
    events.push({ type: 'warning', modelId: 'live', message: JSON.stringify(live.view()) });
  }, T);

  it('the keys were really used: the right one works, the echoing providers got it and said it back', () => {
    const byId = new Map(report.results.map((r) => [r.id, r]));
    expect(byId.get('good-secret')!.okRuns).toBe(2);
    expect(byId.get('good-env')!.okRuns).toBe(2);
    for (const m of ECHO_MODELS)
      for (const src of ['secret', 'env']) expect(byId.get(`${m}-${src}`)!.failedRuns, `${m}-${src}`).toBe(2);
    expect(echo.seen.some((r) => r.headers.authorization === `Bearer ${SECRET_KEY}`)).toBe(true);
    expect(echo.seen.some((r) => r.headers['x-api-key'] === ENV_KEY)).toBe(true);
    // Each key went only where its model is configured: the env key never to the secret key's models and back.
    for (const r of server.records)
      expect(JSON.stringify(r.headers)).toContain(r.model === 'keyed-secret' ? SECRET_KEY : ENV_KEY);
    // The messages are still specific: they say what happened.
    const err = (id: string) => byId.get(id)!.runs[0].error!;
    expect(err('echo-full-secret')).toMatch(
      /^echo-full-secret \(127\.0\.0\.1:\d+\): the API key is missing or was rejected \(HTTP 401: invalid_request_error: Incorrect API key provided: \*\*\*\. You can find/,
    );
    expect(err('echo-masked-env')).toMatch(/Incorrect API key provided: \*\*\*\*{20}/);
    expect(err('echo-cut-secret')).toMatch(/HTTP 403: .*Key: \*\*\*…\)/);
    expect(err('echo-stream-env')).toMatch(/inside the stream after 1 token chunk\(s\): .*key \*\*\* is over quota/);
    expect(err('echo-html-secret')).toMatch(/HTML page instead of a stream \("Welcome \*\*\*"\)/);
    expect(err('echo-redirect-env')).toMatch(/redirected to https:\/\/login\.example\/\?api_key=\*\*\* \(HTTP 302\)/);
  });

  it('report JSON, terminal table, exports', () => {
    expectNoKey('report JSON', JSON.stringify(report));
    expectNoKey('terminal table', formatReportTable(report));
    for (const f of ['json', 'csv', 'markdown'] as const) expectNoKey(`${f} export`, exportReport(report, f));
  });

  it('results view model (webview state), live view, progress events and log lines', () => {
    expectNoKey('results view', JSON.stringify(buildResultsView(report)));
    expectNoKey('cancelled results view', JSON.stringify(buildResultsView(report, { cancelled: true })));
    expectNoKey('progress events (live view included)', JSON.stringify(events));
    const log = [
      benchmarkStartLine(models(), report.settings, prompt.length),
      ...events.map((e) => progressLogLine(e)?.message ?? ''),
    ].join('\n');
    expect(log).toMatch(/echo-full-secret run 1: failed \(auth\)/);
    expectNoKey('log lines', log);
  });

  it('history file (prompt stored), its export, the leaderboard view', async () => {
    const history = join(dir, 'history.jsonl');
    const store = new HistoryStore(history, { sync: false });
    await store.append(recordsFromReport(report, { category: 'summarization', prompt, storePrompt: true }));
    expectNoKey('history file', readFileSync(history, 'utf8'));
    const exported = join(dir, 'export.jsonl');
    await store.exportTo(exported, { includePrompts: true });
    expectNoKey('history export', readFileSync(exported, 'utf8'));
    const { leaderboard } = await loadLeaderboard(history);
    expectNoKey(
      'leaderboard view',
      JSON.stringify(buildLeaderboardView(leaderboard, { category: 'all', range: 'all' }, 10)),
    );
  });
});

describe('CLI with planted keys in the environment', () => {
  it('bench (table, --json -, --json FILE, --history), history export and report', { timeout: 30_000 }, async () => {
    const cfg = join(dir, 'cli.json');
    writeFileSync(cfg, JSON.stringify({ models: models() }));
    const env = { [SECRET_ENV]: SECRET_KEY, [ENV_ENV]: ENV_KEY };
    const history = join(dir, 'cli-history.jsonl');
    const jsonFile = join(dir, 'cli-out.json');
    const outputs: [string, string][] = [];
    const table = await runCli(
      [
        'bench',
        '--config',
        cfg,
        '--prompt',
        join(dir, 'prompt.md'),
        '--runs',
        '1',
        '--history',
        history,
        '--store-prompt',
      ],
      env,
    );
    expect(table.code).toBe(1);
    expect(table.out).toMatch(/failed: echo-full-secret/);
    outputs.push(['bench table stdout', table.out], ['bench table stderr', table.err]);
    const json = await runCli(
      [
        'bench',
        '--config',
        cfg,
        '--prompt',
        join(dir, 'prompt.md'),
        '--runs',
        '1',
        '--json',
        '-',
        '--history',
        history,
      ],
      env,
    );
    expect(JSON.parse(json.out).results).toHaveLength(models().length);
    outputs.push(['bench --json - stdout', json.out], ['bench --json - stderr', json.err]);
    const file = await runCli(
      ['bench', '--config', cfg, '--prompt', join(dir, 'prompt.md'), '--runs', '1', '--json', jsonFile],
      env,
    );
    outputs.push(
      ['bench --json FILE', readFileSync(jsonFile, 'utf8')],
      ['its stdout', file.out],
      ['its stderr', file.err],
    );
    outputs.push(['CLI history file', readFileSync(history, 'utf8')]);
    const exported = join(dir, 'cli-export.jsonl');
    const ex = await runCli(['history', 'export', exported, '--history', history, '--include-prompts'], env);
    expect(ex.code).toBe(0);
    outputs.push(['history export file', readFileSync(exported, 'utf8')], ['history export stderr', ex.err]);
    for (const args of [
      ['report'],
      ['report', '--format', 'json'],
      ['report', '--format', 'csv'],
      ['report', '--weekly'],
      ['report', '--weekly', '--format', 'json'],
    ]) {
      const r = await runCli([...args, '--history', history], env);
      expect(r.code).toBe(0);
      outputs.push([args.join(' '), r.out + r.err]);
    }
    for (const [what, text] of outputs) expectNoKey(what, text);
  });
});
