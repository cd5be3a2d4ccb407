/**
 * Speculative-decoding advisor: classifies a prompt's task, replays prompt lookup over a run's output,
 * estimates prompt-lookup and model-based speedups from published numbers, reads chunk timing for multi-token
 * steps (a hint) and servers' own speculation counters (measured). Pure: no `vscode`, no I/O.
 * See docs/advisor.md for what the numbers rest on and their limits.
 */
export { advise, formatSpeedup } from './advise';
export type { Advice, AdviseInput, AdviseOptions, AdviseTokenizer, Technique } from './advise';
export { classifyTask, SUBTYPE_TASK } from './classify';
export type { TaskClassification, TaskContext, TaskSubtype } from './classify';
export { replayPromptLookup, copiedShare, simpleTokenizer } from './pld';
export type { PldOptions, PldReplay, PldStep } from './pld';
export { leviathan, expectedTokensPerStep, alphaFromAcceptanceLength, breakEvenAlpha } from './leviathan';
export type { LeviathanResult } from './leviathan';
export {
  estimatePromptLookupFromReplay,
  estimatePromptLookupFromCategory,
  estimateDraftModel,
  acceptanceLengthK7,
  ESTIMATE_DEFAULTS,
  EAGLE2_MEAN,
} from './estimate';
export type { PromptLookupEstimate, DraftModelEstimate, EstimateOptions } from './estimate';
export { chunkTimingHint } from './chunkTiming';
export type {
  ChunkTimingHint,
  ChunkTimingInput,
  ChunkTimingVerdict,
  ChunkTimingBucket,
  ChunkTimingOptions,
} from './chunkTiming';
export {
  parsePrometheusText,
  vllmSpecCounters,
  specCounters,
  diffVllmSpecCounters,
  measuredAcceptance,
  serverStatsFromEvents,
} from './serverStats';
export type {
  PromSample,
  PromParse,
  VllmSpecCounters,
  CounterDiff,
  ServerSpecStats,
  MeasuredAcceptance,
} from './serverStats';
export {
  SPEC_BENCH,
  SPEC_BENCH_TASKS,
  SPEC_BENCH_TASK_LABEL,
  DEEPSEEK_V3_MTP,
  DEEPSEEK_V3_REPORT,
  stockMtpAcceptanceLength,
  TECHNIQUE_NAMES,
} from './published';
export type { SpecBenchTask, SpecBenchMethod } from './published';
