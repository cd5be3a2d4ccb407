/**
 * Speedup estimates for the two families of speculation. All of them are estimates, and say what they assume.
 *
 * Prompt lookup (PLD), from a replay of the run's output (basis 'replay'):
 *   cost model: drafting by lookup costs ≈ 0; a target step that verifies a draft costs (1 + verifyOverhead) of a
 *   plain decode step (default 0.1: an assumption, not a measurement); a step without a draft costs 1.
 *   speedup = outputTokens ÷ (steps + verifyOverhead × draftSteps).
 * Prompt lookup without an output (basis 'category'): Spec-Bench's measured PLD speedup for the matching task.
 *
 * Model-based drafting (draft model, EAGLE head, MTP), from the task category (basis 'category'):
 *   1. acceptance length with K = 7 drafts on MT-Bench of DeepSeek-V3's stock MTP head (see published.ts: the
 *      published stock mean 3.20, split by benchmark) anchors Spec-Bench's multi-turn task; the other Spec-Bench
 *      tasks scale it by their EAGLE-2 speedup relative to multi-turn (assumes a fixed drafter's speedup is
 *      proportional to its tokens per step across tasks); code, which Spec-Bench lacks, uses the HumanEval figure;
 *      the same computation with the fine-tuned head's figures is reported beside it, labelled;
 *   2. α = the per-token acceptance that gives that length at γ = 7 (Leviathan's formula inverted);
 *   3. speedup = Leviathan(α, γ, c) at the stated γ (default 3) and c (default 0.05).
 *   c = 0.05 is consistent with the DeepSeek-V3 report's 85–90% second-token acceptance giving about 1.8×
 *   (Leviathan with γ = 1 puts c between 0.03 and 0.06).
 */
import { alphaFromAcceptanceLength, leviathan } from './leviathan';
import type { PldReplay } from './pld';
import {
  DEEPSEEK_V3_MTP,
  SPEC_BENCH,
  SPEC_BENCH_TASKS,
  SPEC_BENCH_TASK_LABEL,
  stockMtpAcceptanceLength,
  type MtpBenchmark,
  type SpecBenchTask,
} from './published';

export interface EstimateOptions {
  /** Draft length for model-based drafting (default 3). */
  gamma?: number;
  /** Draft/target cost ratio per draft token (default 0.05). */
  c?: number;
  /** Extra cost of a verification step over a plain decode step, for PLD (default 0.1). */
  verifyOverhead?: number;
}

export const ESTIMATE_DEFAULTS: Required<EstimateOptions> = { gamma: 3, c: 0.05, verifyOverhead: 0.1 };

export interface PromptLookupEstimate {
  label: 'estimated';
  basis: 'replay' | 'category';
  /** Estimated wall-time speedup; null when no basis exists (code without an output: Spec-Bench has no code task). */
  speedup: number | null;
  /** Tokens per target step (replay), bonus token included. */
  tokensPerStep: number | null;
  /** Share of output n-grams found in the prompt (replay). */
  copiedShare: number | null;
  acceptanceRate: number | null;
  outputTokens: number | null;
  steps: number | null;
  /** Spec-Bench task whose number is used (category basis). */
  specBenchTask: SpecBenchTask | null;
  verifyOverhead: number | null;
  assumptions: string[];
}

export interface DraftModelEstimate {
  label: 'estimated';
  basis: 'category';
  speedup: number;
  /** What the α is anchored on: a Spec-Bench task, or code (HumanEval). */
  anchor: SpecBenchTask | 'code';
  /** Acceptance length at K = 7 the α was derived from (DeepSeek-V3's stock MTP head). */
  acceptanceLengthK7: number;
  /** The same estimate with the published fine-tuned MTP head's acceptance lengths: what a tuned drafter reaches. */
  withFineTunedHead: { acceptanceLengthK7: number; speedup: number };
  alpha: number;
  gamma: number;
  c: number;
  expectedTokensPerStep: number;
  /** Spec-Bench's measured speedups of model-based drafters on the anchor task (absent for code). */
  published?: { 'EAGLE-2': number; SpS: number; Medusa: number };
  /** Whether published results put this task among those where model-based drafters gain most. */
  fitsTask: boolean;
  assumptions: string[];
}

