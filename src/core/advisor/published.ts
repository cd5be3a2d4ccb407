/**
 * Published numbers the advisor builds on, copied from shared/measurement.md (and issue 5). Nothing here is
 * Tokenscope's own measurement: every estimate that uses these says so in its assumptions.
 */

/** The six task types of Spec-Bench (Xia et al. 2024). */
export type SpecBenchTask = 'multi-turn' | 'translation' | 'summarization' | 'qa' | 'math' | 'rag';
export const SPEC_BENCH_TASKS: readonly SpecBenchTask[] = ['multi-turn', 'translation', 'summarization', 'qa', 'math', 'rag'];

export const SPEC_BENCH_TASK_LABEL: Record<SpecBenchTask, string> = {
  'multi-turn': 'multi-turn conversation',
  translation: 'translation',
  summarization: 'summarization',
  qa: 'question answering',
  math: 'math reasoning',
  rag: 'retrieval-augmented generation',
};

export type SpecBenchMethod = 'PLD' | 'EAGLE-2' | 'Medusa' | 'SpS';

/** Spec-Bench wall-time speedups by task: Vicuna-7B, one A100, greedy decoding, batch 1. */
export const SPEC_BENCH: { source: string; setting: string; speedup: Record<SpecBenchMethod, Record<SpecBenchTask, number>> } = {
  source: 'Spec-Bench (Xia et al. 2024)',
  setting: 'Vicuna-7B, A100, greedy, batch 1',
  speedup: {
    PLD: { 'multi-turn': 1.6, translation: 1.06, summarization: 2.66, qa: 1.19, math: 1.62, rag: 1.86 },
    'EAGLE-2': { 'multi-turn': 2.84, translation: 1.88, summarization: 2.34, qa: 2.15, math: 2.79, rag: 2.13 },
    Medusa: { 'multi-turn': 1.97, translation: 1.65, summarization: 1.57, qa: 1.65, math: 1.94, rag: 1.49 },
    SpS: { 'multi-turn': 1.66, translation: 1.13, summarization: 1.71, qa: 1.5, math: 1.47, rag: 1.66 },
  },
};

/**
 * DeepSeek-V3 multi-token prediction: acceptance length (tokens per target step) with K = 7 draft tokens, by
 * benchmark; and the acceptance of its second MTP token (85–90%, about 1.8× tokens per second).
 */
export const DEEPSEEK_V3_MTP = {
  source: 'DeepSeek-V3 technical report',
  k: 7,
  acceptanceLength: { 'MT-Bench': 3.88, HumanEval: 4.64, GSM8K: 5.51 },
  secondTokenAcceptance: [0.85, 0.9] as const,
  secondTokenSpeedup: 1.8,
};

/** Where each speculation technique is switched on, for verdicts that name one. */
export const TECHNIQUE_NAMES = {
  promptLookup: 'vLLM ngram, llama.cpp lookup',
  promptLookupLong: 'prompt-lookup decoding: vLLM `ngram` speculation, llama.cpp lookup decoding, HF transformers `prompt_lookup_num_tokens`',
  predictedOutputs: 'OpenAI predicted outputs on hosted APIs',
  draftModel: 'an MTP or EAGLE draft head, or a small draft model of the same family',
  draftModelLong: 'model-based drafting: the model’s own MTP head (DeepSeek-V3/R1 `mtp`), an EAGLE head (vLLM/SGLang `eagle`), or a small draft model of the same family (vLLM `draft_model`, llama.cpp `--model-draft`)',
} as const;
