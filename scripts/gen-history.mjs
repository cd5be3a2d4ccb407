#!/usr/bin/env node
// Writes a synthetic benchmark history (JSON Lines) for demos and benchmarks.
// Usage: node scripts/gen-history.mjs OUT_FILE [--records N] [--weeks W] [--seed S] [--end ISO]
// Deterministic for a given seed. Records look like real ones (same fields and sizes), prompt text excluded.
import { createWriteStream } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const MODELS = [
  {
    id: 'deepseek-v4-flash',
    label: 'DeepSeek V4 Flash',
    region: 'CN',
    protocol: 'openai-chat',
    host: 'api.deepseek.com',
    tps: 62,
    inP: 0.28,
    outP: 0.42,
  },
  {
    id: 'qwen3.7-max',
    label: 'Qwen3.7 Max',
    region: 'CN',
    protocol: 'openai-chat',
    host: 'dashscope-intl.aliyuncs.com',
    tps: 78,
    inP: 0.4,
    outP: 1.2,
  },
  {
    id: 'kimi-k3',
    label: 'Kimi K3',
    region: 'CN',
    protocol: 'openai-chat',
    host: 'api.moonshot.ai',
    tps: 55,
    inP: 0.6,
    outP: 2.5,
  },
  {
    id: 'gpt-6-luna',
    label: 'GPT-6 Luna',
    region: 'US',
    protocol: 'openai-chat',
    host: 'api.openai.com',
    tps: 70,
    inP: 0.4,
    outP: 1.6,
  },
  {
    id: 'claude-haiku-4.5',
    label: 'Claude Haiku 4.5',
    region: 'US',
    protocol: 'anthropic',
    host: 'api.anthropic.com',
    tps: 66,
    inP: 1,
    outP: 5,
  },
  {
    id: 'gemini-3.5-flash',
    label: 'Gemini 3.5 Flash',
    region: 'US',
    protocol: 'gemini',
    host: 'generativelanguage.googleapis.com',
    tps: 120,
    inP: 0.3,
    outP: 2.5,
  },
  {
    id: 'llama3.1:8b',
    label: 'Llama 3.1 8B (Ollama)',
    region: 'local',
    protocol: 'ollama',
    host: '127.0.0.1:11434',
    tps: 38,
  },
];
export const CATEGORIES = ['coding-edit', 'coding-generate', 'reasoning', 'summarization', 'translation', 'chat'];

/** mulberry32: small, fast, seedable. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function* generateRecords({ records = 100_000, weeks = 52, seed = 1, end = '2026-12-28T00:00:00Z' } = {}) {
  const rand = prng(seed);
  const endMs = Date.parse(end);
  const spanMs = weeks * 7 * 86_400_000;
  const hashes = Array.from({ length: 40 }, (_, i) => (i.toString(16).padStart(2, '0') + 'ab'.repeat(31)).slice(0, 64));
  for (let i = 0; i < records; i++) {
    const m = MODELS[Math.floor(rand() * MODELS.length)];
    const t = endMs - spanMs + Math.floor((i / records) * spanMs) + Math.floor(rand() * 60_000);
    const weekFrac = (t - (endMs - spanMs)) / spanMs;
    const ok = rand() > 0.03;
    const tps = m.tps * (0.7 + 0.6 * rand()) * (m.region === 'CN' ? 0.8 + 0.55 * weekFrac : 1);
    const outTok = 200 + Math.floor(rand() * 600);
    const inTok = 300 + Math.floor(rand() * 2000);
    const ttft = 150 + rand() * 1500;
    const cost = m.inP === undefined ? null : (inTok * m.inP + outTok * m.outP) / 1e6;
    const decode = ok ? tps : null;
    yield {
      v: 1,
      time: new Date(t).toISOString(),
      modelId: m.id,
      label: m.label,
      region: m.region,
      protocol: m.protocol,
      host: m.host,
      promptHash: hashes[Math.floor(rand() * hashes.length)],
      category: CATEGORIES[Math.floor(rand() * CATEGORIES.length)],
      tokenSource: 'usage',
      toolVersion: '0.1.0',
      metrics: {
        ok,
        error: ok ? null : `${m.id}: HTTP 503 Service Unavailable — the server is overloaded; try again later.`,
        ...(ok ? {} : { errorKind: 'overloaded' }),
        reasoningVisible: false,
        chunks: ok ? Math.floor(outTok / 3) : 0,
        setupMs: ok ? 80 + rand() * 300 : null,
        ttftMs: ok ? ttft : null,
        ttfoMs: ok ? ttft + 5 : null,
        decodeTps: decode,
        e2eMs: ok ? ttft + (outTok / tps) * 1000 : null,
        itlMs: ok ? 1000 / tps : null,
        interChunkP50Ms: ok ? 3000 / tps : null,
        interChunkP95Ms: ok ? 9000 / tps : null,
        inputTokens: ok ? inTok : null,
        outputTokens: ok ? outTok : null,
        reasoningTokens: null,
        cachedInputTokens: null,
        streamedTokens: ok ? outTok : null,
        hiddenTokens: ok ? 0 : null,
        costUsd: ok ? cost : null,
        charsPerSec: ok ? tps * 3.9 : null,
        normalizedTps: ok ? tps * (0.9 + 0.2 * rand()) : null,
        serverDecodeTps: ok && m.region === 'local' ? tps * 1.05 : null,
      },
    };
  }
}

export async function writeHistory(path, options) {
  const out = createWriteStream(path);
  let buf = '';
  let n = 0;
  for (const r of generateRecords(options)) {
    buf += JSON.stringify(r) + '\n';
    n++;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((res) => out.once('drain', res));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise((res, rej) => out.on('finish', res).on('error', rej));
  return n;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const out = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  if (!out) {
    console.error('usage: node scripts/gen-history.mjs OUT_FILE [--records N] [--weeks W] [--seed S] [--end ISO]');
    process.exit(2);
  }
  const opt = (name, d) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : d;
  };
  const n = await writeHistory(out, {
    records: Number(opt('--records', 100_000)),
    weeks: Number(opt('--weeks', 52)),
    seed: Number(opt('--seed', 1)),
    end: opt('--end', '2026-12-28T00:00:00Z'),
  });
  console.log(`wrote ${n} records to ${out}`);
}
