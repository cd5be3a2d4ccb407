/**
 * A key never leaks: servers on 127.0.0.1 that echo the key they were sent — as model output (answer and
 * reasoning, split over network reads), in error bodies, HTML titles and redirect targets — plain, base64
 * (alone and inside a Basic-auth blob), URL-encoded, hex and reversed. Every output surface is scanned for any
 * 8-character piece of each form. Then the configs a shared file could use to send a key elsewhere are refused
 * before anything is sent, and an untrusted workspace's model settings are ignored.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore, recordsFromReport } from '../../src/core/history';
import { keyEnvConcerns, keyEnvReason } from '../../src/core/keyEnv';
import { modelsSettingValue, resolveModelList } from '../../src/core/modelList';
import { exportReport } from '../../src/core/report/export';
import { buildResultsView } from '../../src/core/report/resultsView';
import { formatReportTable } from '../../src/core/report/table';
import { runBenchmark } from '../../src/core/runner';
import type { BenchmarkReport, ModelSpec } from '../../src/core/types';
import { runCli, startRawServer, type RawServer } from '../integration/reliability.helpers';

const T = 20_000;
/** A key with characters that URL-encoding and base64 alignment change ('+', '/', '='). */
const KEY = `sk-${randomBytes(12).toString('base64')}+/=${randomBytes(12).toString('base64url')}`;
const KEY_ENV = 'TS_HOSTILE_API_KEY';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const reversed = (s: string) => [...s].reverse().join('');

/**
 * The key's forms as a scanner sees them, computed here independently of the code under test: base64 at each of
 * the three byte alignments with a margin trimmed off both ends, standard and URL-safe.
 */
function scannedForms(key: string): { text: string; n: number }[] {
  const forms = [
    { text: key, n: 8 },
    { text: reversed(key), n: 8 },
    { text: encodeURIComponent(key), n: 8 },
    { text: Buffer.from(key).toString('hex'), n: 16 },
  ];
  for (const pad of ['', 'a', 'ab']) {
    const core = b64(pad + key).slice(4, -4);
    forms.push({ text: core, n: 8 }, { text: core.replace(/\+/g, '-').replace(/\//g, '_'), n: 8 });
  }
  return forms;
}

function leaks(text: string): string[] {
  const found: string[] = [];
  for (const { text: form, n } of scannedForms(KEY))
    for (let i = 0; i + n <= form.length; i++)
      if (text.includes(form.slice(i, i + n))) found.push(form.slice(i, i + n));
  return found;
}

const expectNoKey = (what: string, text: string) => expect(leaks(text), `${what} leaks the key`).toEqual([]);

/** Each echo: how the server says the key back. */
const ECHOES: Record<string, (key: string) => string> = {
  plain: (k) => k,
  base64: (k) => b64(k),
  basic: (k) => `Basic ${b64(`user:${k}`)}`,
  'bearer-base64': (k) => b64(`Bearer ${k}`),
  url: (k) => encodeURIComponent(k),
  hex: (k) => Buffer.from(k).toString('hex'),
  reversed,
};

/** OpenAI chat-completion chunks, one network write each, so the echoed key is split across reads. */
async function streamPieces(
  res: import('node:http').ServerResponse,
  pieces: { answer?: string; reasoning?: string }[],
): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const chunk = (delta: object) =>
    `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model: 'echo', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
  res.write(chunk({ role: 'assistant', content: '' }));
  for (const p of pieces) {
    await new Promise((r) => setTimeout(r, 3));
    res.write(chunk(p.reasoning !== undefined ? { reasoning_content: p.reasoning } : { content: p.answer }));
  }
  res.write(
    `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model: 'echo', choices: [], usage: { prompt_tokens: 5, completion_tokens: pieces.length, total_tokens: 5 + pieces.length } })}\n\n`,
  );
  res.end('data: [DONE]\n\n');
}

/** Splits text into three pieces, so no single network read holds the whole echo. */
const thirds = (s: string) => [
  s.slice(0, s.length / 3),
  s.slice(s.length / 3, (2 * s.length) / 3),
  s.slice((2 * s.length) / 3),
];

/** Anthropic's Messages stream (named SSE events), saying the x-api-key back as thinking (base64) and text (reversed). */
async function anthropicEcho(res: import('node:http').ServerResponse, key: string): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const ev = (name: string, data: object) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
  res.write(
    ev('message_start', {
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-echo',
        content: [],
        usage: { input_tokens: 5, output_tokens: 1 },
      },
    }),
  );
  res.write(ev('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '' } }));
  for (const piece of thirds(b64(key))) {
    await new Promise((r) => setTimeout(r, 3));
    res.write(ev('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: piece } }));
  }
  res.write(ev('content_block_stop', { index: 0 }));
  res.write(ev('content_block_start', { index: 1, content_block: { type: 'text', text: '' } }));
  for (const piece of thirds(reversed(key))) {
    await new Promise((r) => setTimeout(r, 3));
    res.write(ev('content_block_delta', { index: 1, delta: { type: 'text_delta', text: piece } }));
  }
  res.write(ev('content_block_stop', { index: 1 }));
  res.write(
    ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 6 } }),
  );
  res.end(ev('message_stop', {}));
}

let echo: RawServer;
let dir: string;
const prompt = 'Repeat after me.';

beforeAll(async () => {
  echo = await startRawServer(async (req, res) => {
    if (req.path === '/v1/messages') return anthropicEcho(res, String(req.headers['x-api-key'] ?? ''));
    const key = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    const [where, form] = String(JSON.parse(req.body || '{}').model).split(':');
    const said = ECHOES[form]?.(key) ?? key;
    if (where === 'answer')
      return streamPieces(res, [
        { answer: 'Your key is ' },
        ...thirds(said).map((answer) => ({ answer })),
        { answer: ' — thanks.' },
      ]);
    if (where === 'reasoning')
      return streamPieces(res, [...thirds(said).map((reasoning) => ({ reasoning })), { answer: 'Done.' }]);
    if (where === 'error') {
      res.writeHead(401, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({ error: { message: `Incorrect API key provided: ${said}.`, type: 'invalid_request_error' } }),
      );
    }
    if (where === 'html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(`<html><head><title>Hello ${said}</title></head></html>`);
    }
    res.writeHead(302, { location: `https://login.example/?k=${said}` });
    res.end();
  });
  dir = mkdtempSync(join(tmpdir(), 'tokenscope-hostile-secrets-'));
  writeFileSync(join(dir, 'prompt.md'), prompt);
});
afterAll(async () => {
  await echo?.close();
});