const SETTING = `${SPEC_BENCH.source}, ${SPEC_BENCH.setting}`;

export function estimatePromptLookupFromReplay(replay: PldReplay, opts: EstimateOptions = {}): PromptLookupEstimate {
  const v = opts.verifyOverhead ?? ESTIMATE_DEFAULTS.verifyOverhead;
  if (!(v >= 0)) throw new RangeError(`verifyOverhead must be ≥ 0, got ${v}`);
  const cost = replay.steps + v * replay.draftSteps;
  const speedup = cost > 0 ? replay.outputTokens / cost : null;
  const o = replay.options;
  const assumptions = [
    `PLD replayed over the actual output: n-gram ${o.maxNgram}→${o.minNgram}, up to ${o.numDraft} draft tokens, latest earlier match in prompt + output`,
    'greedy verification: the output is what the target would produce, so accepted lengths are exact for greedy decoding; sampling at temperature > 0 accepts less',
    'drafting by lookup costs ≈ 0',
    `a target step that verifies a draft costs ${1 + v}× a plain decode step (assumption; at batch 1 decoding is memory-bound and verification is cheap, at large batch it is not and the speedup shrinks)`,
  ];
  if (replay.outputTokens < 30)
    assumptions.push(`only ${replay.outputTokens} output tokens: too few for a stable estimate`);
  return {
    label: 'estimated',
    basis: 'replay',
    speedup,
    tokensPerStep: replay.meanAcceptedPerStep,
    copiedShare: replay.copiedShare,
    acceptanceRate: replay.acceptanceRate,
    outputTokens: replay.outputTokens,
    steps: replay.steps,
    specBenchTask: null,
    verifyOverhead: v,
    assumptions,
  };
}

export function estimatePromptLookupFromCategory(task: SpecBenchTask | null): PromptLookupEstimate {
  const base = {
    label: 'estimated' as const,
    basis: 'category' as const,
    tokensPerStep: null,
    copiedShare: null,
    acceptanceRate: null,
    outputTokens: null,
    steps: null,
    verifyOverhead: null,
  };
  if (task === null)
    return {
      ...base,
      speedup: null,
      specBenchTask: null,
      assumptions: [
        'no published per-task PLD number matches this task (Spec-Bench has no code or text-editing task); replay a real output to estimate it',
      ],
    };
  return {
    ...base,
    speedup: SPEC_BENCH.speedup.PLD[task],
    specBenchTask: task,
    assumptions: [
      `PLD speedup measured on Spec-Bench's ${SPEC_BENCH_TASK_LABEL[task]} task (${SETTING}); your model, hardware, batch size and prompt differ`,
    ],
  };
}

/** EAGLE-2's mean speedup over Spec-Bench's six tasks: tasks at or above it are where model-based drafters gain most. */
export const EAGLE2_MEAN =
  SPEC_BENCH_TASKS.reduce((s, t) => s + SPEC_BENCH.speedup['EAGLE-2'][t], 0) / SPEC_BENCH_TASKS.length;

export type MtpHead = 'stock' | 'fine-tuned';

function mtpAcceptanceLength(benchmark: MtpBenchmark, head: MtpHead): number {
  return head === 'stock' ? stockMtpAcceptanceLength(benchmark) : DEEPSEEK_V3_MTP.fineTuned[benchmark];
}

/** Acceptance length with K = 7 drafts for a task: Spec-Bench's relative gain on the MT-Bench MTP anchor, or code. */
export function acceptanceLengthK7(anchor: SpecBenchTask | 'code', head: MtpHead = 'stock'): number {
  if (anchor === 'code') return mtpAcceptanceLength('HumanEval', head);
  const eagle = SPEC_BENCH.speedup['EAGLE-2'];
  return mtpAcceptanceLength('MT-Bench', head) * (eagle[anchor] / eagle['multi-turn']);
}

