/**
 * The order of a benchmark's requests: warm-up, then per cache state (cold first, then one priming request per
 * model and the warm runs), or per prompt size for a sweep. Each stage runs to its end before the next starts,
 * so a priming request has finished before any warm run, and models are interleaved within a stage.
 */
import { cacheStates, coldPrompt } from './cache';
import type { CacheMode, CacheState } from './types';

export interface RunVariant {
  /** The prompt as sent (cold prompts carry their nonce). */
  prompt: string;
  cacheState: CacheState;
  /** Anthropic: mark the prompt cacheable. */
  cacheControl: boolean;
  targetInputTokens?: number;
}

export interface PlannedRun {
  model: number;
  /** Index among the model's runs of its kind (warm-up or measured). */
  index: number;
  /** Not measured: warm-up and priming requests. */
  warmup: boolean;
  variant: () => RunVariant;
}

export interface PlanInput {
  /** Per model: its prompt, and for a sweep its prompt per size (sizes over its context window left out). */
  models: { prompt: string; sweep?: { target: number; prompt: string }[] }[];
  runs: number;
  warmup: number;
  cache: CacheMode;
  /** Sweeping: sizes in the order to run them. */
  sweep: boolean;
}

/** Stages of runs, in order. Variants are made when a run starts, so each cold run draws its own nonce. */
export function planRuns(input: PlanInput): PlannedRun[][] {
  const { models, runs, warmup } = input;
  const interleave = (count: number, make: (model: number, i: number) => PlannedRun | undefined) =>
    Array.from({ length: count }, (_, i) => models.map((_, m) => make(m, i)))
      .flat()
      .filter((r): r is PlannedRun => r !== undefined);
  const cold = (prompt: string, targetInputTokens?: number) => (): RunVariant => ({
    prompt: coldPrompt(prompt),
    cacheState: 'cold',
    cacheControl: false,
    ...(targetInputTokens !== undefined ? { targetInputTokens } : {}),
  });
  const warm = (prompt: string) => (): RunVariant => ({ prompt, cacheState: 'warm', cacheControl: true });

  // Warm-up absorbs connection setup; its prompts are unique so it never primes a cache.
  const stages: PlannedRun[][] = [
    interleave(warmup, (model, index) => ({ model, index, warmup: true, variant: cold(models[model].prompt) })),
  ];
  if (input.sweep) {
    const sizes = [...new Set(models.flatMap((m) => (m.sweep ?? []).map((s) => s.target)))].sort((a, b) => a - b);
    let offset = 0;
    for (const target of sizes) {
      const base = offset;
      stages.push(
        interleave(runs, (model, i) => {
          const size = models[model].sweep?.find((s) => s.target === target);
          return size ? { model, index: base + i, warmup: false, variant: cold(size.prompt, target) } : undefined;
        }),
      );
      offset += runs;
    }
    return stages.filter((s) => s.length);
  }
  let offset = 0;
  for (const state of cacheStates(input.cache)) {
    const base = offset;
    if (state === 'warm')
      stages.push(models.map((m, model) => ({ model, index: warmup, warmup: true, variant: warm(m.prompt) })));
    stages.push(
      interleave(runs, (model, i) => ({
        model,
        index: base + i,
        warmup: false,
        variant: state === 'cold' ? cold(models[model].prompt) : warm(models[model].prompt),
      })),
    );
    offset += runs;
  }
  return stages.filter((s) => s.length);
}
