/**
 * Completes a model's result once all its runs are in: the summaries, the cold/warm comparison or the prefill
 * fit, request phases, speculation advice and the warnings that only the whole set of runs can tell.
 */
import { adviseResult } from './advisor/forResult';
import type { TaskContext } from './advisor/classify';
import { cacheStates, compareCache, summarizeCacheState } from './cache';
import { clientBoundWarning, type ClientLoad } from './clientLoad';
import { INVALID_USAGE_NOTE } from './metrics';
import { quirkNotes } from './quirkNotes';
import { summarizeRuns } from './report/reportParts';
import { summarize } from './stats';
import { summarizePhases } from './stream/phases';
import { fitPrefill, sweepPoints } from './sweep';
import type { CacheMode, ModelResult, ModelSpec } from './types';

export interface FinishContext {
  spec: ModelSpec;
  prompt: string;
  cacheMode: CacheMode;
  /** Prompt sizes of a sweep, if this benchmark was one. */
  sweepSizes?: readonly number[];
  client: ClientLoad;
  countTokens: (text: string) => number;
  encode: (text: string) => number[];
  taskContext?: TaskContext;
}

export function finishResult(result: ModelResult, c: FinishContext): void {
  const ok = result.runs.filter((r) => r.ok);
  const smallest = c.sweepSizes?.find((t) => result.runs.some((r) => r.targetInputTokens === t));
  // Summaries mean the cold runs when both states ran, and the smallest prompt of a sweep.
  result.summary = summarizeRuns(
    result.runs.filter(
      (r) =>
        (c.cacheMode !== 'both' || r.cacheState === 'cold') &&
        (smallest === undefined || r.targetInputTokens === smallest),
    ),
  );
  if (c.sweepSizes) {
    result.sweep = sweepPoints(result.runs);
    result.prefill = fitPrefill(result.runs);
  } else {
    result.byCache = Object.fromEntries(
      cacheStates(c.cacheMode).map((state) => [
        state,
        summarizeCacheState(
          c.spec,
          result.runs.filter((r) => r.cacheState === state),
        ),
      ]),
    );
    if (result.byCache.warm) {
      // The provider's count where it gave one, else the model's tokenizer: it decides whether the prompt
      // reached the provider's minimum cacheable size.
      const promptTokens = summarize(result.runs.map((r) => r.inputTokens))?.median ?? c.countTokens(c.prompt);
      result.cache = compareCache(c.spec, result.byCache.cold, result.byCache.warm, promptTokens);
      if (result.cache.neverHit) result.warnings.push(result.cache.note);
    }
  }
  const phases = summarizePhases(result.runs);
  if (phases) result.phases = phases;
  if (c.client.possiblyClientBound) result.warnings.push(clientBoundWarning(result.id, c.client));
  result.warnings.push(...quirkNotes(result));
  const speculation = adviseResult(result, c.prompt, c.encode, c.taskContext);
  if (speculation) result.speculation = speculation;
  const usageNote = result.runs.flatMap((r) => r.notes).find((n) => n.startsWith(INVALID_USAGE_NOTE));
  if (usageNote) result.warnings.push(`${result.id}: ${usageNote}.`);
  else if (ok.some((r) => r.tokenSource === 'tokenizer'))
    result.warnings.push(
      `${result.id}: the provider reported no token usage; output tokens were counted with ${ok.find((r) => r.tokenizer)?.tokenizer ?? 'a local tokenizer'}.`,
    );
}
