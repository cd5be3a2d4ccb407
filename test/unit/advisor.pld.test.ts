/** Prompt lookup replay on hand-made token sequences; every expected value is worked out by hand in the comments. */
import { describe, expect, it } from 'vitest';
import {
  copiedShare,
  estimatePromptLookupFromReplay,
  replayPromptLookup,
  simpleTokenizer,
} from '../../src/core/advisor';

describe('replayPromptLookup', () => {
  it('an output that copies the prompt: one undrafted step, then one step that accepts the rest', () => {
    // prompt 1..8, output 1..8.
    // step 1 (context = prompt, ends …6,7,8): [6,7,8], [7,8], [8] occur nowhere earlier → no draft, emit 1 token ("1").
    // step 2 (context ends …8,1): [8,1] no; [1] latest earlier at index 0 → draft = tokens after it = 2,3,4,5,6,7,8,1
    //   (8 tokens: capped by the context end, under numDraft 10). Output still to come: 2..8 (7 tokens) → all 7 match;
    //   the output ends there, so emitted = 7 (the bonus token would be end-of-sequence).
    // steps 2, tokens per step 8/2 = 4, drafted 8, accepted 7.
    const r = replayPromptLookup([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.steps).toBe(2);
    expect(r.draftSteps).toBe(1);
    expect(r.meanAcceptedPerStep).toBe(4);
    expect(r.draftedTokens).toBe(8);
    expect(r.acceptedDraftTokens).toBe(7);
    expect(r.acceptanceRate).toBeCloseTo(7 / 8, 12);
    expect(r.trace.map((s) => [s.ngram, s.drafted, s.accepted, s.emitted])).toEqual([
      [0, 0, 0, 1],
      [1, 8, 7, 7],
    ]);
    expect(r.copiedShare).toBe(1); // all 6 output trigrams are prompt trigrams
  });

  it('takes the latest earlier match, not the first', () => {
    // maxNgram 1. prompt 7,1,7,2,7: the last token 7 occurs earlier at 0 and 2; the latest is 2 → draft = 2,7
    // (what follows index 2, up to the context end). Output 2,7,9: accepts 2 and 7, then the target's bonus token 9.
    // One step emits all 3 tokens. (The first match, index 0, would draft 1,7,2,7 and accept nothing.)
    const r = replayPromptLookup([7, 1, 7, 2, 7], [2, 7, 9], { maxNgram: 1 });
    expect(r.steps).toBe(1);
    expect(r.trace[0]).toEqual({ at: 0, ngram: 1, drafted: 2, accepted: 2, emitted: 3 });
    expect(r.meanAcceptedPerStep).toBe(3);
  });

  it('tries the 3-gram before the 2-gram and 1-gram, and caps the draft at numDraft', () => {
    // prompt 1,2,3,4,9,9,3,5,1,2,3 (indices 0..10). Suffix 3-gram 1,2,3 matches at 0 → draft 4,9,9,3,5,1,2,3 (8 tokens).
    // (The 1-gram 3 alone would match its latest occurrence at 6 and draft 5,1,2,3 — wrong here.)
    // Output 4,9,9,0: accepts 4,9,9 (3), bonus 0 → one step, 4 tokens.
    const r = replayPromptLookup([1, 2, 3, 4, 9, 9, 3, 5, 1, 2, 3], [4, 9, 9, 0]);
    expect(r.trace).toEqual([{ at: 0, ngram: 3, drafted: 8, accepted: 3, emitted: 4 }]);

    // Same with numDraft 2. Step 1: draft 4,9 → both accepted, bonus 9 → 3 tokens (pos 3).
    // Step 2: context ends …3,4,9,9; 3-gram 4,9,9 occurs at prompt index 3 → draft 3,5; output[3] = 0 ≠ 3 → accept 0,
    // emit the target's 0. Steps 2, tokens per step 4/2 = 2, drafted 4, accepted 2.
    const c = replayPromptLookup([1, 2, 3, 4, 9, 9, 3, 5, 1, 2, 3], [4, 9, 9, 0], { numDraft: 2 });
    expect(c.trace).toEqual([
      { at: 0, ngram: 3, drafted: 2, accepted: 2, emitted: 3 },
      { at: 3, ngram: 3, drafted: 2, accepted: 0, emitted: 1 },
    ]);
    expect(c.meanAcceptedPerStep).toBe(2);
    expect(c.draftedTokens).toBe(4);
    expect(c.acceptedDraftTokens).toBe(2);
  });

  it('drafts from the text generated so far, not only from the prompt', () => {
    // prompt 100; output 1,2,3,1,2,3,1,2,3.
    // steps 1–4 emit 1,2,3,1 one at a time (no earlier occurrence of any suffix).
    // step 5: context 100,1,2,3,1: 3-gram 2,3,1 and 2-gram 3,1 have no earlier match; 1-gram 1 at index 1 → draft 2,3,1;
    //   output 2,3,1,2,3 → accept 3, bonus 2 → 4 tokens.
    // step 6: context 100,1,2,3,1,2,3,1,2: 3-gram 3,1,2 latest earlier at 3 → draft 3,1,2; one token left (3) → accept 1,
    //   emitted 1 (end of output).
    // 6 steps for 9 tokens = 1.5 per step; drafted 6, accepted 4, two draft steps.
    const r = replayPromptLookup([100], [1, 2, 3, 1, 2, 3, 1, 2, 3]);
    expect(r.trace.map((s) => s.emitted)).toEqual([1, 1, 1, 1, 4, 1]);
    expect(r.trace[4]).toMatchObject({ ngram: 1, drafted: 3, accepted: 3 });
    expect(r.trace[5]).toMatchObject({ ngram: 3, drafted: 3, accepted: 1 });
    expect(r.steps).toBe(6);
    expect(r.meanAcceptedPerStep).toBe(1.5);
    expect(r.draftedTokens).toBe(6);
    expect(r.acceptedDraftTokens).toBe(4);
    expect(r.draftSteps).toBe(2);
  });

  it('an output with nothing to copy takes one step per token', () => {
    const r = replayPromptLookup([1, 2, 3], [4, 5, 6, 7]);
    expect(r.steps).toBe(4);
    expect(r.meanAcceptedPerStep).toBe(1);
    expect(r.acceptanceRate).toBeNull();
  });

  it('an empty output takes no steps', () => {
    const r = replayPromptLookup([1, 2, 3], []);
    expect(r.steps).toBe(0);
    expect(r.meanAcceptedPerStep).toBe(0);
  });

  it('rejects bad options', () => {
    expect(() => replayPromptLookup([1], [1], { maxNgram: 0 })).toThrow(RangeError);
    expect(() => replayPromptLookup([1], [1], { minNgram: 3, maxNgram: 2 })).toThrow(RangeError);
    expect(() => replayPromptLookup([1], [1], { numDraft: 1.5 })).toThrow(RangeError);
  });

  it('is fast enough for long prompts and outputs', () => {
    const prompt = Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 5000);
    const output = Array.from({ length: 4_000 }, (_, i) => (i % 3 ? prompt[i * 3] : i));
    const t0 = performance.now();
    replayPromptLookup(prompt, output);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

describe('copiedShare', () => {
  it('is the share of output n-grams found in the prompt', () => {
    // output trigrams: 1,2,3 ✓ · 2,3,9 ✗ · 3,9,2 ✗ · 9,2,3 ✗ · 2,3,4 ✓ → 2 of 5.
    expect(copiedShare([1, 2, 3, 4], [1, 2, 3, 9, 2, 3, 4], 3)).toBe(0.4);
    expect(copiedShare([1, 2, 3], [1, 2], 3)).toBe(0);
  });
});

describe('estimatePromptLookupFromReplay', () => {
  it('speedup = tokens ÷ (steps + overhead × draft steps)', () => {
    // 9 tokens, 6 steps of which 2 verified drafts: cost 6 + 0.1 × 2 = 6.2 → 9 / 6.2.
    const r = replayPromptLookup([100], [1, 2, 3, 1, 2, 3, 1, 2, 3]);
    const e = estimatePromptLookupFromReplay(r);
    expect(e.speedup).toBeCloseTo(9 / 6.2, 12);
    expect(e.basis).toBe('replay');
    expect(e.label).toBe('estimated');
    expect(estimatePromptLookupFromReplay(r, { verifyOverhead: 0 }).speedup).toBeCloseTo(1.5, 12);
    expect(e.assumptions.join(' ')).toMatch(/verifies a draft costs 1.1×/);
    expect(e.assumptions.join(' ')).toMatch(/too few/); // 9 tokens
  });

  it('drafts that are always rejected cost time: speedup below 1', () => {
    // prompt 5,6; output 5,7,5,8.
    // step 1: context 5,6 — no earlier match of 6 → no draft, emit 5.
    // step 2: context 5,6,5 — 1-gram 5 at 0 → draft 6,5; target says 7 → accept 0, emit 7.
    // step 3: context …5,7 — 7 never seen before → no draft, emit 5.
    // step 4: context …7,5 — 1-gram 5, latest earlier at 2 → draft 7,5; target says 8 → accept 0, emit 8.
    // 4 steps, 2 of them verifying a draft: cost 4 + 0.1 × 2 = 4.2 → 4 / 4.2 ≈ 0.952.
    const r = replayPromptLookup([5, 6], [5, 7, 5, 8]);
    expect(r.trace.map((s) => [s.drafted, s.accepted, s.emitted])).toEqual([
      [0, 0, 1],
      [2, 0, 1],
      [0, 0, 1],
      [2, 0, 1],
    ]);
    expect(estimatePromptLookupFromReplay(r).speedup).toBeCloseTo(4 / 4.2, 12);
  });
});

describe('simpleTokenizer', () => {
  it('splits words, punctuation and CJK characters, with stable ids', () => {
    const t = simpleTokenizer();
    const a = t.encode('Hello, world. 你好世界');
    expect(a).toHaveLength(8); // Hello , ␠world . ␠你 好 世 界
    expect(t.encode('Hello')).toEqual([a[0]]);
  });
});
