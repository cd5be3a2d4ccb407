/**
 * Leviathan, Kalman & Matias (2023), "Fast Inference from Transformers via Speculative Decoding".
 * With per-token acceptance rate α (tokens accepted independently with probability α), draft length γ and
 * draft/target cost ratio c (cost of one draft token ÷ cost of one target step):
 *   expected tokens per target step  E = (1 − α^(γ+1)) / (1 − α)
 *   expected wall-time speedup       S = (1 − α^(γ+1)) / ((1 − α)(γc + 1))
 * The formula assumes a target step that verifies γ+1 tokens costs the same as one that decodes 1.
 */

export interface LeviathanResult {
  alpha: number;
  gamma: number;
  c: number;
  /** E: tokens emitted per target forward pass, the bonus token included. */
  expectedTokensPerStep: number;
  speedup: number;
}

function check(alpha: number, gamma: number, c = 0): void {
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`alpha must be in [0, 1], got ${alpha}`);
  if (!(Number.isInteger(gamma) && gamma >= 0)) throw new RangeError(`gamma must be an integer ≥ 0, got ${gamma}`);
  if (!(c >= 0)) throw new RangeError(`c must be ≥ 0, got ${c}`);
}

/** E = (1 − α^(γ+1)) / (1 − α); at α = 1 its limit γ + 1. */
export function expectedTokensPerStep(alpha: number, gamma: number): number {
  check(alpha, gamma);
  if (alpha === 1) return gamma + 1;
  return (1 - alpha ** (gamma + 1)) / (1 - alpha);
}

/** Expected tokens per step and wall-time speedup (Leviathan et al. 2023, Theorem 3.8 and its speedup corollary). */
export function leviathan(alpha: number, gamma: number, c: number): LeviathanResult {
  check(alpha, gamma, c);
  const e = expectedTokensPerStep(alpha, gamma);
  return { alpha, gamma, c, expectedTokensPerStep: e, speedup: e / (gamma * c + 1) };
}

/**
 * The inverse: the α that gives an observed mean acceptance length E (tokens per step, bonus included) at draft
 * length γ. E is clamped to [1, γ + 1]; solved by bisection (E is increasing in α). γ may be fractional here
 * (e.g. vLLM's mean draft length), in which case the formula is used as a smooth interpolation.
 */
export function alphaFromAcceptanceLength(acceptanceLength: number, gamma: number): number {
  if (!(gamma > 0)) throw new RangeError(`gamma must be > 0, got ${gamma}`);
  if (!Number.isFinite(acceptanceLength))
    throw new RangeError(`acceptance length must be finite, got ${acceptanceLength}`);
  const target = Math.min(Math.max(acceptanceLength, 1), gamma + 1);
  if (target <= 1) return 0;
  if (target >= gamma + 1) return 1;
  const e = (a: number) => (a === 1 ? gamma + 1 : (1 - a ** (gamma + 1)) / (1 - a));
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (e(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The α at which speculation with (γ, c) breaks even (speedup 1); useful to say how good a drafter must be. */
export function breakEvenAlpha(gamma: number, c: number): number {
  check(0, gamma, c);
  return alphaFromAcceptanceLength(gamma * c + 1, gamma);
}
