/**
 * Fuzzing settings shared by the property tests: a fixed seed, so the normal test run is repeatable, and a
 * larger run on demand:  FUZZ_RUNS=5000 npx vitest run test/unit/fuzz  (FUZZ_SEED=… picks another seed; a
 * failure prints the seed and path to replay it).
 */
import type { Parameters as FcParameters } from 'fast-check';

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_251_130);
const override = Number(process.env.FUZZ_RUNS ?? 0);

/** fast-check parameters: `runs` cases normally, FUZZ_RUNS when that is larger. */
export function fuzz<T = unknown>(runs: number): FcParameters<T> {
  return { seed: FUZZ_SEED, numRuns: Math.max(runs, Number.isFinite(override) ? override : 0) };
}

/** How long an on-demand run may take, for test timeouts: scales with the run count. */
export function fuzzTimeout(runs: number, msPerRun: number, floorMs = 20_000): number {
  return Math.max(floorMs, Math.max(runs, override) * msPerRun * 2);
}

/** Cuts `s` at the given positions (taken modulo its length, sorted, de-duplicated). */
export function splitAt<T extends { length: number; slice(a: number, b?: number): T }>(
  s: T,
  cuts: readonly number[],
): T[] {
  const points = [...new Set(cuts.map((c) => (s.length ? c % (s.length + 1) : 0)))].sort((a, b) => a - b);
  const pieces: T[] = [];
  let prev = 0;
  for (const p of points) {
    if (p <= prev) continue;
    pieces.push(s.slice(prev, p));
    prev = p;
  }
  pieces.push(s.slice(prev));
  return pieces;
}
