/** The CLI as a user runs it: the built dist/cli.js, spawned, against the local streaming server. */
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
  server.setModel('fast', { ttftMs: 30, tokensPerSecond: 200, outputTokens: 30 });
  server.setModel('slow', { ttftMs: 60, tokensPerSecond: 50, outputTokens: 10, reasoningTokens: 5 });
  server.setModel('unauthorised', { ttftMs: 30, tokensPerSecond: 200, outputTokens: 30, requireKey: 'the-right-key' });
  server.setModel('dropping', {
    ttftMs: 30,
    tokensPerSecond: 200,
    outputTokens: 30,
    fault: { kind: 'drop', afterChunks: 4 },
  });
  dir = mkdtempSync(join(tmpdir(), 'tokenscope-cli-'));
  writeFileSync(join(dir, 'prompt.md'), 'Write a haiku about tokens.');
  const model = (id: string, protocol: string, name: string, extra = {}) => ({
    id,
    protocol,
    baseUrl: protocol === 'openai-chat' ? `${server.url}/v1` : server.url,
    model: name,
    region: id.startsWith('cn') ? 'CN' : 'US',
    tokenizer: 'o200k',
    price: { inputPerM: 1, outputPerM: 2 },
    ...extra,
  });
  writeFileSync(
    join(dir, 'good.json'),
    JSON.stringify({ models: [model('cn-fast', 'openai-chat', 'fast'), model('us-slow', 'anthropic', 'slow')] }),
  );
  writeFileSync(
    join(dir, 'mixed.json'),
    JSON.stringify({
      models: [
        model('cn-fast', 'ollama', 'fast'),
        model('us-locked', 'openai-chat', 'unauthorised', { apiKeyEnv: 'TS_TEST_KEY' }),
        model('us-drop', 'gemini', 'dropping'),
      ],
    }),
  );
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ models: [model('x', 'grpc', 'fast')] }));
});
afterAll(() => server.close());

describe('tokenscope bench', () => {
  it('exit 0 and the documented JSON shape when every run succeeds', async () => {
    const out = join(dir, 'out.json');
    const r = await cli([
      'bench',
      '--config',
      join(dir, 'good.json'),
      '--prompt',
      join(dir, 'prompt.md'),
      '--runs',
      '2',
      '--json',
      out,
    ]);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.results.map((x: { id: string }) => x.id)).toEqual(['cn-fast', 'us-slow']);
    for (const res of json.results) {
      expect(res.runs).toHaveLength(2);
      for (const run of res.runs) {
        expect(run).toMatchObject({ ok: true, error: null, tokenSource: 'usage' });
        for (const k of ['ttftMs', 'ttfoMs', 'decodeTps', 'e2eMs', 'inputTokens', 'outputTokens'])
          expect(typeof run[k]).toBe('number');
        expect(run).toHaveProperty('reasoningTokens');
      }
      for (const k of ['ttftMs', 'ttfoMs', 'decodeTps', 'e2eMs'])
        expect(res.summary[k]).toMatchObject({ median: expect.any(Number), p95: expect.any(Number) });
    }
    expect(json.results[1].runs[0].outputTokens).toBe(15);
    expect(r.stdout).toMatch(/tok\/s \(own tokens\)/);
    expect(r.stdout).toMatch(/cn-fast/);
  });

  it('--json - writes only JSON to stdout; the positional prompt works', async () => {
    const r = await cli([
      'bench',
      join(dir, 'prompt.md'),
      '--config',
      join(dir, 'good.json'),
      '--models',
      'us-slow',
      '--runs',
      '1',
      '--json',
      '-',
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.results).toHaveLength(1);
    expect(JSON.stringify(json)).not.toContain('the-right-key');
  });

  it('exit 1 with a specific error per failed run, and the successful runs intact', async () => {
    const out = join(dir, 'mixed-out.json');
    const r = await cli(
      ['bench', '--config', join(dir, 'mixed.json'), '--prompt', join(dir, 'prompt.md'), '--runs', '1', '--json', out],
      { TS_TEST_KEY: 'a-wrong-key' },
    );
    expect(r.code).toBe(1);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    const [ok, locked, dropped] = json.results;
    expect(ok.runs[0].ok).toBe(true);
    expect(ok.summary.decodeTps.median).toBeGreaterThan(0);
    expect(locked.runs[0].error).toMatch(/us-locked .*HTTP 401.*TS_TEST_KEY/);
    expect(dropped.runs[0].error).toMatch(/us-drop .*dropped mid-stream/);
    expect(dropped.runs[0].ttftMs).toBeGreaterThan(0);
    expect(readFileSync(out, 'utf8')).not.toContain('a-wrong-key');
    expect(r.stdout + r.stderr).not.toContain('a-wrong-key');
    expect(r.stdout).toMatch(/failed: us-locked/);
  });

  it('exit 2 naming the field for an invalid config', async () => {
    const r = await cli(['bench', '--config', join(dir, 'bad.json'), join(dir, 'prompt.md')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.json: models\[0\]\.protocol/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exit 2 for bad usage', async () => {
    expect((await cli(['bench', '--runs', '-3', join(dir, 'prompt.md')])).code).toBe(2);
    expect((await cli(['bench'])).stderr).toMatch(/no prompt/);
    expect((await cli(['bench', join(dir, 'missing.md')])).stderr).toMatch(/cannot read prompt file/);
    expect((await cli(['bench', '--models', 'nope', join(dir, 'prompt.md')])).stderr).toMatch(
      /unknown model id\(s\) nope/,
    );
  });

  it('first run with nothing to talk to: says what it looked for, exit 2, no invented numbers', async () => {
    const r = await cli(['bench', join(dir, 'prompt.md')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing to benchmark/);
    expect(r.stderr).toMatch(/DEEPSEEK_API_KEY/);
    expect(r.stderr).toMatch(/127\.0\.0\.1:9/);
    // …and says how to see the same thing now, with simulated numbers.
    expect(r.stderr).toContain('tokenscope demo (or: npm run demo)');
    expect(r.stdout).toBe('');
  });

  it('demo: a whole benchmark against the built-in test server, every number labelled simulated, nothing saved', async () => {
    const history = join(dir, 'demo-history.jsonl');
    const r = await cli(['demo', '--runs', '1', '--json', '-'], { TOKENSCOPE_HISTORY: history });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.simulated).toBe('demo');
    expect(json.note).toMatch(/^Simulated — demo: /);
    expect(json.results.map((x: { id: string }) => x.id)).toEqual(['demo-cn', 'demo-us', 'demo-local']);
    expect(json.results.every((x: { okRuns: number }) => x.okRuns === 1)).toBe(true);
    // The demo's CN model streams at 220 tok/s on the server's schedule; the table says it is simulated.
    expect(json.results[0].summary.decodeTps.median).toBeGreaterThan(200);
    expect(r.stderr.split('\n')[0]).toMatch(/^Simulated — demo: /);
    expect(r.stderr).toContain('SIMULATED — DEMO (not real measurements)\nmodel ');
    expect(r.stderr).toContain('They are never saved to the history.');
    expect(() => readFileSync(history)).toThrow();
    const refused = await cli(['bench', '--demo', '--history', history]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--demo runs are simulated and never saved: drop --history');
  });

  it('first run finds a local server on its usual port and uses it', async () => {
    const r = await cli(['bench', join(dir, 'prompt.md'), '--runs', '1', '--json', '-'], {
      TOKENSCOPE_LOCAL_PORTS: `openai:${server.port},ollama:${server.port}`,
    });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.results.length).toBe(2);
    expect(json.results.every((x: { region: string }) => x.region === 'local')).toBe(true);
  });
});
