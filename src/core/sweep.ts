/**
 * Prompt-length sweep: prompts of about N tokens (in the model's own tokenizer) built from plain prose, TTFT per
 * size, and a least-squares fit TTFT = overhead + inputTokens ÷ prefill rate on the provider-reported input tokens.
 */
import { medianP95 } from './cache';
import { SWEEP_PARAGRAPHS, SWEEP_QUESTION } from './sweepText';
import type { PrefillFit, RunMetrics, SweepPoint } from './types';

/** Largest size accepted by --input-tokens: beyond every context window Tokenscope knows. */
export const MAX_SWEEP_TOKENS = 2_000_000;

/** Parses "256,2048,8192": positive integers, de-duplicated, ascending. Throws a message naming the bad entry. */
export function parseInputTokens(value: string): number[] {
  const parts = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0)
    throw new Error(`--input-tokens needs a comma-separated list of sizes, e.g. 256,2048,8192; got "${value}"`);
  const sizes = parts.map((p) => {
    const n = Number(p.replace(/_/g, '').replace(/k$/i, '000'));
    if (!Number.isInteger(n) || n < 16 || n > MAX_SWEEP_TOKENS)
      throw new Error(`--input-tokens: "${p}" is not a whole number of tokens between 16 and ${MAX_SWEEP_TOKENS}`);
    return n;
  });
  return [...new Set(sizes)].sort((a, b) => a - b);
}

/**
 * A prompt of about `target` tokens as `count` measures them: numbered sections of prose, cycled, cut at a word
 * so the whole prompt (question included) is the longest that stays within the target. Deterministic.
 */
export function buildSweepPrompt(target: number, count: (text: string) => number, question = SWEEP_QUESTION): string {
  const tail = `\n\n${question}`;
  // Enough text to be sure of passing the target (sections measured one by one, with a margin for the joins).
  const sections: string[] = [];
  for (let used = 0, i = 0; used < target * 1.1 + 32; i++) {
    const section = `§${i + 1}. ${SWEEP_PARAGRAPHS[i % SWEEP_PARAGRAPHS.length]}`;
    sections.push(section);
    used += count(section) + 1;
  }
  const words = sections.join('\n\n').split(' ');
  const prompt = (n: number) => words.slice(0, n).join(' ') + tail;
  // The longest word prefix that fits, measured on the whole prompt (token merges across joins included).
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (count(prompt(mid)) <= target) lo = mid;
    else hi = mid - 1;
  }
  return prompt(Math.max(1, lo));
}

/** Ordinary least squares of y on x; null when x does not vary. */
export function leastSquares(
  points: readonly { x: number; y: number }[],
): { slope: number; intercept: number; r2: number | null } | null {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
    syy += (p.y - my) ** 2;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy > 0 ? (sxy * sxy) / (sxx * syy) : null };
}

/** Input tokens of a run for the fit: the provider's count, else the size the prompt was built to. */
function inputOf(r: RunMetrics): number | null {
  return r.inputTokens ?? r.targetInputTokens ?? null;
}

/** TTFT per prompt size, from the successful measured sweep runs. */
export function sweepPoints(runs: readonly RunMetrics[]): SweepPoint[] {
  const bySize = new Map<number, RunMetrics[]>();
  for (const r of runs) {
    if (r.warmup || r.targetInputTokens === undefined) continue;
    bySize.set(r.targetInputTokens, [...(bySize.get(r.targetInputTokens) ?? []), r]);
  }
  return [...bySize.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([target, rs]) => {
      const ok = rs.filter((r) => r.ok);
      return {
        inputTokens: medianP95(ok.map(inputOf))?.median ?? target,
        targetTokens: target,
        ttftMs: medianP95(ok.map((r) => r.ttftMs)),
        runs: ok.length,
      };
    });
}

/**
 * The prefill fit over the per-size medians (median reported input tokens, median TTFT), so that one slow request
 * does not tilt the line. The rate is null when TTFT does not grow with the prompt (slope ≤ 0): queueing or
 * network jitter then swamps prefill.
 */
export function fitPrefill(runs: readonly RunMetrics[]): PrefillFit | null {
  const points = sweepPoints(runs)
    .filter((p) => p.ttftMs !== null)
    .map((p) => ({ x: p.inputTokens, y: p.ttftMs!.median }));
  const fit = leastSquares(points);
  if (!fit) return null;
  return {
    tokensPerSec: fit.slope > 0 ? 1000 / fit.slope : null,
    overheadMs: fit.intercept,
    points: points.length,
    r2: fit.r2,
  };
}
