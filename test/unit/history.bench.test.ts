/** `tokenscope bench --history FILE` against the local streaming test server: the runs land in the history. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { HistoryStore } from '../../src/core/history/store';
import { startStreamServer, type StreamServer } from '../server/streamServer';

let server: StreamServer;
let dir: string;
const PROMPT = 'Translate into French: the tokens arrive one by one.';

beforeAll(async () => {
  server = await startStreamServer();
  server.setModel('fast', { ttftMs: 20, tokensPerSecond: 400, outputTokens: 20 });
  server.setModel('locked', { ttftMs: 20, tokensPerSecond: 400, outputTokens: 20, requireKey: 'the-right-key' });
  dir = mkdtempSync(join(tmpdir(), 'tokenscope-bench-history-'));
  writeFileSync(join(dir, 'prompt.md'), PROMPT);
  const model = (id: string, name: string, region: string, extra = {}) => ({
    id,
    protocol: 'openai-chat',
    baseUrl: `${server.url}/v1`,
    model: name,
    region,
    tokenizer: 'o200k',
    price: { inputPerM: 1, outputPerM: 2 },
    ...extra,
  });
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      models: [
        model('cn-fast', 'fast', 'CN'),
        model('us-locked', 'locked', 'US', { apiKeyEnv: 'TS_HISTORY_TEST_KEY' }),
      ],
    }),
  );
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function bench(args: string[], env: NodeJS.ProcessEnv = {}) {
  const err: string[] = [];
  const io: Io = {
    out: () => {},
    err: (s) => void err.push(s),
    env: { TS_HISTORY_TEST_KEY: 'a-wrong-key-123456789', ...env },
    isTTY: false,
  };
  const status = await main(
    [
      'bench',
      '--config',
      join(dir, 'config.json'),
      '--prompt',
      join(dir, 'prompt.md'),
      '--runs',
      '2',
      '--no-progress',
      ...args,
    ],
    io,
  );
  return { status, err: err.join('\n') };
}

describe('bench --history', () => {
  it('appends one record per measured run, failed runs included, without keys or prompt text', async () => {
    const file = join(dir, 'h.jsonl');
    const r = await bench(['--history', file, '--warmup', '1']);
    expect(r.status).toBe(1); // the locked model fails
    expect(r.err).toContain(`History: 4 run(s) appended to ${file}`);
    const { records, warnings } = await new HistoryStore(file).read();
    expect(warnings).toEqual([]);
    expect(records.map((x) => [x.modelId, x.region, x.metrics.ok])).toEqual(
      expect.arrayContaining([
        ['cn-fast', 'CN', true],
        ['cn-fast', 'CN', true],
        ['us-locked', 'US', false],
        ['us-locked', 'US', false],
      ]),
    );
    expect(records).toHaveLength(4);
    const sha = createHash('sha256').update(PROMPT).digest('hex');
    for (const x of records) {
      expect(x.host).toBe(new URL(server.url).host);
      expect(x.promptHash).toBe(sha);
      expect(x.category).toBe('translation'); // classified from the prompt
      expect(x.prompt).toBeUndefined();
    }
    expect(records.find((x) => x.metrics.ok)?.metrics.decodeTps).toBeGreaterThan(0);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('a-wrong-key');
    expect(text).not.toContain(PROMPT);
  }, 60_000);

  it('takes the category from --category, stores the prompt with --store-prompt, and uses TOKENSCOPE_HISTORY', async () => {
    const file = join(dir, 'env.jsonl');
    const r = await bench(['--models', 'cn-fast', '--category', 'chat', '--store-prompt'], {
      TOKENSCOPE_HISTORY: file,
    });
    expect(r.status).toBe(0);
    const { records } = await new HistoryStore(file).read();
    expect(records).toHaveLength(2);
    expect(records.every((x) => x.category === 'chat' && x.prompt === PROMPT)).toBe(true);
  }, 60_000);

  it('rejects an unknown category before sending anything', async () => {
    const before = server.records.length;
    const r = await bench(['--history', join(dir, 'x.jsonl'), '--category', 'poetry']);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/--category: unknown category "poetry"/);
    expect(server.records.length).toBe(before);
  });
});
