/**
 * Spec-Bench ordering check. Spec-Bench (Xia et al. 2024) measured prompt lookup decoding on Vicuna-7B at
 * multi-turn 1.60, translation 1.06, summarization 2.66, QA 1.19, math 1.62, RAG 1.86. The fixtures in
 * test/fixtures/advisor/specbench are prompts and outputs written by hand in the style of each task (two per task;
 * Vicuna's system prompt, CNN/DM-style articles, WMT de→en sentences, NQ questions, GSM8K-style problems,
 * retrieved passages, MT-Bench-style second turns); they are not Spec-Bench's data or Vicuna's outputs. The check:
 * replaying PLD over them ranks the tasks in the published groups — summarization and RAG above math and
 * multi-turn, above QA and translation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  estimatePromptLookupFromReplay,
  replayPromptLookup,
  SPEC_BENCH,
  simpleTokenizer,
  type SpecBenchTask,
} from '../../src/core/advisor';
import { loadTokenizer } from '../../src/core/tokenizers';

const DIR = join(__dirname, '..', 'fixtures/advisor/specbench');

function readSample(file: string): { prompt: string; output: string } {
  const text = readFileSync(join(DIR, file), 'utf8');
  const m = text.match(/^<<<PROMPT>>>\n([\s\S]*?)\n<<<OUTPUT>>>\n([\s\S]*)$/);
  if (!m) throw new Error(`${file}: expected <<<PROMPT>>> … <<<OUTPUT>>> …`);
  return { prompt: m[1], output: m[2].trimEnd() };
}

const TOP: SpecBenchTask[] = ['summarization', 'rag'];
const MIDDLE: SpecBenchTask[] = ['math', 'multi-turn'];
const BOTTOM: SpecBenchTask[] = ['qa', 'translation'];

function taskSpeedups(encode: (s: string) => number[]): Record<SpecBenchTask, number> {
  const byTask = new Map<SpecBenchTask, number[]>();
  for (const file of readdirSync(DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()) {
    const task = file.replace(/-\d+\.txt$/, '') as SpecBenchTask;
    const { prompt, output } = readSample(file);
    const e = estimatePromptLookupFromReplay(replayPromptLookup(encode(prompt), encode(output)));
    byTask.set(task, [...(byTask.get(task) ?? []), e.speedup!]);
  }
  return Object.fromEntries([...byTask].map(([t, xs]) => [t, xs.reduce((a, b) => a + b, 0) / xs.length])) as Record<
    SpecBenchTask,
    number
  >;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('Spec-Bench ordering of the PLD estimator', () => {
  let o200k: Record<SpecBenchTask, number>;
  beforeAll(async () => {
    const tok = await loadTokenizer('o200k');
    o200k = taskSpeedups((s) => tok.encode(s));
  });

  it('has two samples for each of the six task types', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.txt'));
    for (const t of Object.keys(SPEC_BENCH.speedup.PLD))
      expect(files.filter((f) => f.startsWith(`${t}-`))).toHaveLength(2);
  });

  it('the published groups hold (o200k): summarization and RAG > math and multi-turn > QA and translation', () => {
    // Group means, as the advisor reports them …
    expect(mean(TOP.map((t) => o200k[t]))).toBeGreaterThan(mean(MIDDLE.map((t) => o200k[t])));
    expect(mean(MIDDLE.map((t) => o200k[t]))).toBeGreaterThan(mean(BOTTOM.map((t) => o200k[t])));
    // … and the stricter form: every task of a higher group above every task of a lower one.
    expect(Math.min(...TOP.map((t) => o200k[t]))).toBeGreaterThan(Math.max(...MIDDLE.map((t) => o200k[t])));
    expect(Math.min(...MIDDLE.map((t) => o200k[t]))).toBeGreaterThan(Math.max(...BOTTOM.map((t) => o200k[t])));
  });

  it('the groups hold with the stand-in word tokenizer too', () => {
    const tok = simpleTokenizer();
    const s = taskSpeedups((x) => tok.encode(x));
    expect(Math.min(...TOP.map((t) => s[t]))).toBeGreaterThan(Math.max(...MIDDLE.map((t) => s[t])));
    expect(Math.min(...MIDDLE.map((t) => s[t]))).toBeGreaterThan(Math.max(...BOTTOM.map((t) => s[t])));
  });
});
