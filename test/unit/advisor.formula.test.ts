/** Leviathan et al. 2023 and the category estimates built on it. */
import { describe, expect, it } from 'vitest';
import {
  acceptanceLengthK7,
  alphaFromAcceptanceLength,
  breakEvenAlpha,
  DEEPSEEK_V3_MTP,
  DEEPSEEK_V3_REPORT,
  EAGLE2_MEAN,
  estimateDraftModel,
  estimatePromptLookupFromCategory,
  expectedTokensPerStep,
  leviathan,
  SPEC_BENCH,
  SPEC_BENCH_TASKS,
  stockMtpAcceptanceLength,
} from '../../src/core/advisor';

describe('leviathan', () => {
  it('known values', () => {
    // α 0.8, γ 4: E = (1 − 0.8^5) / 0.2 = (1 − 0.32768) / 0.2 = 3.3616; c 0 → speedup 3.3616; c 0.1 → 3.3616 / 1.4 = 2.4011…
    expect(leviathan(0.8, 4, 0).expectedTokensPerStep).toBeCloseTo(3.3616, 12);
    expect(leviathan(0.8, 4, 0).speedup).toBeCloseTo(3.3616, 12);
    expect(leviathan(0.8, 4, 0.1).speedup).toBeCloseTo(3.3616 / 1.4, 12);
    // α 0.6, γ 2, c 0.05: E = (1 − 0.216) / 0.4 = 1.96; speedup 1.96 / 1.1 = 1.7818…
    expect(leviathan(0.6, 2, 0.05).expectedTokensPerStep).toBeCloseTo(1.96, 12);
    expect(leviathan(0.6, 2, 0.05).speedup).toBeCloseTo(1.96 / 1.1, 12);
    // α 0.5, γ 1: E = 1.5 (the one draft token accepted half the time, plus the bonus token).
    expect(expectedTokensPerStep(0.5, 1)).toBe(1.5);
  });

  it('limits: α 0 gives one token per step and a slowdown of 1/(γc + 1); α 1 gives γ + 1', () => {
    expect(leviathan(0, 5, 0.1).expectedTokensPerStep).toBe(1);
    expect(leviathan(0, 5, 0.1).speedup).toBeCloseTo(1 / 1.5, 12);
    expect(leviathan(1, 5, 0).expectedTokensPerStep).toBe(6);
    expect(expectedTokensPerStep(0.999999, 5)).toBeCloseTo(6, 4);
    expect(expectedTokensPerStep(0.3, 0)).toBe(1); // no draft: plain decoding
  });

  it('DeepSeek-V3 MTP: 85–90% second-token acceptance with γ = 1 gives 1.85–1.9 tokens per step; ≈1.8× puts c near 0.03–0.06', () => {
    expect(expectedTokensPerStep(0.85, 1)).toBeCloseTo(1.85, 12);
    expect(expectedTokensPerStep(0.9, 1)).toBeCloseTo(1.9, 12);
    // c = E / 1.8 − 1 for γ = 1
    expect(1.85 / DEEPSEEK_V3_REPORT.secondTokenSpeedup - 1).toBeCloseTo(0.0278, 3);
    expect(1.9 / DEEPSEEK_V3_REPORT.secondTokenSpeedup - 1).toBeCloseTo(0.0556, 3);
    expect(leviathan(0.85, 1, 0.05).speedup).toBeCloseTo(1.762, 3);
  });

  it('rejects values outside the domain', () => {
    expect(() => leviathan(1.2, 3, 0)).toThrow(RangeError);
    expect(() => leviathan(0.5, 2.5, 0)).toThrow(RangeError);
    expect(() => leviathan(0.5, 3, -1)).toThrow(RangeError);
  });
});

describe('alphaFromAcceptanceLength (the inverse)', () => {
  it('round-trips', () => {
    for (const a of [0.1, 0.5, 0.776, 0.9, 0.99])
      for (const g of [1, 3, 7]) expect(alphaFromAcceptanceLength(expectedTokensPerStep(a, g), g)).toBeCloseTo(a, 9);
    expect(alphaFromAcceptanceLength(3.3616, 4)).toBeCloseTo(0.8, 9);
  });
  it('clamps to [1, γ + 1]', () => {
    expect(alphaFromAcceptanceLength(0.5, 3)).toBe(0);
    expect(alphaFromAcceptanceLength(9, 3)).toBe(1);
  });
  it('MT-Bench acceptance length 3.88 at K = 7 is α ≈ 0.776', () => {
    // (1 − 0.776^8) / (1 − 0.776) = (1 − 0.1310) / 0.224 = 3.879
    expect(alphaFromAcceptanceLength(3.88, 7)).toBeCloseTo(0.776, 3);
  });
  it('break-even α: speculation with γ 4 and c 0.1 needs E ≥ 1.4', () => {
    const a = breakEvenAlpha(4, 0.1);
    expect(leviathan(a, 4, 0.1).speedup).toBeCloseTo(1, 9);
  });
});

