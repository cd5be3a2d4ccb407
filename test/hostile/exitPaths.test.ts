/**
 * Nothing measured is lost, whatever ends the command: output paths are checked before the first request; a
 * closed stdout pipe (`… | head -1`), SIGTERM, SIGHUP, one or two Ctrl-C all leave the finished runs in the
 * --json file and the history, with an exit status that says what happened; a malformed header is a config
 * error at load time, and one model whose request cannot be sent does not abort the others. The CLI runs as a
 * real process (dist/cli.js, built by `npm test`) against the streaming test server on 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Interrupts } from '../../src/cli/interrupts';
import { runBenchmark } from '../../src/core/runner';
import type { BenchmarkReport, ModelSpec } from '../../src/core/types';
import { startStreamServer, type StreamServer } from '../server/streamServer';
import { runCli } from '../integration/reliability.helpers';

const CLI = join(__dirname, '../../dist/cli.js');
const T = 30_000;

let server: StreamServer;
let dir: string;
let promptFile: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
  server = await startStreamServer();
  // About 250 ms a run: long enough to stop the benchmark between runs, short enough to finish a few first.
  server.setModel('slow', { ttftMs: 30, tokensPerSecond: 40, outputTokens: 8 });
  server.setModel('fast', { ttftMs: 5, tokensPerSecond: 500, outputTokens: 8 });
  dir = mkdtempSync(join(tmpdir(), 'tokenscope-exit-'));
  promptFile = join(dir, 'prompt.md');
  writeFileSync(promptFile, 'Count to eight.');
});
afterAll(async () => {
  await server?.close();
});

let n = 0;
function config(models: object[]): string {
  const file = join(dir, `cfg-${++n}.json`);
  writeFileSync(file, JSON.stringify({ models }));
  return file;
}
const slow = () => ({
  id: 'slow-model',
  protocol: 'openai-chat',
  baseUrl: `${server.url}/v1`,
  model: 'slow',
  region: 'local',
  tokenizer: 'o200k',
});
const fast = (id = 'fast-model') => ({
  id,
  protocol: 'anthropic',
  baseUrl: server.url,
  model: 'fast',
  region: 'local',
  tokenizer: 'o200k',
});

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

function spawnCli(
  args: string[],
  opts: { closeStdout?: boolean } = {},
): { child: ChildProcess; done: Promise<Exit>; err: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: dir, TOKENSCOPE_LOCAL_PORTS: 'openai:9' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  // The reader of stdout is gone before anything is written: every write meets EPIPE, as with `| head -1`.
  if (opts.closeStdout) child.stdout!.destroy();
  else child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (err += b));
  const done = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err })));
  return { child, done, err: () => err };
}

async function until(what: string, test: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const completed = (model: string) => server.records.filter((r) => r.model === model && r.outcome === 'complete').length;
const historyLines = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
const noStackTrace = (err: string) => expect(err).not.toMatch(/\n\s+at .+:\d+:\d+|Unhandled|node:internal/);

describe('output paths are checked before the first request', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['--json is a folder', () => ['--json', dir], /--json ".*": is a folder, not a file\. Nothing was sent/],
    [
      '--json in a folder that does not exist',
      () => ['--json', join(dir, 'no-such-folder', 'out.json')],
      /--json ".*out\.json": the folder ".*no-such-folder" does not exist\. Nothing was sent/,
    ],
    [
      '--history under a file',
      () => ['--history', join(promptFile, 'h.jsonl')],
      /--history ".*h\.jsonl": ".*prompt\.md" is a file, not a folder\. Nothing was sent/,
    ],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const before = server.records.length;
      const r = await runCli(['bench', promptFile, '--config', config([fast()]), '--runs', '2', ...args()]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(server.records.length).toBe(before);
    });
  }
});

describe('a bad header is a config error at load time, and one model never aborts the others', () => {
  for (const [name, headers, message] of [
    ['CRLF in a value', { 'X-Title': 'a\r\nX-Injected: yes' }, /models\[0\]\.headers\.X-Title: contains a line break/],
    ['a space in a name', { 'X Title': 'a' }, /models\[0\]\.headers\.X Title: "X Title" is not a valid header name/],
  ] as const) {
    it(`${name}: exit 2 naming the field, nothing sent`, async () => {
      const before = server.records.length;
      const r = await runCli([
        'bench',
        promptFile,
        '--config',
        config([{ ...fast(), headers }, fast('other')]),
        '--runs',
        '1',
      ]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(server.records.length).toBe(before);
    });
  }

  it('a request Node refuses to send fails that model alone', async () => {
    // Bypasses config validation (as a programmatic caller could): Node throws on the header when sending.
    const bad = { ...fast('bad-header'), headers: { 'X Bad': 'x' } } as ModelSpec;
    const report = await runBenchmark({
      models: [bad, fast('good') as ModelSpec],
      prompt: 'hi',
      runs: 2,
      warmup: 0,
      timeoutMs: 5_000,
    });
    const [b, g] = report.results;
    expect(g.okRuns).toBe(2);
    expect(b.failedRuns).toBe(2);
    expect(b.runs[0]).toMatchObject({ errorKind: 'config' });
    expect(b.runs[0].error).toMatch(
      /^bad-header \(127\.0\.0\.1:\d+\): the request could not be sent \(.*\)\. Check this model's "baseUrl" and "headers"\.$/,
    );
  });
});

describe('a closed stdout pipe', () => {
  it('bench --json - | head -1: no stack trace, the history gets the runs, exit 141', { timeout: T }, async () => {
    const history = join(dir, 'epipe-bench.jsonl');
    const { done } = spawnCli(
      [
        'bench',
        promptFile,
        '--config',
        config([fast()]),
        '--runs',
        '3',
        '--warmup',
        '0',
        '--json',
        '-',
        '--history',
        history,
      ],
      { closeStdout: true },
    );
    const r = await done;
    noStackTrace(r.err);
    expect(r.err).toMatch(
      /stdout was closed before all output was written \(EPIPE\); the rest of it was dropped\. Files the command writes \(--json, the history\) were written as usual\./,
    );
    expect(r.code).toBe(141);
    expect(historyLines(history)).toHaveLength(3);
  });

  it(
    'stdout on a full disk (/dev/full): no stack trace, the history gets the runs, exit 1',
    { timeout: T },
    async () => {
      const history = join(dir, 'full-bench.jsonl');
      const full = openSync('/dev/full', 'w');
      const child = spawn(
        process.execPath,
        [CLI, 'bench', promptFile, '--config', config([fast()]), '--runs', '2', '--warmup', '0', '--history', history],
        {
          env: { PATH: process.env.PATH ?? '', HOME: dir },
          stdio: ['ignore', full, 'pipe'],
        },
      );
      closeSync(full);
      let err = '';
      child.stderr!.on('data', (b) => (err += b));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      noStackTrace(err);
      expect(err).toMatch(/stdout could not be written \(ENOSPC\)/);
      expect(code).toBe(1);
      expect(historyLines(history)).toHaveLength(2);
    },
  );

  it('report | head -1: no stack trace, exit 141', { timeout: T }, async () => {
    const history = join(dir, 'epipe-report.jsonl');
    const first = await runCli([
      'bench',
      promptFile,
      '--config',
      config([fast()]),
      '--runs',
      '3',
      '--warmup',
      '0',
      '--history',
      history,
    ]);
    expect(first.code).toBe(0);
    const r = await spawnCli(['report', '--weekly', '--history', history], { closeStdout: true }).done;
    noStackTrace(r.err);
    expect(r.code).toBe(141);
  });
});

describe('Interrupts', () => {
  it('the first signal cancels, the second stops waiting; the status is 128 + the signal number', async () => {
    const said: string[] = [];
    const interrupts = new Interrupts({ out: () => {}, err: (s) => void said.push(s), env: {}, isTTY: false });
    let forced = false;
    void interrupts.forced.then(() => (forced = true));
    interrupts.receive('SIGTERM');
    expect(interrupts.controller.signal.aborted).toBe(true);
    expect(interrupts.status).toBe(143);
    await new Promise((r) => setImmediate(r));
    expect(forced).toBe(false);
    interrupts.receive('SIGINT');
    await new Promise((r) => setImmediate(r));
    expect(forced).toBe(true);
    expect(interrupts.status).toBe(143); // the first signal decides what happened
    expect(said.join('\n')).toMatch(
      /^Received SIGTERM: cancelling the requests in flight; the runs that finished will be printed and saved\.[^]*\nStopping now: saving the runs that finished\.$/,
    );
  });
});

describe('signals mid-run keep the finished runs', () => {
  async function interrupted(signals: NodeJS.Signals[], json = true) {
    const jsonFile = join(dir, `sig-${++n}.json`);
    const history = join(dir, `sig-${n}.jsonl`);
    const before = completed('slow');
    const args = [
      'bench',
      promptFile,
      '--config',
      config([slow()]),
      '--runs',
      '30',
      '--warmup',
      '0',
      '--history',
      history,
      ...(json ? ['--json', jsonFile] : []),
    ];
    const run = spawnCli(args);
    await until('two finished runs', () => completed('slow') - before >= 2);
    for (const s of signals) run.child.kill(s);
    const exit = await run.done;
    const report: BenchmarkReport | undefined = json ? JSON.parse(readFileSync(jsonFile, 'utf8')) : undefined;
    return { exit, report, history: historyLines(history), sent: completed('slow') - before };
  }

  for (const [signal, status] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${signal}: exit ${status}; --json and the history hold the finished runs`, { timeout: T }, async () => {
      const { exit, report, history, sent } = await interrupted([signal]);
      expect(exit.code).toBe(status);
      noStackTrace(exit.err);
      const result = report!.results[0];
      expect(report!.interrupted).toBe(signal);
      expect(result.okRuns).toBeGreaterThanOrEqual(2);
      expect(result.okRuns).toBeLessThanOrEqual(sent);
      expect(result.failedRuns).toBe(0);
      expect(history).toHaveLength(result.okRuns);
      expect(exit.err).toContain(
        `Stopped by ${signal} after ${result.okRuns} of 30 measured run(s); they are saved in the history`,
      );
    });
  }

  it('two Ctrl-C in a row: exit 130, still saved', { timeout: T }, async () => {
    const { exit, report, history } = await interrupted(['SIGINT', 'SIGINT']);
    expect(exit.code).toBe(130);
    noStackTrace(exit.err);
    expect(report!.interrupted).toBe('SIGINT');
    expect(report!.results[0].okRuns).toBeGreaterThanOrEqual(2);
    expect(history).toHaveLength(report!.results[0].okRuns);
  });

  it(
    'one Ctrl-C: exit 130, the table counts the runs that finished and lists no cancelled run as failed',
    { timeout: T },
    async () => {
      const { exit, history } = await interrupted(['SIGINT'], false);
      expect(exit.code).toBe(130);
      expect(exit.out).toMatch(
        new RegExp(`over the runs that finished \\(${history.length} of 30 planned per model; stopped by SIGINT\\)`),
      );
      expect(exit.out).not.toMatch(/^failed:/m);
      expect(exit.out).toMatch(/^slow-model\s+local\s+(\d+)\/\1\s/m);
      expect(history.length).toBeGreaterThanOrEqual(2);
    },
  );
});

describe('an output that fails at the end does not take the others with it', () => {
  it(
    '--json turned unwritable mid-run: exit 1 naming it; the table and the history have the runs',
    { timeout: T },
    async () => {
      const jsonFile = join(dir, 'late.json');
      const history = join(dir, 'late.jsonl');
      const before = completed('slow');
      const run = spawnCli([
        'bench',
        promptFile,
        '--config',
        config([slow()]),
        '--runs',
        '3',
        '--warmup',
        '0',
        '--json',
        jsonFile,
        '--history',
        history,
      ]);
      // After the up-front check passed (a request arrived), a folder takes the file's place.
      await until('the first request', () => completed('slow') > before);
      mkdirSync(jsonFile);
      const exit = await run.done;
      expect(exit.code).toBe(1);
      expect(exit.err).toMatch(
        /could not write --json ".*late\.json": EISDIR; the results are in the table above and the history/,
      );
      expect(exit.out).toMatch(/^slow-model\s+local\s+3\/3/m);
      expect(historyLines(history)).toHaveLength(3);
    },
  );
});
