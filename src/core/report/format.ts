/**
 * How numbers, durations, money and progress lines read, wherever they are shown: the CLI, the reports, the
 * output channel and the hover. Pure. A missing value is always "—" in place of the number.
 */
import type { ProgressEvent, RunMetrics } from '../types';

const MISSING = '—';

const present = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

/** A formatter with a fixed number of decimals: fixed(1)(12.345) is "12.3", fixed(0)(null) is "—". */
export const fixed =
  (digits: number) =>
  (v: number | null | undefined): string =>
    present(v) ? v.toFixed(digits) : MISSING;

/** A value and its unit, with one decimal below 100: "12.5 ms", "840 ms", "—". */
export function withUnit(v: number | null | undefined, unit: string): string {
  return present(v) ? `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${unit}` : MISSING;
}

export function formatUsd(v: number): string {
  if (v === 0) return '$0';
  // Two significant digits for small amounts: $0.00009, $0.0042.
  if (v < 0.01) return `$${parseFloat(v.toPrecision(2))}`;
  if (v < 10) return `$${v.toFixed(4)}`;
  return `$${v.toFixed(2)}`;
}

/** A fraction as a whole percentage: 0.257 is "26%". */
export const percent = (fraction: number): string => `${Math.round(fraction * 100)}%`;

/** A signed change in percent: "+12.5%" / "−3.0%" / "0.0%" / "—". */
export function formatPct(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return MISSING;
  const s = Math.abs(p) < 0.05 ? '0.0' : Math.abs(p).toFixed(1);
  return p > 0 && s !== '0.0' ? `+${s}%` : p < 0 && s !== '0.0' ? `−${s}%` : '0.0%';
}

/** A duration for people: "4.2 s", "45 s", "3 min 5 s". */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 120) return `${Math.round(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** What one run gave, for a progress line: "TTFT 412 ms, 38.2 tok/s, 256 tokens", or "failed (timeout)". */
export function runOutcomeText(m: RunMetrics): string {
  if (!m.ok) return `failed (${m.errorKind})`;
  return `TTFT ${fixed(0)(m.ttftMs)} ms, ${fixed(1)(m.decodeTps)} tok/s, ${m.outputTokens ?? MISSING} tokens`;
}

/** The line announcing a retry: "retry 1 for deepseek-v4-flash in 2.0 s: <why>". */
export function retryText(e: Extract<ProgressEvent, { type: 'retry' }>): string {
  return `retry ${e.attempt} for ${e.modelId} in ${(e.waitMs / 1000).toFixed(1)} s: ${e.reason}`;
}
