/**
 * Published numbers the advisor builds on, each with its source. Nothing here is Tokenscope's own measurement:
 * every estimate that uses these says so in its assumptions.
 */

/** The six task types of Spec-Bench (Xia et al. 2024). */
export type SpecBenchTask = 'multi-turn' | 'translation' | 'summarization' | 'qa' | 'math' | 'rag';
export const SPEC_BENCH_TASKS: readonly SpecBenchTask[] = [
  'multi-turn',
  'translation',
  'summarization',
  'qa',
  'math',
  'rag',
];

export const SPEC_BENCH_TASK_LABEL: Record<SpecBenchTask, string> = {
  'multi-turn': 'multi-turn conversation',
  translation: 'translation',
  summarization: 'summarization',
  qa: 'question answering',
  math: 'math reasoning',
  rag: 'retrieval-augmented generation',
};

export type SpecBenchMethod = 'PLD' | 'EAGLE-2' | 'Medusa' | 'SpS';

/** Spec-Bench wall-time speedups by task: Vicuna-7B, one A100, greedy decoding, batch 1 (Leaderboard.md of github.com/hemingkx/Spec-Bench). */
export const SPEC_BENCH: {
  source: string;
  setting: string;
  speedup: Record<SpecBenchMethod, Record<SpecBenchTask, number>>;
} = {
  source: 'Spec-Bench (Xia et al. 2024)',
  setting: 'Vicuna-7B, A100, greedy, batch 1',
  speedup: {
    PLD: { 'multi-turn': 1.6, translation: 1.06, summarization: 2.66, qa: 1.19, math: 1.62, rag: 1.86 },
    'EAGLE-2': { 'multi-turn': 2.84, translation: 1.88, summarization: 2.34, qa: 2.15, math: 2.79, rag: 2.13 },
    Medusa: { 'multi-turn': 1.97, translation: 1.65, summarization: 1.57, qa: 1.65, math: 1.94, rag: 1.49 },
    SpS: { 'multi-turn': 1.66, translation: 1.13, summarization: 1.71, qa: 1.5, math: 1.47, rag: 1.66 },
  },
};

/** The DeepSeek-V3 MTP benchmarks a model-based drafter's acceptance length is published for. */
export type MtpBenchmark = 'MT-Bench' | 'HumanEval' | 'GSM8K';

/**
 * Acceptance lengths (tokens per target step) of DeepSeek-V3-0324's multi-token-prediction head with K = 7 draft
 * tokens, from the model card of nebius/MTP-DeepSeek-V3-0324 (huggingface.co, read 2026-12-03). The card gives the
 * stock head only as a mean over MT-Bench, HumanEval and GSM8K (3.20 at temperature 0); its per-benchmark figures
 * belong to its own head, fine-tuned with LK losses (mean 4.83), which a provider serving the stock weights does
 * not have. The stock mean is the default anchor.
 */
export const DEEPSEEK_V3_MTP = {
  source: 'nebius/MTP-DeepSeek-V3-0324 model card',
  k: 7,
  stockMean: 3.2,
  fineTunedMean: 4.83,
  fineTuned: { 'MT-Bench': 3.88, HumanEval: 4.64, GSM8K: 5.51 } satisfies Record<MtpBenchmark, number>,
};

/**
 * The stock head's acceptance length on one benchmark: its published mean split in the proportions of the
 * fine-tuned head's per-benchmark figures (an assumption: the card publishes no per-benchmark stock figure).
 */
export function stockMtpAcceptanceLength(benchmark: MtpBenchmark): number {
  const ft = DEEPSEEK_V3_MTP.fineTuned;
  const ftMean = (ft['MT-Bench'] + ft.HumanEval + ft.GSM8K) / 3;
  return (DEEPSEEK_V3_MTP.stockMean * ft[benchmark]) / ftMean;
}

/** The DeepSeek-V3 technical report (arXiv:2412.19437, section 5.4.3): 85–90% acceptance of the second MTP token, about 1.8× tokens per second. */
export const DEEPSEEK_V3_REPORT = {
  source: 'DeepSeek-V3 technical report',
  secondTokenAcceptance: [0.85, 0.9] as const,
  secondTokenSpeedup: 1.8,
};

/** Where each speculation technique is switched on, for verdicts that name one. */
export const TECHNIQUE_NAMES = {
  promptLookup: 'vLLM ngram, llama.cpp lookup',
  promptLookupLong:
    'prompt-lookup decoding: vLLM `ngram` speculation, llama.cpp lookup decoding, HF transformers `prompt_lookup_num_tokens`',
  predictedOutputs: 'OpenAI predicted outputs on hosted APIs',
  draftModel: 'an MTP or EAGLE draft head, or a small draft model of the same family',
  draftModelLong:
    'model-based drafting: the model’s own MTP head (DeepSeek-V3/R1 `mtp`), an EAGLE head (vLLM/SGLang `eagle`), or a small draft model of the same family (vLLM `draft_model`, llama.cpp `--model-draft`)',
} as const;
