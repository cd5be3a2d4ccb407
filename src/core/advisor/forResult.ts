/**
 * The advisor's verdict on one model's finished runs: replays prompt lookup over what the model actually
 * wrote (its median run) and reads its chunk timing. Everything here is an estimate and says so.
 */
import type { ModelResult, RunMetrics, SpeculationSummary } from '../types';
import { advise } from './advise';
import type { TaskContext } from './classify';

/** The successful run with the median end-to-end time: one real output to replay. */
function medianRun(runs: readonly RunMetrics[]): RunMetrics | undefined {
  const ok = runs
    .filter((r) => r.ok && (r.answerText || r.reasoningText))
    .sort((a, b) => (a.e2eMs ?? 0) - (b.e2eMs ?? 0));
  return ok[Math.floor((ok.length - 1) / 2)];
}

export function adviseResult(
  result: ModelResult,
  prompt: string,
  encode: ((text: string) => number[]) | undefined,
  context?: TaskContext,
): SpeculationSummary | undefined {
  const run = medianRun(result.runs);
  if (!run) return undefined;
  const a = advise({
    prompt,
    output: run.reasoningText + run.answerText,
    context,
    chunkTiming: { tokensPerChunk: run.tokensPerChunk, interChunkMs: run.interChunkMs },
    serverStats: run.serverSpecStats,
    tokenizer: encode ? { encode, name: run.tokenizer } : undefined,
  });
  return {
    label: 'estimated',
    category: a.category,
    flagged: a.flagged,
    technique: a.technique,
    verdict: a.verdict,
    promptLookupSpeedup: a.estimates.promptLookup.speedup,
    copiedShare: a.estimates.promptLookup.copiedShare,
    draftModelSpeedup: a.estimates.draftModel.speedup,
    chunkTiming: a.chunkTiming?.verdict ?? null,
    measuredAcceptanceRate: a.measured[0]?.acceptanceRate ?? null,
    assumptions: a.assumptions,
  };
}