export function estimateDraftModel(anchor: SpecBenchTask | 'code', opts: EstimateOptions = {}): DraftModelEstimate {
  const gamma = opts.gamma ?? ESTIMATE_DEFAULTS.gamma;
  const c = opts.c ?? ESTIMATE_DEFAULTS.c;
  const k = DEEPSEEK_V3_MTP.k;
  const e7 = acceptanceLengthK7(anchor);
  const alpha = alphaFromAcceptanceLength(e7, k);
  const lev = leviathan(alpha, gamma, c);
  const e7Tuned = acceptanceLengthK7(anchor, 'fine-tuned');
  const tunedSpeedup = leviathan(alphaFromAcceptanceLength(e7Tuned, k), gamma, c).speedup;
  const benchmark: MtpBenchmark = anchor === 'code' ? 'HumanEval' : 'MT-Bench';
  const stockBasis = `${stockMtpAcceptanceLength(benchmark).toFixed(2)} on ${benchmark}: DeepSeek-V3's stock MTP head, mean ${DEEPSEEK_V3_MTP.stockMean.toFixed(2)} over MT-Bench, HumanEval and GSM8K (${DEEPSEEK_V3_MTP.source}), split by benchmark in the fine-tuned head's proportions (assumption)`;
  const assumptions: string[] = [];
  if (anchor === 'code') {
    assumptions.push(`acceptance length ${stockBasis}, K = ${k} drafts; Spec-Bench has no code task`);
  } else {
    const eagle = SPEC_BENCH.speedup['EAGLE-2'];
    assumptions.push(
      anchor === 'multi-turn'
        ? `acceptance length ${stockBasis}, K = ${k} drafts`
        : `acceptance length ${e7.toFixed(2)} with K = ${k}: ${stockBasis} × EAGLE-2's ${SPEC_BENCH_TASK_LABEL[anchor]}/multi-turn speedup ratio ${eagle[anchor]}/${eagle['multi-turn']} (${SETTING}); assumes a drafter's speedup is proportional to its tokens per step across tasks`,
    );
    if (anchor === 'math')
      assumptions.push(
        `MTP heads accept more on GSM8K than Spec-Bench's relative gain gives (stock ≈ ${stockMtpAcceptanceLength('GSM8K').toFixed(2)} at K = ${k}): this estimate may be low for math`,
      );
  }
  assumptions.push(
    `with a fine-tuned MTP head (${DEEPSEEK_V3_MTP.source}: ${DEEPSEEK_V3_MTP.fineTuned[benchmark]} on ${benchmark}) the same computation gives acceptance length ${e7Tuned.toFixed(2)} and ≈${tunedSpeedup.toFixed(2)}×; providers serving the stock weights do not have that head`,
  );
  assumptions.push(
    `per-token acceptance α = ${alpha.toFixed(3)}, the value that gives that length at γ = ${k} (Leviathan's formula inverted; tokens accepted independently)`,
    `γ = ${gamma} draft tokens per step (assumption), c = ${c} draft/target cost per draft token (assumption, consistent with the DeepSeek-V3 report's 85–90% second-token acceptance at about 1.8×)`,
    'Leviathan et al. 2023: speedup = (1 − α^(γ+1)) / ((1 − α)(γc + 1)); assumes verifying γ + 1 tokens costs one target step (batch 1), greedy acceptance',
  );
  const fitsTask =
    anchor === 'code'
      ? acceptanceLengthK7('code') > acceptanceLengthK7('multi-turn')
      : SPEC_BENCH.speedup['EAGLE-2'][anchor] >= EAGLE2_MEAN;
  const published =
    anchor === 'code'
      ? undefined
      : {
          'EAGLE-2': SPEC_BENCH.speedup['EAGLE-2'][anchor],
          SpS: SPEC_BENCH.speedup.SpS[anchor],
          Medusa: SPEC_BENCH.speedup.Medusa[anchor],
        };
  return {
    label: 'estimated',
    basis: 'category',
    speedup: lev.speedup,
    anchor,
    acceptanceLengthK7: e7,
    withFineTunedHead: { acceptanceLengthK7: e7Tuned, speedup: tunedSpeedup },
    alpha,
    gamma,
    c,
    expectedTokensPerStep: lev.expectedTokensPerStep,
    ...(published ? { published } : {}),
    fitsTask,
    assumptions,
  };
}
