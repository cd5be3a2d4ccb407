/**
 * The lines the extension writes to its "Tokenscope" output channel during a benchmark. Pure: no `vscode`, so
 * what reaches the log is tested (no key, no raw control characters) without an editor.
 */
import type { ProgressEvent } from '../types';
import { printable } from '../terminalText';
import { retryText, runOutcomeText } from './format';
import type { ModelSpec } from '../types';

export interface LogLine {
  level: 'info' | 'warn';
  message: string;
}

/** The line that opens a benchmark in the log. */
export function benchmarkStartLine(
  models: readonly ModelSpec[],
  s: { runs: number; warmup: number; concurrency: number; maxTokens: number },
  promptChars: number,
): string {
  return printable(
    `benchmark: ${models.map((m) => m.id).join(', ')} · ${s.runs} run(s), ${s.warmup} warm-up, concurrency ${s.concurrency}, max ${s.maxTokens} tokens · prompt ${promptChars} chars`,
  );
}

/** The log line of a progress event, if it has one. */
export function progressLogLine(e: ProgressEvent): LogLine | undefined {
  switch (e.type) {
    case 'warning':
      return { level: 'warn', message: printable(e.message) };
    case 'retry':
      return { level: 'warn', message: printable(retryText(e)) };
    case 'run-end': {
      // The output channel is where a failed run's own message is read, so it follows the outcome.
      const what = runOutcomeText(e.metrics) + (e.metrics.ok ? '' : `: ${e.metrics.error}`);
      return {
        level: 'info',
        message: printable(`${e.modelId} run ${e.index + 1}${e.warmup ? ' (warm-up)' : ''}: ${what}`),
      };
    }
    default:
      return undefined;
  }
}
