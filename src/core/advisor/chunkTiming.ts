/**
 * A hint, from chunk timing alone, whether a provider emits several tokens per model step (speculative decoding or
 * multi-token prediction) or only coalesces single-token steps into bigger network chunks.
 *
 * The idea: with multi-token steps a chunk is one target step, whose time barely depends on how many drafted tokens
 * were accepted, so the gap before a chunk stays about the same whether it carries 1 or 4 tokens. With coalescing,
 * a chunk of k tokens waited for k single-token steps, so the gap grows about linearly with k. The hint fits
 * gap ≈ fixed + perToken × tokens over the steady decode segment and asks which part dominates.
 *
 * It is a hint, never proof: servers also coalesce by timer (constant gaps, varying tokens — looks like multi-token
 * steps), pad or batch streams, and the client's reads add their own grouping.
 */
import { percent } from '../report/format';

export type ChunkTimingVerdict = 'single-token' | 'multi-token-steps' | 'coalescing' | 'unclear';

export interface ChunkTimingInput {
  /** Estimated tokens carried by each token-carrying read (RunMetrics.tokensPerChunk). */
  tokensPerChunk: readonly number[];
  /** Gaps between consecutive token-carrying reads, ms (RunMetrics.interChunkMs; one fewer than the chunks). */
  interChunkMs: readonly number[];
}

export interface ChunkTimingBucket {
  tokens: number;
  chunks: number;
  medianGapMs: number;
}

