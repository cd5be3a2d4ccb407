/**
 * Replay of prompt lookup decoding (PLD) over a finished run's tokens.
 *
 * PLD as Tokenscope replays it (vLLM `ngram`, HF `prompt_lookup_num_tokens`, llama.cpp lookup follow the same idea):
 * at each target step, take the last n tokens of prompt + output-so-far (n = maxNgram, then n − 1, … down to
 * minNgram) and find their latest earlier occurrence in that same text; the draft is what followed that occurrence,
 * up to numDraft tokens (never past the text generated so far). The target verifies the draft in one forward pass;
 * with greedy decoding it accepts the longest prefix of the draft that matches what it would have produced, plus
 * one token of its own (the bonus token). The output of a greedy run is exactly what the target produces, so
 * replaying over it gives the steps the run would have taken with PLD switched on.
 *
 * Note: HF transformers takes the earliest match rather than the latest; Tokenscope takes the latest (the most recent context predicts best).
 */

export interface PldOptions {
  /** Longest n-gram to look up (default 3). */
  maxNgram?: number;
  /** Shortest n-gram to fall back to (default 1). */
  minNgram?: number;
  /** Most tokens drafted per step (default 10). */
  numDraft?: number;
  /** n of the n-grams counted for copiedShare (default maxNgram). */
  copyNgram?: number;
}

export interface PldStep {
  /** Output position the step starts at. */
  at: number;
  /** n of the matched n-gram (0 when nothing matched and no draft was proposed). */
  ngram: number;
  drafted: number;
  accepted: number;
  /** Tokens this step emitted: accepted + the bonus token (capped at the end of the output). */
  emitted: number;
}

export interface PldReplay {
  outputTokens: number;
  promptTokens: number;
  /** Target forward passes needed to produce the output with PLD. */
  steps: number;
  /** Steps that had a draft to verify. */
  draftSteps: number;
  /** Tokens emitted per target forward pass, the bonus token included: outputTokens ÷ steps. */
  meanAcceptedPerStep: number;
  /** Draft tokens the target accepted, summed over steps. */
  acceptedDraftTokens: number;
  /** Draft tokens proposed, summed over steps. */
  draftedTokens: number;
  /** acceptedDraftTokens ÷ draftedTokens (null when nothing was drafted). */
  acceptanceRate: number | null;
  /** Share of the output's n-grams (n = copyNgram) that occur anywhere in the prompt. */
  copiedShare: number;
  copyNgram: number;
  options: Required<Omit<PldOptions, 'copyNgram'>>;
  /** Per-step record, for tests and for explaining a result. */
  trace: PldStep[];
}

function int(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${v}`);
  return v;
}

/** Key of an n-gram for the index; token ids are integers so a comma-joined string is unambiguous. */
function key(seq: readonly number[], start: number, n: number): string {
  let k = String(seq[start]);
  for (let i = 1; i < n; i++) k += ',' + seq[start + i];
  return k;
}

/** Share of the output's n-grams that also occur in the prompt (0 when the output has fewer than n tokens). */
export function copiedShare(promptTokens: readonly number[], outputTokens: readonly number[], n = 3): number {
  int('n', n, 1);
  const total = outputTokens.length - n + 1;
  if (total <= 0) return 0;
  const seen = new Set<string>();
  for (let i = 0; i + n <= promptTokens.length; i++) seen.add(key(promptTokens, i, n));
  let hits = 0;
  for (let i = 0; i < total; i++) if (seen.has(key(outputTokens, i, n))) hits++;
  return hits / total;
}

export function replayPromptLookup(
  promptTokens: readonly number[],
  outputTokens: readonly number[],
  opts: PldOptions = {},
): PldReplay {
  const maxNgram = int('maxNgram', opts.maxNgram ?? 3, 1);
  const minNgram = int('minNgram', opts.minNgram ?? 1, 1);
  const numDraft = int('numDraft', opts.numDraft ?? 10, 1);
  const copyNgram = int('copyNgram', opts.copyNgram ?? maxNgram, 1);
  if (minNgram > maxNgram) throw new RangeError(`minNgram (${minNgram}) must not exceed maxNgram (${maxNgram})`);

  const text = [...promptTokens, ...outputTokens];
  const P = promptTokens.length;
  // index[n]: n-gram key → latest start s among the n-grams already indexed. Invariant: with L tokens of context,
  // every n-gram with s + n ≤ L − 1 is indexed (it ends before the last token), so the suffix itself (s = L − n) is
  // never its own match and every match has at least one token after it.
  const index = new Map<number, Map<string, number>>();
  const indexedUpTo = new Map<number, number>(); // next start to index, per n
  for (let n = minNgram; n <= maxNgram; n++) {
    index.set(n, new Map());
    indexedUpTo.set(n, 0);
  }
  const advance = (L: number) => {
    for (let n = minNgram; n <= maxNgram; n++) {
      const map = index.get(n)!;
      let s = indexedUpTo.get(n)!;
      for (; s + n <= L - 1; s++) map.set(key(text, s, n), s);
      indexedUpTo.set(n, s);
    }
  };

  const trace: PldStep[] = [];
  let pos = 0;
  let acceptedDraftTokens = 0;
  let draftedTokens = 0;
  let draftSteps = 0;
  while (pos < outputTokens.length) {
    const L = P + pos;
    advance(L);
    let draftStart = -1;
    let draftLen = 0;
    let ngram = 0;
    for (let n = maxNgram; n >= minNgram; n--) {
      if (L < n + 1) continue;
      const s = index.get(n)!.get(key(text, L - n, n));
      if (s === undefined) continue;
      draftStart = s + n;
      draftLen = Math.min(numDraft, L - draftStart);
      ngram = n;
      break;
    }
    let accepted = 0;
    while (
      accepted < draftLen &&
      pos + accepted < outputTokens.length &&
      text[draftStart + accepted] === outputTokens[pos + accepted]
    )
      accepted++;
    const emitted = Math.min(accepted + 1, outputTokens.length - pos);
    trace.push({ at: pos, ngram, drafted: draftLen, accepted, emitted });
    if (draftLen > 0) draftSteps++;
    draftedTokens += draftLen;
    acceptedDraftTokens += accepted;
    pos += emitted;
  }
  const steps = trace.length;
  return {
    outputTokens: outputTokens.length,
    promptTokens: P,
    steps,
    draftSteps,
    meanAcceptedPerStep: steps ? outputTokens.length / steps : 0,
    acceptedDraftTokens,
    draftedTokens,
    acceptanceRate: draftedTokens ? acceptedDraftTokens / draftedTokens : null,
    copiedShare: copiedShare(promptTokens, outputTokens, copyNgram),
    copyNgram,
    options: { maxNgram, minNgram, numDraft },
    trace,
  };
}

/**
 * A stand-in tokenizer for when no real one is given: words (with their leading space), single punctuation
 * marks, and single CJK characters, each mapped to a stable id. Only for replay; counts differ from any model's.
 */
export function simpleTokenizer(): { name: string; encode(text: string): number[] } {
  const ids = new Map<string, number>();
  const re = /\s*[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]|\s*[\p{L}\p{N}_]+|\s*[^\s\p{L}\p{N}_]|\s+/gu;
  return {
    name: 'simple (words and CJK characters)',
    encode(text: string): number[] {
      const out: number[] = [];
      for (const m of text.matchAll(re)) {
        let id = ids.get(m[0]);
        if (id === undefined) ids.set(m[0], (id = ids.size));
        out.push(id);
      }
      return out;
    },
  };
}
