/** advise(): the JSON contract, flags and verdicts; and the `tokenscope advise` command in-process. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { advise, type AdviseTokenizer } from '../../src/core/advisor';
import { loadTokenizer } from '../../src/core/tokenizers';
import { main } from '../../src/cli/main';
import type { Io } from '../../src/cli/io';

const FIX = join(__dirname, '..', 'fixtures/advisor');
const read = (f: string) => readFileSync(join(FIX, f), 'utf8');
let o200k: AdviseTokenizer;
beforeAll(async () => {
  const t = await loadTokenizer('o200k');
  o200k = { encode: (s) => t.encode(s), name: t.name };
});

describe('advise', () => {
  it('coding edit with its output: the replay flags prompt lookup, in the advisor’s wording', () => {
    const a = advise({
      prompt: read('coding-edit.prompt.md'),
      output: read('coding-edit.output.md'),
      tokenizer: o200k,
    });
    expect(a.category).toBe('coding-edit');
    expect(a.flagged).toBe(true);
    expect(a.technique).toBe('prompt-lookup');
    const pl = a.estimates.promptLookup;
    expect(pl.basis).toBe('replay');
    expect(pl.speedup!).toBeGreaterThan(1.3);
    expect(pl.copiedShare!).toBeGreaterThan(0.5);
    expect(a.verdict).toMatch(
      /^Coding edit — \d+% of the output is copied from the prompt; prompt-lookup speculation would give about \d\.\d× \(vLLM ngram, llama\.cpp lookup; OpenAI predicted outputs on hosted APIs\)/,
    );
    expect(a.verdict).toMatch(/Estimated\.$/);
    expect(a.tokenizer).toBe('o200k_base');
    expect(a.replay!.outputTokens).toBe(pl.outputTokens);
    expect(a.label).toBe('estimated');
  });

  it('the JSON has the documented shape', () => {
    const a = JSON.parse(JSON.stringify(advise({ prompt: 'Prove that there are infinitely many primes.' })));
    expect(Object.keys(a)).toEqual(
      expect.arrayContaining(['category', 'flagged', 'verdict', 'estimates', 'reasons', 'assumptions']),
    );
    expect(typeof a.estimates.promptLookup.speedup).toBe('number');
    expect(typeof a.estimates.draftModel.speedup).toBe('number');
    expect(a.estimates.promptLookup.basis).toBe('category');
    expect(a.estimates.draftModel.gamma).toBe(3);
    expect(a.estimates.draftModel.c).toBe(0.05);
    expect(a.assumptions.join(' ')).toMatch(/γ = 3/);
  });

  it('reasoning without an output: flagged for a model-based drafter, named', () => {
    const a = advise({ prompt: read('reasoning.prompt.md') });
    expect(a.category).toBe('reasoning');
    expect(a.flagged).toBe(true);
    expect(a.technique).toBe('draft-model');
    expect(a.verdict).toMatch(
      /^Reasoning — model-based drafters gain most on math reasoning: a model-based drafter \(an MTP or EAGLE draft head/,
    );
    expect(a.estimates.promptLookup.speedup).toBe(1.62); // Spec-Bench PLD, math
  });

  it('coding edit without an output: names prompt lookup, flags on the model-based estimate', () => {
    const a = advise({
      prompt: 'Rename `cfg` to `config` everywhere.',
      context: { languageId: 'python', selectionIsCode: true },
    });
    expect(a.category).toBe('coding-edit');
    expect(a.estimates.promptLookup.speedup).toBeNull();
    expect(a.flagged).toBe(true);
    expect(a.verdict).toMatch(
      /prompt lookup \(vLLM ngram, llama\.cpp lookup; OpenAI predicted outputs on hosted APIs\) should fit: pass the output/,
    );
  });

  it('translation and plain questions are not flagged', () => {
    const t = advise({ prompt: 'Translate into German: "Where is the train station?"' });
    expect(t.category).toBe('translation');
    expect(t.flagged).toBe(false);
    expect(t.technique).toBeNull();
    expect(t.verdict).toMatch(/not flagged\.$/);
    const q = advise({ prompt: 'Who wrote The Count of Monte Cristo?' });
    expect(q.flagged).toBe(false);
  });

  it('a replay overrides the category: a chat answer that copies nothing stays unflagged, one that copies is flagged', () => {
    const prompt =
      'What does this error mean? TypeError: Cannot read properties of undefined (reading "map") at renderList (src/List.tsx:14:22) at renderWithHooks (react-dom.development.js:14985:18)';
    const fresh = advise({
      prompt,
      output:
        'It means you called .map on something that was not an array yet; check that the data has loaded before rendering.',
      tokenizer: o200k,
    });
    expect(fresh.category).toBe('chat');
    expect(fresh.flagged).toBe(false);
    const quoting = advise({
      prompt,
      output:
        'The key part is "TypeError: Cannot read properties of undefined (reading "map") at renderList (src/List.tsx:14:22)": at renderList (src/List.tsx:14:22) you call .map on undefined. The next frame, at renderWithHooks (react-dom.development.js:14985:18), is React calling your component.',
      tokenizer: o200k,
    });
    expect(quoting.estimates.promptLookup.speedup!).toBeGreaterThan(fresh.estimates.promptLookup.speedup!);
    expect(quoting.category).toBe('chat');
    expect(quoting.flagged).toBe(true);
    expect(quoting.technique).toBe('prompt-lookup');
    expect(quoting.verdict).toMatch(/^Chat — \d+% of the output is copied from the prompt/);
  });

  it('measured acceptance sits next to the estimate; chunk timing is a labelled hint', () => {
    const a = advise({
      prompt: 'Prove that the sum of two odd numbers is even.',
      serverStats: [{ source: 'vllm', drafts: 40, draftTokens: 120, acceptedTokens: 72 }],
      chunkTiming: {
        tokensPerChunk: Array.from({ length: 60 }, (_, i) => 1 + (i % 3)),
        interChunkMs: Array.from({ length: 59 }, () => 30),
      },
    });
    expect(a.measured).toHaveLength(1);
    expect(a.measured[0].acceptanceLength).toBeCloseTo(2.8, 12);
    expect(a.reasons.join('\n')).toMatch(
      /measured by vllm: acceptance length 2\.80 tokens per step, 60% of drafted tokens accepted \(model-based estimate 2\.\d\d tokens per step\)/,
    );
    expect(a.chunkTiming!.verdict).toBe('multi-token-steps');
    expect(a.reasons.join('\n')).toMatch(/chunk timing \(hint, not proof\)/);
  });

  it('without a tokenizer the replay uses the stand-in splitter and says so', () => {
    const a = advise({ prompt: read('coding-edit.prompt.md'), output: read('coding-edit.output.md') });
    expect(a.estimates.promptLookup.basis).toBe('replay');
    expect(a.assumptions[0]).toMatch(/no model tokenizer given/);
  });

  it('γ, c and the threshold are options', () => {
    const a = advise({ prompt: 'Prove that √2 is irrational.', options: { gamma: 5, c: 0.2, threshold: 3 } });
    expect(a.estimates.draftModel.gamma).toBe(5);
    expect(a.estimates.draftModel.c).toBe(0.2);
    expect(a.flagged).toBe(false);
  });
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (s) => void out.push(s), err: (s) => void err.push(s), env: {}, isTTY: false };
  return { io, out, err };
}

describe('tokenscope advise', () => {
  it('--json with --output: the replay, as JSON', async () => {
    const c = io();
    const code = await main(
      [
        'advise',
        '--prompt',
        join(FIX, 'coding-edit.prompt.md'),
        '--output',
        join(FIX, 'coding-edit.output.md'),
        '--json',
      ],
      c.io,
    );
    expect(c.err).toEqual([]);
    expect(code).toBe(0);
    const a = JSON.parse(c.out.join(''));
    expect(a.category).toBe('coding-edit');
    expect(a.flagged).toBe(true);
    expect(a.estimates.promptLookup.basis).toBe('replay');
    expect(a.tokenizer).toBe('o200k_base');
  });

  it('human text without an output; --tokenizer, --gamma, --draft-cost', async () => {
    const c = io();
    const code = await main(
      ['advise', '--prompt', join(FIX, 'reasoning.prompt.md'), '--gamma', '5', '--draft-cost', '0.1'],
      c.io,
    );
    expect(code).toBe(0);
    const text = c.out.join('');
    expect(text).toMatch(/^reasoning \(math, confidence 0\.\d+\) {2}⚑ flagged/);
    expect(text).toMatch(/Estimates \(estimated, not measured\):/);
    expect(text).toMatch(/γ 5, c 0\.1/);
    expect(text).toMatch(/Assumptions:/);
  });

  it('--vllm-metrics with --vllm-metrics-before: measured acceptance from the diff', async () => {
    const c = io();
    const code = await main(
      [
        'advise',
        '--prompt',
        join(FIX, 'reasoning.prompt.md'),
        '--vllm-metrics',
        join(FIX, 'vllm-after.prom'),
        '--vllm-metrics-before',
        join(FIX, 'vllm-before.prom'),
        '--json',
      ],
      c.io,
    );
    expect(code).toBe(0);
    const a = JSON.parse(c.out.join(''));
    // 40 drafts, 120 draft tokens, 72 accepted: length 1 + 72/40 = 2.8, rate 0.6
    expect(a.measured[0].acceptanceLength).toBeCloseTo(2.8, 12);
    expect(a.measured[0].acceptanceRate).toBeCloseTo(0.6, 12);
  });

  it('--llamacpp-metrics with --llamacpp-metrics-before: measured acceptance from llama.cpp counters', async () => {
    const c = io();
    const code = await main(
      [
        'advise',
        '--prompt',
        join(FIX, 'reasoning.prompt.md'),
        '--llamacpp-metrics',
        join(FIX, 'llamacpp-after.prom'),
        '--llamacpp-metrics-before',
        join(FIX, 'llamacpp-before.prom'),
        '--json',
      ],
      c.io,
    );
    expect(code).toBe(0);
    const a = JSON.parse(c.out.join(''));
    // 80 steps, 320 draft tokens, 240 accepted: length 1 + 240/80 = 4, rate 0.75
    expect(a.measured[0].source).toBe('llama.cpp-metrics');
    expect(a.measured[0].acceptanceLength).toBeCloseTo(4, 12);
    expect(a.measured[0].acceptanceRate).toBeCloseTo(0.75, 12);
  });

  it('usage errors exit 2 with a message', async () => {
    const cases: [string[], RegExp][] = [
      [['advise'], /no prompt/],
      [['advise', '--prompt', join(FIX, 'nope.md')], /cannot read prompt file/],
      [['advise', '--prompt', join(FIX, 'reasoning.prompt.md'), '--tokenizer', 'gpt2'], /--tokenizer must be one of/],
      [['advise', '--prompt', join(FIX, 'reasoning.prompt.md'), '--gamma', '0'], /--gamma must be/],
      [
        [
          'advise',
          '--prompt',
          join(FIX, 'reasoning.prompt.md'),
          '--vllm-metrics-before',
          join(FIX, 'vllm-before.prom'),
        ],
        /needs --vllm-metrics/,
      ],
      [
        ['advise', '--prompt', join(FIX, 'reasoning.prompt.md'), '--vllm-metrics', join(FIX, 'reasoning.prompt.md')],
        /no vllm:spec_decode_\* counters/,
      ],
      [
        ['advise', '--prompt', join(FIX, 'reasoning.prompt.md'), '--llamacpp-metrics', join(FIX, 'vllm-after.prom')],
        /no llamacpp:spec_decode_\* counters/,
      ],
    ];
    for (const [argv, msg] of cases) {
      const c = io();
      expect(await main(argv, c.io), argv.join(' ')).toBe(2);
      expect(c.err.join('')).toMatch(msg);
    }
  });
});

describe('where a replayed prompt-lookup gain comes from', () => {
  it('says the output repeats itself when little of it is copied from the prompt, instead of "0% copied … would give 2.5×"', async () => {
    const { copySource } = await import('../../src/core/advisor/advise');
    expect(copySource(0)).toBe(
      'the output repeats its own earlier text (only 0% of it is copied from the prompt), and prompt lookup drafts from both',
    );
    expect(copySource(0.71)).toBe('71% of the output is copied from the prompt');
    const { advise } = await import('../../src/core/advisor');
    const output = 'The answer is short. '.repeat(40);
    const a = advise({ prompt: 'Explain, in three sentences, why time to first token matters.', output });
    expect(a.estimates.promptLookup.speedup).toBeGreaterThan(1.3);
    expect(a.verdict).toContain('repeats its own earlier text');
    expect(a.verdict).not.toMatch(/\b0% of the output is copied from the prompt; prompt-lookup speculation would give/);
  });
});
