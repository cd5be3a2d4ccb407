/**
 * Hostile server text reaching the terminal: ANSI/OSC escapes, bidi controls, NUL, C1 controls and lone CRs in
 * provider error bodies, in-stream error events, malformed chunks, HTML page titles, redirect targets, model
 * names from local-server discovery, history files and model output. Every message keeps the text readable
 * but inert (visible \uXXXX escapes), and nothing the CLI prints carries a raw control character; JSON on
 * stdout still parses to the exact original text.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverLocalModels } from '../../src/core/discovery';
import { HistoryStore, recordsFromReport } from '../../src/core/history';
import { progressLogLine } from '../../src/core/report/logLines';
import { formatReportTable } from '../../src/core/report/table';
import { runBenchmark } from '../../src/core/runner';
import { printable } from '../../src/core/terminalText';
import type { ModelSpec } from '../../src/core/types';
import { HOSTILE, openaiStream, runCli, startRawServer, TERMINAL_UNSAFE, type RawServer } from './reliability.helpers';

const T = 15_000;
let raw: RawServer;
let dir: string;

/** Routes by model name (openai-chat body) or path. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tokenscope-hostile-'));
  writeFileSync(join(dir, 'prompt.md'), 'Say hello.');
  raw = await startRawServer((req, res) => {
    if (req.method === 'GET' && req.path === '/api/tags') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ models: [{ name: `evil${HOSTILE}` }] }));
      return;
    }
    const model = (() => {
      try {
        return String(JSON.parse(req.body).model);
      } catch {
        return '';
      }
    })();
    if (model === 'error-body' || model.startsWith('evil') || req.path === '/api/chat') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: HOSTILE, type: 'server_error' } }));
    } else if (model === 'stream-error') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(
        `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: ' a' } }] })}\n\ndata: ${JSON.stringify({ error: { message: HOSTILE } })}\n\n`,
      );
    } else if (model === 'malformed') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Not JSON; bidi and C1 characters survive JSON.stringify, so the message must escape them itself.
      res.end(`data: {"x": "\u202eevil\u009b31m\u001b[2J\n\n`);
    } else if (model === 'html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<html><head><title>Login \u202eevil\u001b[31m</title></head></html>`);
    } else if (model === 'output') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(openaiStream([' hi ', HOSTILE, ' <script>alert(1)</script>']));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{}');
    }
  });
});
afterAll(() => raw.close());

const spec = (model: string, id = `hostile-${model}`): ModelSpec => ({
  id,
  protocol: 'openai-chat',
  baseUrl: `${raw.url}/v1`,
  model,
  region: 'US',
  tokenizer: 'o200k',
});

async function errorOf(model: string): Promise<string> {
  const report = await runBenchmark({
    models: [spec(model)],
    prompt: 'x',
    runs: 1,
    timeoutMs: 5_000,
    stallTimeoutMs: 5_000,
  });
  const run = report.results[0].runs[0];
  expect(run.ok).toBe(false);
  return run.error!;
}

describe('server text in error messages is inert', () => {
  it.each([
    ['error-body', 'server', /server error \(HTTP 500: server_error: \\u001b\[31mRED\\u001b\[0m/],
    ['stream-error', 'stream-error', /inside the stream after 1 token chunk\(s\): \\u001b\[31mRED/],
    ['malformed', 'malformed', /not valid JSON .*\\u202eevil\\u009b31m/],
    ['html', 'not-a-stream', /HTML page instead of a stream \("Login \\u202eevil\\u001b\[31m"\)/],
  ])('%s', { timeout: T }, async (model, _kind, shape) => {
    const error = await errorOf(model);
    expect(error).not.toMatch(TERMINAL_UNSAFE);
    expect(error).toMatch(shape);
    expect(error).toContain(`hostile-${model}`);
  });

  it('a redirect target with raw non-ASCII bytes (read as Latin-1, so C1 controls)', { timeout: T }, async () => {
    // Node refuses to write such a header, so a raw socket answers.
    const net: NetServer = createNetServer((socket) => {
      socket.once('data', () => {
        const head = Buffer.concat([
          Buffer.from('HTTP/1.1 307 Temporary Redirect\r\nLocation: http://elsewhere.example/'),
          Buffer.from('\u202e\u009b', 'utf8'),
          Buffer.from('x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'),
        ]);
        socket.end(head);
      });
    });
    await new Promise<void>((r) => net.listen(0, '127.0.0.1', () => r()));
    const port = (net.address() as AddressInfo).port;
    try {
      const s: ModelSpec = {
        id: 'hostile-redirect',
        protocol: 'openai-chat',
        baseUrl: `http://127.0.0.1:${port}/v1`,
        model: 'm',
        region: 'US',
        tokenizer: 'o200k',
      };
      const report = await runBenchmark({ models: [s], prompt: 'x', runs: 1, timeoutMs: 5_000, stallTimeoutMs: 5_000 });
      const error = report.results[0].runs[0].error!;
      expect(error).toMatch(/redirected to http:\/\/elsewhere\.example\//);
      expect(error).not.toMatch(TERMINAL_UNSAFE);
    } finally {
      await new Promise<void>((r) => net.close(() => r()));
    }
  });

  it(
    'the terminal table and the extension log lines escape hostile model ids, warnings and errors',
    { timeout: T },
    async () => {
      const log: string[] = [];
      const report = await runBenchmark({
        models: [spec('error-body', `id${HOSTILE}`), spec('output', 'fine')],
        prompt: 'x',
        runs: 1,
        timeoutMs: 5_000,
        onProgress: (e) =>
          void log.push(
            progressLogLine(e)?.message ?? '',
            progressLogLine({ type: 'warning', modelId: 'w', message: `warn ${HOSTILE}` })!.message,
          ),
      });
      expect(log.join('\n')).toMatch(/id\\u001b\[31mRED.*run 1: failed \(server\)/);
      expect(log.join('\n')).not.toMatch(TERMINAL_UNSAFE);
      report.results[1].warnings.push(`warn ${HOSTILE}`);
      const table = formatReportTable(report);
      expect(table).not.toMatch(TERMINAL_UNSAFE);
      expect(table).toContain('id\\u001b[31mRED');
      expect(table).toContain('warning: warn \\u001b[31mRED');
    },
  );
});

describe('CLI output never carries raw control characters', () => {
  const config = (models: ModelSpec[]) => {
    const file = join(dir, `cfg-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({ models }));
    return file;
  };

  it('table and stderr, with hostile errors and hostile model output', { timeout: T }, async () => {
    const cfg = config([spec('error-body'), spec('stream-error'), spec('malformed'), spec('html'), spec('output')]);
    const r = await runCli(['bench', '--config', cfg, '--prompt', join(dir, 'prompt.md'), '--runs', '1']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/failed: hostile-error-body/);
    expect(r.out + r.err).not.toMatch(TERMINAL_UNSAFE);
  });

  it('--json - on stdout: inert, and still the exact data', { timeout: T }, async () => {
    const cfg = config([spec('output'), spec('error-body')]);
    const r = await runCli([
      'bench',
      '--config',
      cfg,
      '--prompt',
      join(dir, 'prompt.md'),
      '--runs',
      '1',
      '--json',
      '-',
    ]);
    expect(r.out + r.err).not.toMatch(TERMINAL_UNSAFE);
    const json = JSON.parse(r.out);
    // Model output is kept exactly as streamed: only its display on the terminal is escaped.
    expect(json.results[0].runs[0].answerText).toBe(` hi ${HOSTILE} <script>alert(1)</script>`);
    // A file written with --json keeps the same text too.
    const file = join(dir, 'out.json');
    await runCli(['bench', '--config', cfg, '--prompt', join(dir, 'prompt.md'), '--runs', '1', '--json', file]);
    expect(JSON.parse(readFileSync(file, 'utf8')).results[0].runs[0].answerText).toBe(
      ` hi ${HOSTILE} <script>alert(1)</script>`,
    );
  });

  it('model names from local-server discovery', { timeout: T }, async () => {
    const r = await runCli(['bench', join(dir, 'prompt.md'), '--runs', '1'], {
      TOKENSCOPE_LOCAL_PORTS: `ollama:${raw.port}`,
    });
    expect(r.err).toMatch(/No config given: using local-ollama-evil\\u001b\[31mRED/);
    expect(r.out + r.err).not.toMatch(TERMINAL_UNSAFE);
  });

  it('a history file with hostile ids and errors (e.g. an imported export)', { timeout: T }, async () => {
    const report = await runBenchmark({
      models: [spec('error-body', `hist${HOSTILE}`), { ...spec('output', `ok${HOSTILE}`), label: `label${HOSTILE}` }],
      prompt: 'x',
      runs: 1,
      timeoutMs: 5_000,
    });
    const history = join(dir, 'history.jsonl');
    await new HistoryStore(history, { sync: false }).append(
      recordsFromReport(report, { category: 'chat', prompt: 'x', storePrompt: false }),
    );
    for (const args of [
      ['report'],
      ['report', '--format', 'csv'],
      ['report', '--format', 'json'],
      ['report', '--weekly'],
      ['report', '--weekly', '--format', 'csv'],
    ]) {
      const r = await runCli([...args, '--history', history]);
      expect(r.code).toBe(0);
      expect(r.out + r.err).not.toMatch(TERMINAL_UNSAFE);
      if (args.includes('json')) expect(JSON.stringify(JSON.parse(r.out))).toContain('ok\\u001b[31mRED'); // still valid JSON
    }
  });
});

describe('local-server discovery with odd answers', () => {
  it('a model name that is not a string is skipped, not a crash', { timeout: T }, async () => {
    const odd = await startRawServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        req.path === '/api/tags'
          ? JSON.stringify({ models: [{ name: { toString: 1 } }] })
          : JSON.stringify({ data: [{ id: 42 }] }),
      );
    });
    try {
      const found = await discoverLocalModels(
        [
          { name: 'o', port: odd.port, kind: 'ollama' },
          { name: 'v', port: odd.port, kind: 'openai' },
        ],
        2_000,
      );
      expect(found).toEqual([]);
    } finally {
      await odd.close();
    }
  });

  it(
    'a hostile name is escaped in the id and label, and sent back unchanged as the model name',
    { timeout: T },
    async () => {
      const [m] = await discoverLocalModels([{ name: 'o', port: raw.port, kind: 'ollama' }], 2_000);
      expect(m.id).toBe(`local-ollama-evil${printable(HOSTILE)}`);
      expect(m.label).not.toMatch(TERMINAL_UNSAFE);
      expect(m.model).toBe(`evil${HOSTILE}`);
    },
  );
});
