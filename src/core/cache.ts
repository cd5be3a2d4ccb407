/**
 * Prompt cache as a controlled variable: cold runs get a unique prompt (a short nonce at its start, so no
 * prefix cache can match), warm runs repeat one primed prompt. Summaries per cache state, and cold vs warm.
 */
import { randomBytes } from 'node:crypto';
import { hostOf } from './keyEnv';
import { percentile } from './stats';
import type {
  CacheComparison,
  CacheMode,
  CacheState,
  CacheStateSummary,
  MedianP95,
  ModelSpec,
  RunMetrics,
} from './types';

/** A prompt no cache has seen: an 8-hex-digit nonce first, since prefix caches match from the start. */
export function coldPrompt(prompt: string, nonce = randomBytes(4).toString('hex')): string {
  return `[${nonce}]\n${prompt}`;
}

/** The cache states a mode measures, in the order they run (cold first: it never primes the warm prompt). */
export function cacheStates(mode: CacheMode): CacheState[] {
  return mode === 'both' ? ['cold', 'warm'] : [mode];
}

/** What a provider documents about its prompt cache. Read 2026-12-03 from each source. */
export interface CacheFact {
  host: string;
  how: string;
  /** Shortest prompt the provider caches, in tokens. */
  minTokens?: number;
  source: string;
}

export const CACHE_FACTS: readonly CacheFact[] = [
  {
    host: 'api.deepseek.com',
    how: 'automatic prefix cache on disk',
    source: 'https://api-docs.deepseek.com/guides/kv_cache',
  },
  {
    host: 'api.openai.com',
    how: 'automatic for prompts of 1,024 tokens and more',
    minTokens: 1024,
    source: 'https://platform.openai.com/docs/guides/prompt-caching',
  },
  {
    host: 'api.anthropic.com',
    how: 'caches blocks marked with cache_control, from 1,024 tokens (more on some models)',
    minTokens: 1024,
    source: 'https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching',
  },
  {
    host: 'generativelanguage.googleapis.com',
    how: 'implicit caching on Gemini 2.5 and later, from 1,024 tokens',
    minTokens: 1024,
    source: 'https://ai.google.dev/gemini-api/docs/caching',
  },
];

/** The provider's documented caching for a model: from the table above, or implied by a cached-input price. */
export function cacheFactFor(spec: ModelSpec): CacheFact | undefined {
  const host = hostOf(spec.baseUrl);
  const known = CACHE_FACTS.find((f) => f.host === host);
  if (known) return known;
  if (spec.price?.cachedInputPerM !== undefined)
    return { host, how: 'a cached-input price is listed for it', source: 'the model’s price entry' };
  return undefined;
}

export function medianP95(values: readonly (number | null | undefined)[]): MedianP95 | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  return xs.length ? { n: xs.length, median: percentile(xs, 0.5), p95: percentile(xs, 0.95) } : null;
}

/** Input cost of one run at list price, cached tokens at the cached price. */
export function inputCost(spec: ModelSpec, run: Pick<RunMetrics, 'inputTokens' | 'cachedInputTokens'>): number | null {
  const price = spec.price;
  if (!price || run.inputTokens === null) return null;
  const cached = Math.min(run.cachedInputTokens ?? 0, run.inputTokens);
  return ((run.inputTokens - cached) * price.inputPerM + cached * (price.cachedInputPerM ?? price.inputPerM)) / 1e6;
}

/**
 * What the cache saved on one run's input: its cached tokens at the full minus the cached price. Measured on the
 * warm run itself, so the cold prompts' few nonce tokens never count as a saving.
 */
export function cacheSaving(
  spec: ModelSpec,
  run: Pick<RunMetrics, 'inputTokens' | 'cachedInputTokens'>,
): number | null {
  const price = spec.price;
  if (!price || run.inputTokens === null) return null;
  const cached = Math.min(run.cachedInputTokens ?? 0, run.inputTokens);
  return (cached * (price.inputPerM - (price.cachedInputPerM ?? price.inputPerM))) / 1e6;
}

