/**
 * The test server's simulated prompt processing: a prefix cache that hits on the second identical prompt of a
 * model, and a prefill schedule (TTFT grows with the uncached input tokens). Pure; the server applies the result.
 */
import type { ResolvedSchedule } from './schedule';

/** The prompt text of a request body: every prompt-bearing string, in order (cache_control and other fields ignored). */
export function promptKey(body: unknown): string {
  const parts: string[] = [];
  const walk = (v: unknown, key: string | undefined): void => {
    if (typeof v === 'string') {
      if (key === 'content' || key === 'text' || key === 'system' || key === 'prompt') parts.push(v);
    } else if (Array.isArray(v)) for (const x of v) walk(x, key);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(body, undefined);
  return parts.join('\u0000');
}

export interface PromptProcessing {
  /** Request received → first token, for this request. */
  ttftMs: number;
  cachedInputTokens: number;
  cacheHit: boolean;
}

/**
 * TTFT and cached tokens of one request. Cold: ttft + input ÷ prefill rate. A cache hit caches whole blocks of
 * the prompt (as DeepSeek's 64-token units), saves `hitSavingMs`, and prefills only the uncached rest.
 */
export function processPrompt(s: ResolvedSchedule, inputTokens: number, seenBefore: boolean): PromptProcessing {
  const cache = s.prefixCache;
  const cacheHit = cache !== undefined && seenBefore;
  const cachedInputTokens = cacheHit
    ? Math.floor(inputTokens / cache.blockTokens) * cache.blockTokens
    : s.cachedInputTokens;
  const prefillMs = s.prefillTokensPerSec
    ? ((inputTokens - (cacheHit ? cachedInputTokens : 0)) / s.prefillTokensPerSec) * 1000
    : 0;
  const ttftMs = Math.max(0, s.ttftMs + prefillMs - (cacheHit ? cache.hitSavingMs : 0));
  return { ttftMs, cachedInputTokens, cacheHit };
}

/** Remembers the prompts each model has seen (the cache never expires within a server's life). */
export class PrefixCache {
  private seen = new Map<string, Set<string>>();
  /** Whether this model saw this prompt before; records it either way. */
  check(model: string, body: unknown): boolean {
    const key = promptKey(body);
    let set = this.seen.get(model);
    if (!set) this.seen.set(model, (set = new Set()));
    const hit = set.has(key);
    set.add(key);
    return hit;
  }
  clear(): void {
    this.seen.clear();
  }
}
