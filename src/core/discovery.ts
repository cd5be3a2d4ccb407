/**
 * Finds local model servers on their usual loopback ports, briefly, so a first run on a fresh
 * machine has something real to measure without any config.
 */
import * as http from 'node:http';
import { DISCOVERY_DEADLINE_MS, DISCOVERY_MAX_BODY } from './limits';
import { printable } from './terminalText';
import type { ModelSpec, TokenizerFamily } from './types';

export interface LocalServerProbe {
  name: string;
  port: number;
  /** ollama: GET /api/tags; openai: GET /v1/models */
  kind: 'ollama' | 'openai';
}

export const DEFAULT_PROBES: readonly LocalServerProbe[] = [
  { name: 'Ollama', port: 11434, kind: 'ollama' },
  { name: 'llama.cpp server', port: 8080, kind: 'openai' },
  { name: 'vLLM', port: 8000, kind: 'openai' },
  { name: 'LM Studio', port: 1234, kind: 'openai' },
];

/** Parses TOKENSCOPE_LOCAL_PORTS ("ollama:11434,openai:8080") to override where to look. */
export function probesFromEnv(value: string | undefined): LocalServerProbe[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [kind, port] = s.split(':');
      if ((kind !== 'ollama' && kind !== 'openai') || !/^\d+$/.test(port ?? ''))
        throw new Error(`TOKENSCOPE_LOCAL_PORTS: "${s}" should look like ollama:11434 or openai:8080`);
      return { name: `${kind} on ${port}`, port: Number(port), kind };
    });
}

/**
 * GET and parse JSON, or undefined. Bounded: the whole exchange (connect, headers, body) within
 * `deadlineMs` even if the server drips bytes, and at most DISCOVERY_MAX_BODY bytes read.
 */
function getJson(url: string, deadlineMs: number): Promise<unknown> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (value: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(undefined), deadlineMs);
    const req = http.get(url, (res) => {
      if (res.statusCode !== 200) return done(undefined);
      const parts: Buffer[] = [];
      let bytes = 0;
      res.on('data', (b: Buffer) => {
        bytes += b.length;
        if (bytes > DISCOVERY_MAX_BODY) return done(undefined);
        parts.push(b);
      });
      res.on('end', () => {
        try {
          done(JSON.parse(Buffer.concat(parts).toString('utf8')));
        } catch {
          done(undefined);
        }
      });
      res.on('error', () => done(undefined));
    });
    req.on('error', () => done(undefined));
  });
}

/** Best guess of a local model's tokenizer from its name; undefined when unsure. */
export function guessTokenizer(modelName: string): TokenizerFamily | undefined {
  const n = modelName.toLowerCase();
  if (n.includes('deepseek-v3') || (n.includes('deepseek-r1') && !n.includes('distill'))) return 'deepseek-v3';
  if (n.includes('qwen2.5') || n.includes('qwen3') || n.includes('qwq')) return 'qwen3';
  if (n.includes('llama3') || n.includes('llama-3') || n.includes('llama 3')) return 'llama3';
  if (n.includes('gpt-oss')) return 'o200k';
  return undefined;
}

/**
 * Probes each local server at once; returns one model spec per server that answered (its first model).
 * `deadlineMs` bounds each probe as a whole, so discovery never takes longer than that.
 */
export async function discoverLocalModels(
  probes: readonly LocalServerProbe[] = DEFAULT_PROBES,
  deadlineMs = DISCOVERY_DEADLINE_MS,
  host = '127.0.0.1',
): Promise<ModelSpec[]> {
  const found = await Promise.all(
    probes.map(async (probe): Promise<ModelSpec | undefined> => {
      const base = `http://${host}:${probe.port}`;
      if (probe.kind === 'ollama') {
        const tags = (await getJson(`${base}/api/tags`, deadlineMs)) as { models?: { name?: string }[] } | undefined;
        const name = tags?.models?.[0]?.name;
        if (typeof name !== 'string' || !name) return undefined;
        // The name is the server's: sent back as is, shown (id, label) with control characters escaped.
        return {
          id: `local-ollama-${printable(name)}`,
          protocol: 'ollama',
          baseUrl: base,
          model: name,
          region: 'local',
          label: `${printable(name)} (Ollama, local)`,
          tokenizer: guessTokenizer(name),
        };
      }
      const list = (await getJson(`${base}/v1/models`, deadlineMs)) as { data?: { id?: string }[] } | undefined;
      const name = list?.data?.[0]?.id;
      if (typeof name !== 'string' || !name) return undefined;
      return {
        id: `local-${probe.port}-${printable(name)}`,
        protocol: 'openai-chat',
        baseUrl: `${base}/v1`,
        model: name,
        region: 'local',
        label: `${printable(name)} (${probe.name}, local)`,
        tokenizer: guessTokenizer(name),
      };
    }),
  );
  return found.filter((m): m is ModelSpec => m !== undefined);
}