const WHERE = ['answer', 'reasoning', 'error', 'html', 'redirect'];
function echoModels(): ModelSpec[] {
  return [
    ...WHERE.flatMap((where) =>
      Object.keys(ECHOES).map((form): ModelSpec => ({
        id: `${where}-${form}`,
        protocol: 'openai-chat',
        baseUrl: `${echo.url}/v1`,
        model: `${where}:${form}`,
        region: 'US',
        tokenizer: 'o200k',
        apiKeyEnv: KEY_ENV,
      })),
    ),
    {
      id: 'anthropic-echo',
      protocol: 'anthropic',
      baseUrl: echo.url,
      model: 'claude-echo',
      region: 'US',
      tokenizer: 'claude',
      apiKeyEnv: KEY_ENV,
    },
  ];
}

describe('an echoed key, in any common form, reaches no output', () => {
  let report: BenchmarkReport;
  beforeAll(async () => {
    report = await runBenchmark({
      models: echoModels(),
      prompt,
      runs: 1,
      warmup: 0,
      concurrency: 8,
      timeoutMs: 10_000,
      stallTimeoutMs: 5_000,
      resolveApiKey: () => KEY,
    });
  }, T);

  it('the servers really echoed it, and what surrounds it is kept', () => {
    expect(echo.seen.every((r) => r.headers.authorization === `Bearer ${KEY}` || r.headers['x-api-key'] === KEY)).toBe(
      true,
    );
    const run = (id: string) => report.results.find((r) => r.id === id)!.runs[0];
    const anthropic = run('anthropic-echo');
    expect(anthropic.ok).toBe(true);
    expect(anthropic.reasoningText).toContain('***');
    expect(anthropic.answerText).toContain('***');
    for (const form of Object.keys(ECHOES)) {
      expect(run(`answer-${form}`).ok, form).toBe(true);
      expect(run(`answer-${form}`).answerText, form).toMatch(/^Your key is .*\*\*\*.* — thanks\.$/);
      expect(run(`reasoning-${form}`).reasoningText, form).toContain('***');
      expect(run(`error-${form}`).errorKind).toBe('auth');
      expect(run(`error-${form}`).error).toMatch(/Incorrect API key provided: .*\*\*\*/);
      expect(run(`html-${form}`).error).toMatch(/HTML page instead of a stream \("Hello .*\*\*\*/);
      expect(run(`redirect-${form}`).error).toMatch(/redirected to https:\/\/login\.example\/\?k=.*\*\*\*/);
    }
    // Tokens were counted on what arrived, before the key was taken out.
    expect(run('answer-plain').tokenizerCount).toBeGreaterThan(10);
  });

  it('report JSON, table, exports, results view, history', async () => {
    expectNoKey('report JSON', JSON.stringify(report));
    expectNoKey('table', formatReportTable(report));
    for (const f of ['json', 'csv', 'markdown'] as const) expectNoKey(`${f} export`, exportReport(report, f));
    expectNoKey('results view', JSON.stringify(buildResultsView(report)));
    const history = join(dir, 'h.jsonl');
    await new HistoryStore(history, { sync: false }).append(
      recordsFromReport(report, { category: 'chat', prompt, storePrompt: true }),
    );
    expectNoKey('history', readFileSync(history, 'utf8'));
  });

  it('CLI: table, --json -, --json FILE and history', { timeout: T }, async () => {
    const cfg = join(dir, 'echo.json');
    writeFileSync(cfg, JSON.stringify({ models: echoModels() }));
    const jsonFile = join(dir, 'out.json');
    const history = join(dir, 'cli-h.jsonl');
    const env = { [KEY_ENV]: KEY };
    const a = await runCli(
      [
        'bench',
        cfg.replace(/echo\.json$/, 'prompt.md'),
        '--config',
        cfg,
        '--runs',
        '1',
        '--warmup',
        '0',
        '--concurrency',
        '8',
        '--json',
        jsonFile,
        '--history',
        history,
      ],
      env,
    );
    const b = await runCli(
      [
        'bench',
        join(dir, 'prompt.md'),
        '--config',
        cfg,
        '--runs',
        '1',
        '--warmup',
        '0',
        '--concurrency',
        '8',
        '--json',
        '-',
      ],
      env,
    );
    expect(a.code).toBe(1);
    expect(JSON.parse(b.out).results).toHaveLength(echoModels().length);
    for (const [what, text] of [
      ['table', a.out + a.err],
      ['--json -', b.out + b.err],
      ['--json FILE', readFileSync(jsonFile, 'utf8')],
      ['history', readFileSync(history, 'utf8')],
    ])
      expectNoKey(what, text);
  });
});

describe('a config cannot send a key elsewhere', () => {
  const promptFile = () => join(dir, 'prompt.md');
  const bench = async (model: object, env: Record<string, string> = {}, extra: string[] = []) => {
    const cfg = join(dir, `cfg-${randomBytes(4).toString('hex')}.json`);
    writeFileSync(cfg, JSON.stringify({ models: [model] }));
    const before = echo.seen.length;
    const r = await runCli(['bench', promptFile(), '--config', cfg, '--runs', '1', '--warmup', '0', ...extra], env);
    return { ...r, sent: echo.seen.length - before };
  };
  const base = () => ({
    id: 'm',
    protocol: 'openai-chat',
    baseUrl: `${echo.url}/v1`,
    model: 'answer:plain',
    region: 'US',
    apiKeyEnv: KEY_ENV,
  });

  it('a baseUrl with user:password@ is refused, naming the field; nothing is sent', async () => {
    const r = await bench(
      { ...base(), baseUrl: `http://user:${encodeURIComponent(KEY)}@127.0.0.1:${echo.port}/v1` },
      { [KEY_ENV]: KEY },
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/models\[0\]\.baseUrl: must not contain a user name or password/);
    expect(r.sent).toBe(0);
    expectNoKey('its message', r.out + r.err);
  });

  for (const [name, value] of [
    ['Proxy-Authorization', 'Basic dXNlcjpwYXNz'],
    ['Cookie', 'session=abc123'],
    ['X-Auth-Token', 'abc123'],
    ['X-Forward', 'Bearer abc123'],
  ]) {
    it(`a ${name} header is refused; nothing is sent`, async () => {
      const r = await bench({ ...base(), headers: { [name]: value } }, { [KEY_ENV]: KEY });
      expect(r.code).toBe(2);
      expect(r.err).toContain(`models[0].headers.${name}: must not hold API keys or other credentials`);
      expect(r.sent).toBe(0);
    });
  }

  it(
    'apiKeyEnv naming a cloud credential needs --allow-key-env; with it the run goes ahead',
    { timeout: T },
    async () => {
      const model = { ...base(), apiKeyEnv: 'AWS_SECRET_ACCESS_KEY' };
      const env = { AWS_SECRET_ACCESS_KEY: KEY };
      const refused = await bench(model, env);
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(
        /model "m" would send the value of AWS_SECRET_ACCESS_KEY to 127\.0\.0\.1:\d+ as its API key, but AWS_SECRET_ACCESS_KEY is a cloud, CI or machine credential.*pass --allow-key-env AWS_SECRET_ACCESS_KEY/,
      );
      expect(refused.sent).toBe(0);
      const allowed = await bench(model, env, ['--allow-key-env', 'AWS_SECRET_ACCESS_KEY']);
      expect(allowed.code).toBe(0);
      expect(allowed.sent).toBe(1);
      expectNoKey('the allowed run', allowed.out + allowed.err);
    },
  );

  it("a provider's key sent to another host, or a variable not named like a key, needs confirming", async () => {
    const r = await bench(
      { ...base(), baseUrl: 'https://collector.invalid/v1', apiKeyEnv: 'OPENAI_API_KEY' },
      { OPENAI_API_KEY: KEY },
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/OPENAI_API_KEY holds the key of api\.openai\.com, not of collector\.invalid/);
    expect(keyEnvReason('HOME', 'https://api.example')).toMatch(/not named like an API-key variable/);
    expect(keyEnvReason('GITHUB_TOKEN', 'https://api.example')).toMatch(/cloud, CI or machine credential/);
    for (const [env, url] of [
      ['OPENAI_API_KEY', 'https://api.openai.com/v1'],
      ['OPENAI_API_KEY', 'http://127.0.0.1:8000/v1'],
      ['OPENROUTER_API_KEY', 'https://openrouter.ai/api/v1'],
      ['HF_TOKEN', 'https://router.huggingface.co/v1'],
    ])
      expect(keyEnvReason(env, url), `${env} → ${url}`).toBeUndefined();
    const spec = { ...base(), apiKeyEnv: 'HOME' } as ModelSpec;
    expect(keyEnvConcerns([spec], [`HOME@127.0.0.1:${echo.port}`])).toEqual([]);
    expect(keyEnvConcerns([spec], ['HOME@other.example'])).toHaveLength(1);
  });
});

describe('an untrusted workspace cannot choose where keys go', () => {
  const hostile = [{ id: 'deepseek-v4-flash', baseUrl: 'https://collector.invalid/v1' }];
  const mine = [
    { id: 'my-local', protocol: 'ollama', baseUrl: 'http://127.0.0.1:11434', model: 'qwen3', region: 'local' },
  ];

  it('only user settings count when the workspace is not trusted', () => {
    const scopes = { defaultValue: [], globalValue: mine, workspaceValue: hostile };
    const untrusted = modelsSettingValue(scopes, false);
    expect(untrusted).toEqual({ value: mine, ignored: true });
    const models = resolveModelList(untrusted.value).models;
    expect(models.find((m) => m.id === 'deepseek-v4-flash')!.baseUrl).toBe('https://api.deepseek.com');
    expect(models.some((m) => m.id === 'my-local')).toBe(true);
    expect(modelsSettingValue({ defaultValue: [], workspaceFolderValue: hostile }, false)).toEqual({
      value: [],
      ignored: true,
    });
    expect(modelsSettingValue({ defaultValue: [], globalValue: mine }, false)).toEqual({ value: mine, ignored: false });
  });

  it('a trusted workspace uses its own settings, the folder before the workspace', () => {
    expect(modelsSettingValue({ defaultValue: [], globalValue: mine, workspaceValue: hostile }, true).value).toBe(
      hostile,
    );
    expect(
      modelsSettingValue({ defaultValue: [], workspaceValue: mine, workspaceFolderValue: hostile }, true).value,
    ).toBe(hostile);
  });

  it('the manifest restricts tokenscope.models in untrusted workspaces', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
    expect(pkg.capabilities.untrustedWorkspaces).toMatchObject({
      supported: 'limited',
      restrictedConfigurations: ['tokenscope.models'],
    });
    const pattern = new RegExp(
      pkg.contributes.configuration.properties['tokenscope.models'].items.properties.baseUrl.pattern,
    );
    expect(pattern.test('https://api.deepseek.com/v1')).toBe(true);
    expect(pattern.test('https://user:pass@api.deepseek.com/v1')).toBe(false);
  });
});
