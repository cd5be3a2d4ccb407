#!/usr/bin/env node
// Peak RSS and wall time of the CLI against hostile servers and inputs (the cases of test/hostile), each a
// spawned `node dist/cli.js …` measured from spawn to exit. Usage: npm run bench:hostile
// Target: every case under 300 MB and within its timeout + 2 s.
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostileConfig, runCliChild } from '../test/hostile/child.mjs';
import { startHostileServer } from '../test/hostile/servers.mjs';

const RSS_LIMIT_MB = 300;
const TIMEOUT_MS = 10_000;

if (!existsSync(fileURLToPath(new URL('../dist/cli.js', import.meta.url)))) {
  console.error('dist/cli.js is missing: run "node esbuild.mjs" first (npm run bench:hostile does).');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'tokenscope-bench-hostile-'));
const server = await startHostileServer();
const drip = await startHostileServer({ modelList: 'drip' });
const huge = await startHostileServer({ modelList: 'huge' });
const prompt = join(dir, 'prompt.md');
writeFileSync(prompt, 'Write a haiku about tokens.');
const config = (model, protocol = 'openai-chat', settings = {}) => {
  const file = join(dir, `${model}-${Object.values(settings).join('-')}.json`);
  writeFileSync(file, hostileConfig(server.url, model, protocol, { timeoutMs: TIMEOUT_MS, ...settings }));
  return file;
};
const bench = (model, protocol, settings) => [
  'bench',
  prompt,
  '--config',
  config(model, protocol, settings),
  '--json',
  '-',
  '--no-progress',
];

// A 600 MiB line between two records, in a sparse file (no disk used).
const giant = join(dir, 'giant-line.jsonl');
const rec = (time) =>
  JSON.stringify({
    v: 1,
    time,
    modelId: 'm',
    region: 'CN',
    protocol: 'openai-chat',
    host: 'h',
    promptHash: 'f'.repeat(64),
    category: 'chat',
    tokenSource: 'usage',
    toolVersion: '0.1.0',
    metrics: {
      ok: true,
      error: null,
      reasoningVisible: false,
      chunks: 1,
      setupMs: 1,
      ttftMs: 1,
      ttfoMs: 1,
      decodeTps: 40,
      e2eMs: 1,
      itlMs: 1,
      interChunkP50Ms: 1,
      interChunkP95Ms: 1,
      inputTokens: 1,
      outputTokens: 1,
      reasoningTokens: null,
      cachedInputTokens: null,
      streamedTokens: 1,
      costUsd: 0,
      charsPerSec: 1,
      normalizedTps: 40,
      serverDecodeTps: null,
    },
  }) + '\n';
const first = rec(new Date(Date.now() - 86_400_000).toISOString());
const fd = openSync(giant, 'w');
writeSync(fd, first, 0);
writeSync(fd, '\n' + rec(new Date().toISOString()), Buffer.byteLength(first) + 600 * 1024 * 1024);
closeSync(fd);

const cases = [
  ['endless stream, max tokens 512 (2 MiB cap)', bench('endless')],
  ['endless stream, max tokens 16,000 (16 MiB cap)', bench('endless', 'openai-chat', { maxTokens: 16_000 })],
  ['100 MB NDJSON line, max tokens 512', bench('ndjson-line', 'ollama')],
  ['100 MB NDJSON line, max tokens 16,000', bench('ndjson-line', 'ollama', { maxTokens: 16_000 })],
  ['14 MiB of junk SSE fields, then a stream (max tokens 16,000)', bench('junk', 'openai-chat', { maxTokens: 16_000 })],
  ['--runs 1000000000', ['bench', prompt, '--runs', '1000000000']],
  ['history import /dev/zero', ['history', 'import', '/dev/zero', '--history', join(dir, 'h.jsonl')]],
  ['report on a history with a 600 MiB line', ['report', '--format', 'json', '--history', giant]],
  [
    'discovery: /v1/models drips a byte per 100 ms',
    ['bench', prompt],
    { TOKENSCOPE_LOCAL_PORTS: `openai:${drip.port}` },
  ],
  ['discovery: endless /v1/models body', ['bench', prompt], { TOKENSCOPE_LOCAL_PORTS: `openai:${huge.port}` }],
];

let failed = 0;
console.log(`${'case'.padEnd(62)} ${'exit'.padStart(4)} ${'time s'.padStart(7)} ${'peak RSS MB'.padStart(12)}`);
try {
  for (const [name, args, env] of cases) {
    const r = await runCliChild(args, { env, killAfterMs: 60_000 });
    const bad = r.killed || r.maxRssMb === undefined || r.maxRssMb >= RSS_LIMIT_MB || r.ms >= TIMEOUT_MS + 2000;
    if (bad) failed++;
    console.log(
      `${name.padEnd(62)} ${String(r.code).padStart(4)} ${(r.ms / 1000).toFixed(2).padStart(7)} ${(r.maxRssMb?.toFixed(0) ?? '—').padStart(12)}${bad ? '  over target' : ''}`,
    );
  }
  const slow = await runCliChild(bench('endless-slow', 'openai-chat', { timeoutMs: 60_000 }), {
    sigintAfterMs: 2000,
    killAfterMs: 30_000,
  });
  console.log(`Ctrl-C while streaming: exit ${(slow.sigintToExitMs ?? NaN).toFixed(0)} ms after SIGINT`);
} finally {
  await Promise.all([server.close(), drip.close(), huge.close()]);
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  failed
    ? `${failed} case(s) over target (${RSS_LIMIT_MB} MB, timeout + 2 s)`
    : `all cases under ${RSS_LIMIT_MB} MB and within the timeout + 2 s`,
);
process.exitCode = failed ? 1 : 0;