/** Medians of the successful measured runs in one cache state. */
export function summarizeCacheState(spec: ModelSpec, runs: readonly RunMetrics[]): CacheStateSummary {
  const ok = runs.filter((r) => r.ok && !r.warmup);
  return {
    runs: ok.length,
    ttftMs: medianP95(ok.map((r) => r.ttftMs)),
    ttfoMs: medianP95(ok.map((r) => r.ttfoMs)),
    decodeTps: medianP95(ok.map((r) => r.decodeTps)),
    e2eMs: medianP95(ok.map((r) => r.e2eMs)),
    cachedInputTokens: medianP95(ok.map((r) => r.cachedInputTokens)),
    hits: ok.filter((r) => (r.cachedInputTokens ?? 0) > 0).length,
    inputCostUsd: medianP95(ok.map((r) => inputCost(spec, r)))?.median ?? null,
    inputCostSavingUsd: medianP95(ok.map((r) => cacheSaving(spec, r)))?.median ?? null,
  };
}

/** Cold vs warm: the TTFT and input-cost saving, and whether a documented cache never hit. */
export function compareCache(
  spec: ModelSpec,
  cold: CacheStateSummary | undefined,
  warm: CacheStateSummary,
  promptTokens: number | null,
): CacheComparison {
  const coldTtft = cold?.ttftMs?.median ?? null;
  const warmTtft = warm.ttftMs?.median ?? null;
  const savingMs = coldTtft !== null && warmTtft !== null ? coldTtft - warmTtft : null;
  const costSaving = warm.inputCostSavingUsd;
  const fullCost = costSaving !== null && warm.inputCostUsd !== null ? warm.inputCostUsd + costSaving : null;
  const fact = cacheFactFor(spec);
  const belowMinimum = fact?.minTokens !== undefined && promptTokens !== null && promptTokens < fact.minTokens;
  const neverHit = fact !== undefined && !belowMinimum && warm.runs > 0 && warm.hits === 0;
  let note: string;
  if (warm.runs === 0) note = `${spec.id}: no warm run succeeded, so the cache could not be measured.`;
  else if (warm.hits > 0)
    note = `${spec.id}: ${warm.hits} of ${warm.runs} warm run(s) reported cached input tokens (median ${Math.round(warm.cachedInputTokens?.median ?? 0)}).`;
  else if (neverHit)
    note = `${spec.id}: cache never hit — the provider documents prompt caching (${fact!.how}; ${fact!.source}) but no warm run reported a cached token. Check that nothing varies at the start of the prompt, or ask the provider.`;
  else if (belowMinimum)
    note = `${spec.id}: no cached tokens, as expected — the prompt is about ${promptTokens} tokens, under the ${fact!.minTokens}-token minimum the provider caches (${fact!.source}). Use a longer prompt (e.g. --input-tokens 2048) to see the cache.`;
  else
    note = `${spec.id}: the provider reported no cached tokens; Tokenscope knows of no documented prompt cache for ${hostOf(spec.baseUrl)}.`;
  return {
    coldTtftMs: coldTtft,
    warmTtftMs: warmTtft,
    savingMs,
    savingPct: savingMs !== null && coldTtft ? (savingMs / coldTtft) * 100 : null,
    inputCostSavingUsd: costSaving,
    inputCostSavingPct: costSaving !== null && fullCost ? (costSaving / fullCost) * 100 : null,
    neverHit,
    note,
  };
}

/** The cache-state choices as the editor offers them, the current one first. */
export function cacheModeChoices(current: CacheMode): { mode: CacheMode; label: string; detail: string }[] {
  const all: { mode: CacheMode; label: string; detail: string }[] = [
    {
      mode: 'cold',
      label: 'Cold cache',
      detail: 'Each run\u2019s prompt starts with a unique tag, so no prompt cache can hit: first-request TTFT.',
    },
    {
      mode: 'warm',
      label: 'Warm cache',
      detail:
        'One uncounted priming request, then every run repeats the same prompt: TTFT with the provider\u2019s prompt cache.',
    },
    {
      mode: 'both',
      label: 'Cold and warm',
      detail:
        'The runs cold, then as many warm: what the prompt cache saves in TTFT and input cost, and whether it ever hits.',
    },
  ];
  return [...all.filter((c) => c.mode === current), ...all.filter((c) => c.mode !== current)];
}
