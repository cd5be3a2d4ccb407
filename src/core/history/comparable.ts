import type { HistoryRecord } from './contract';

/**
 * Whether a record belongs in medians compared across models and weeks: warm-cache runs would flatter TTFT and
 * sweep runs measure prompt sizes of their own, so both stay out. Older records (no cacheState) are kept.
 */
export function isComparableRun(r: HistoryRecord): boolean {
  return r.cacheState !== 'warm' && r.targetInputTokens === undefined;
}
