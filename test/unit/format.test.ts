import { describe, expect, it } from 'vitest';
import { progressPrinter } from '../../src/cli/bench';
import type { Io } from '../../src/cli/io';
import {
  fixed,
  formatPct,
  formatSeconds,
  formatUsd,
  percent,
  runOutcomeText,
  withUnit,
} from '../../src/core/report/format';
import { progressLogLine } from '../../src/core/report/logLines';
import type { ProgressEvent } from '../../src/core/types';
import { run } from '../extension/fixtures';

function cliLines(events: ProgressEvent[]): string[] {
  const err: string[] = [];
  const io: Io = { err: (s) => void err.push(s), out: () => {}, env: {}, isTTY: false };
  const print = progressPrinter(io, true);
  events.forEach(print);
  return err;
}

describe('number formatting', () => {
  it('fixed: decimals as asked, a dash for a missing or non-finite value', () => {
    expect(fixed(1)(12.345)).toBe('12.3');
    expect(fixed(0)(839.6)).toBe('840');
    expect([null, undefined, NaN, Infinity].map(fixed(0))).toEqual(['—', '—', '—', '—']);
  });

  it('withUnit: one decimal below 100, none from 100', () => {
    expect(withUnit(12.34, 'ms')).toBe('12.3 ms');
    expect(withUnit(99.96, 'tok/s')).toBe('100.0 tok/s');
    expect(withUnit(100, 'ms')).toBe('100 ms');
    expect(withUnit(null, 'ms')).toBe('—');
  });

  it('formatUsd: two significant digits under a cent, four decimals under $10, cents above', () => {
    expect([0, 0.000093, 0.0042, 0.5, 12.345].map(formatUsd)).toEqual([
      '$0',
      '$0.000093',
      '$0.0042',
      '$0.5000',
      '$12.35',
    ]);
  });

  it('percentages: a fraction as a whole percent, a change with its sign', () => {
    expect(percent(0.257)).toBe('26%');
    expect([12.46, -3, 0.01, null].map(formatPct)).toEqual(['+12.5%', '−3.0%', '0.0%', '—']);
  });

  it('formatSeconds: tenths under 10 s, whole seconds under 2 min, then minutes', () => {
    expect([4210, 45_400, 185_000].map(formatSeconds)).toEqual(['4.2 s', '45 s', '3 min 5 s']);
  });
});

describe('progress lines', () => {
  const end = (metrics: ReturnType<typeof run>, warmup = false): ProgressEvent => ({
    type: 'run-end',
    modelId: 'qwen3-max',
    index: 0,
    warmup,
    metrics,
  });

  it('a run without a first token says TTFT — ms, in the terminal and in the output channel alike', () => {
    const metrics = run({ ttftMs: null, decodeTps: null, outputTokens: 0 });
    expect(runOutcomeText(metrics)).toBe('TTFT — ms, — tok/s, 0 tokens');
    const [cli] = cliLines([{ type: 'start', totalRuns: 2, models: ['qwen3-max'] }, end(metrics)]);
    expect(cli).toBe('[1/2] qwen3-max: TTFT — ms, — tok/s, 0 tokens');
    expect(progressLogLine(end(metrics))?.message).toBe('qwen3-max run 1: TTFT — ms, — tok/s, 0 tokens');
  });

  it('a measured run: the same numbers in both places', () => {
    const metrics = run({ ttftMs: 412.4, decodeTps: 38.25, outputTokens: 256 });
    const [, cli] = cliLines([{ type: 'start', totalRuns: 3, models: ['qwen3-max'] }, end(run(), true), end(metrics)]);
    expect(cli).toBe('[2/3] qwen3-max: TTFT 412 ms, 38.3 tok/s, 256 tokens');
    expect(progressLogLine(end(metrics))?.message).toBe('qwen3-max run 1: TTFT 412 ms, 38.3 tok/s, 256 tokens');
  });

  it('a failed run: its kind in the terminal; the output channel adds its message', () => {
    const metrics = run({ ok: false, errorKind: 'timeout', error: 'qwen3-max: no answer within 120 s.' });
    expect(cliLines([end(metrics)])).toEqual(['[1/0] qwen3-max: failed (timeout)']);
    expect(progressLogLine(end(metrics))?.message).toBe(
      'qwen3-max run 1: failed (timeout): qwen3-max: no answer within 120 s.',
    );
  });

  it('a retry reads the same in the terminal and the output channel', () => {
    const retry: ProgressEvent = {
      type: 'retry',
      modelId: 'kimi-k2',
      attempt: 2,
      waitMs: 1500,
      reason: 'kimi-k2: rate limited (HTTP 429).',
    };
    const expected = 'retry 2 for kimi-k2 in 1.5 s: kimi-k2: rate limited (HTTP 429).';
    expect(cliLines([retry])).toEqual([expected]);
    expect(progressLogLine(retry)).toEqual({ level: 'warn', message: expected });
  });
});