export interface ChunkTimingHint {
  verdict: ChunkTimingVerdict;
  /** Always "hint": timing never proves how a provider decodes. */
  label: 'hint';
  /** Chunks used (the steady segment, stalls dropped). */
  chunks: number;
  meanTokensPerChunk: number | null;
  /** Share of chunks carrying about one token / more than one token. */
  singleTokenShare: number | null;
  multiTokenShare: number | null;
  /** Fit gap ≈ fixedMs + perTokenMs × tokens over per-size medians (null when chunk sizes do not vary). */
  fixedMs: number | null;
  perTokenMs: number | null;
  /** perTokenMs × mean tokens ÷ mean gap: ≈1 when gaps scale with tokens (coalescing), ≈0 when flat (steps). */
  tokenScaledShare: number | null;
  buckets: ChunkTimingBucket[];
  reasons: string[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const r1 = (x: number) => Math.round(x * 10) / 10;

export interface ChunkTimingOptions {
  /** Fewest steady chunks to say anything (default 8). */
  minChunks?: number;
  /** tokenScaledShare at or above which gaps are read as coalescing (default 0.6). */
  coalescingAbove?: number;
  /** tokenScaledShare at or below which gaps are read as multi-token steps (default 0.35). */
  stepsBelow?: number;
}

export function chunkTimingHint(input: ChunkTimingInput, opts: ChunkTimingOptions = {}): ChunkTimingHint {
  const minChunks = opts.minChunks ?? 8;
  const coalescingAbove = opts.coalescingAbove ?? 0.6;
  const stepsBelow = opts.stepsBelow ?? 0.35;
  const reasons: string[] = [];
  const empty = (why: string): ChunkTimingHint => ({
    verdict: 'unclear',
    label: 'hint',
    chunks: 0,
    meanTokensPerChunk: null,
    singleTokenShare: null,
    multiTokenShare: null,
    fixedMs: null,
    perTokenMs: null,
    tokenScaledShare: null,
    buckets: [],
    reasons: [...reasons, why],
  });

  // gap i separates chunk i and chunk i+1: it is the wait for the tokens of chunk i+1.
  let pairs: { gap: number; tokens: number }[] = [];
  const n = Math.min(input.interChunkMs.length, input.tokensPerChunk.length - 1);
  for (let i = 0; i < n; i++) {
    const gap = input.interChunkMs[i];
    const tokens = input.tokensPerChunk[i + 1];
    if (Number.isFinite(gap) && gap >= 0 && Number.isFinite(tokens) && tokens > 0) pairs.push({ gap, tokens });
  }
  // Steady decode segment: drop the first 10% (at least one chunk) and the last chunk, which often flushes a tail.
  const head = Math.max(1, Math.floor(pairs.length * 0.1));
  pairs = pairs.slice(head, Math.max(head, pairs.length - 1));
  if (pairs.length < minChunks)
    return empty(`only ${pairs.length} chunks in the steady decode segment; at least ${minChunks} are needed`);
  // Stalls (a gap over 5× the median) are network or scheduling hiccups, not decode steps.
  const med = median(pairs.map((p) => p.gap));
  const kept = med > 0 ? pairs.filter((p) => p.gap <= 5 * med) : pairs;
  if (kept.length < pairs.length)
    reasons.push(`${pairs.length - kept.length} stalled gap(s) over 5× the median (${r1(med)} ms) left out`);
  pairs = kept;

  const meanTokens = pairs.reduce((s, p) => s + p.tokens, 0) / pairs.length;
  const meanGap = pairs.reduce((s, p) => s + p.gap, 0) / pairs.length;
  const size = (t: number) => Math.max(1, Math.round(t));
  const single = pairs.filter((p) => size(p.tokens) === 1).length / pairs.length;
  const multi = 1 - single;

  const byTokens = new Map<number, number[]>();
  for (const p of pairs) {
    const k = size(p.tokens);
    byTokens.set(k, [...(byTokens.get(k) ?? []), p.gap]);
  }
  const buckets: ChunkTimingBucket[] = [...byTokens.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([tokens, gaps]) => ({ tokens, chunks: gaps.length, medianGapMs: r1(median(gaps)) }));
  reasons.push(
    `${pairs.length} steady chunks, ${r1(meanTokens)} tokens per chunk on average; ${percent(single)} carry one token`,
  );
  reasons.push(
    `median gap by chunk size: ${buckets.map((b) => `${b.tokens} tok → ${b.medianGapMs} ms (${b.chunks})`).join(', ')}`,
  );

  const base: Omit<ChunkTimingHint, 'verdict' | 'fixedMs' | 'perTokenMs' | 'tokenScaledShare'> = {
    label: 'hint',
    chunks: pairs.length,
    meanTokensPerChunk: meanTokens,
    singleTokenShare: single,
    multiTokenShare: multi,
    buckets,
    reasons,
  };

  if (multi < 0.1 && meanTokens < 1.3) {
    reasons.push(
      'chunks carry one token each: no sign of multi-token steps (speculation may still be on with drafts mostly rejected, or hidden by the stream)',
    );
    return { ...base, verdict: 'single-token', fixedMs: null, perTokenMs: null, tokenScaledShare: null };
  }

  // Weighted least squares over per-size medians (robust to jitter), sizes with at least two chunks.
  const usable = buckets.filter((b) => b.chunks >= 2);
  if (usable.length < 2) {
    reasons.push('chunk sizes do not vary enough to tell a fixed step from coalescing by count');
    return { ...base, verdict: 'unclear', fixedMs: null, perTokenMs: null, tokenScaledShare: null };
  }
  const W = usable.reduce((s, b) => s + b.chunks, 0);
  const mx = usable.reduce((s, b) => s + b.chunks * b.tokens, 0) / W;
  const my = usable.reduce((s, b) => s + b.chunks * b.medianGapMs, 0) / W;
  const sxx = usable.reduce((s, b) => s + b.chunks * (b.tokens - mx) ** 2, 0);
  const sxy = usable.reduce((s, b) => s + b.chunks * (b.tokens - mx) * (b.medianGapMs - my), 0);
  const perTokenMs = sxx > 0 ? sxy / sxx : 0;
  const fixedMs = my - perTokenMs * mx;
  const share = meanGap > 0 ? Math.max(0, (perTokenMs * meanTokens) / meanGap) : 0;
  reasons.push(
    `fit: gap ≈ ${r1(fixedMs)} ms + ${r1(perTokenMs)} ms × tokens; the per-token part is ${percent(Math.min(share, 1))} of the mean gap`,
  );

  let verdict: ChunkTimingVerdict;
  if (share >= coalescingAbove) {
    verdict = 'coalescing';
    reasons.push('gaps grow about linearly with tokens per chunk: looks like single-token steps coalesced into chunks');
  } else if (share <= stepsBelow) {
    verdict = 'multi-token-steps';
    reasons.push(
      'chunks of several tokens arrive at about the same gap as single-token chunks: looks like multi-token steps (speculative decoding or MTP)',
    );
    if (single < 0.05)
      reasons.push('almost no single-token chunks: a server that flushes on a timer would look the same');
  } else {
    verdict = 'unclear';
    reasons.push('gaps grow with chunk size, but not in proportion: neither pattern fits well');
  }
  return { ...base, verdict, fixedMs, perTokenMs, tokenScaledShare: share };
}