describe('category estimates', () => {
  it('prompt lookup from the category is Spec-Bench’s measured PLD number, and none for code', () => {
    for (const t of SPEC_BENCH_TASKS)
      expect(estimatePromptLookupFromCategory(t).speedup).toBe(SPEC_BENCH.speedup.PLD[t]);
    const none = estimatePromptLookupFromCategory(null);
    expect(none.speedup).toBeNull();
    expect(none.assumptions[0]).toMatch(/no published/);
  });

  it("stock MTP head: the published mean 3.20 split by benchmark in the fine-tuned head's proportions", () => {
    const ftMean = (3.88 + 4.64 + 5.51) / 3;
    expect(stockMtpAcceptanceLength('MT-Bench')).toBeCloseTo((3.2 * 3.88) / ftMean, 12); // 2.655
    expect(stockMtpAcceptanceLength('HumanEval')).toBeCloseTo(3.175, 3);
    const mean =
      (stockMtpAcceptanceLength('MT-Bench') +
        stockMtpAcceptanceLength('HumanEval') +
        stockMtpAcceptanceLength('GSM8K')) /
      3;
    expect(mean).toBeCloseTo(DEEPSEEK_V3_MTP.stockMean, 12);
  });

  it('acceptance length at K = 7: MT-Bench anchors multi-turn, others scale by EAGLE-2’s relative gain, code is HumanEval', () => {
    expect(acceptanceLengthK7('multi-turn')).toBeCloseTo(2.6549, 4);
    expect(acceptanceLengthK7('translation')).toBeCloseTo(2.6549 * (1.88 / 2.84), 4);
    expect(acceptanceLengthK7('code')).toBeCloseTo(3.1749, 4);
    expect(acceptanceLengthK7('multi-turn', 'fine-tuned')).toBe(3.88);
    expect(acceptanceLengthK7('code', 'fine-tuned')).toBe(4.64);
  });

  it('draft-model speedups follow Spec-Bench’s per-task order for model-based drafters', () => {
    const s = Object.fromEntries(SPEC_BENCH_TASKS.map((t) => [t, estimateDraftModel(t).speedup]));
    const eagle = SPEC_BENCH.speedup['EAGLE-2'];
    const byEstimate = [...SPEC_BENCH_TASKS].sort((a, b) => s[b] - s[a]);
    const byPublished = [...SPEC_BENCH_TASKS].sort((a, b) => eagle[b] - eagle[a]);
    expect(byEstimate).toEqual(byPublished);
    // most on multi-turn and math, least on translation
    expect(byEstimate.slice(0, 2).sort()).toEqual(['math', 'multi-turn']);
    expect(byEstimate.at(-1)).toBe('translation');
  });

  it('states γ and c, uses Leviathan, and says where the task sits', () => {
    const d = estimateDraftModel('math', { gamma: 4, c: 0.1 });
    expect(d.gamma).toBe(4);
    expect(d.c).toBe(0.1);
    expect(d.speedup).toBeCloseTo(leviathan(d.alpha, 4, 0.1).speedup, 12);
    expect(d.fitsTask).toBe(true); // EAGLE-2 math 2.79 ≥ six-task mean
    expect(EAGLE2_MEAN).toBeCloseTo(14.13 / 6, 12);
    expect(estimateDraftModel('translation').fitsTask).toBe(false);
    expect(estimateDraftModel('code').fitsTask).toBe(true);
    expect(d.assumptions.join(' ')).toMatch(/γ = 4 .* c = 0.1/);
    expect(d.assumptions.join(' ')).toMatch(/GSM8K/); // says the estimate may be low for math
    expect(d.label).toBe('estimated');
    // defaults: γ 3, c 0.05 → the stock head, below the published EAGLE-2 numbers on multi-turn (2.84) and
    // translation (1.88); the fine-tuned head lands close to them, and is reported beside the estimate
    const mt = estimateDraftModel('multi-turn');
    expect(mt.speedup).toBeCloseTo(1.99, 2);
    expect(estimateDraftModel('translation').speedup).toBeCloseTo(1.48, 2);
    expect(mt.withFineTunedHead.speedup).toBeCloseTo(2.48, 2);
    expect(estimateDraftModel('translation').withFineTunedHead.speedup).toBeCloseTo(1.95, 2);
    expect(mt.assumptions.join(' ')).toMatch(/stock MTP head, mean 3\.20 .*nebius\/MTP-DeepSeek-V3-0324/);
    expect(mt.assumptions.join(' ')).toMatch(/fine-tuned MTP head .* ≈2\.48×/);
  });
});
