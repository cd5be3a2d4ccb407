/**
 * The sidebar's leaderboard over the saved history under a filter: the leaderboard, the weekly region trend and
 * the by-hour heatmap, with the history's damaged-line warnings. Pure: no `vscode`, no file access.
 */
import { aggregateWeekly, leaderboard } from '../history/aggregate';
import { byHour } from '../history/byHour';
import type { HistoryReadResult } from '../history/contract';
import {
  buildLeaderboardView,
  DEFAULT_LEADERBOARD_FILTER,
  isCategoryFilter,
  isTimeRange,
  toLeaderboardFilter,
  type LeaderboardFilterState,
  type LeaderboardView,
} from './leaderboardView';
import type { ModelOutcome } from './outcomeTypes';

/** Warnings shown above the leaderboard; the rest are counted. */
const SHOWN_WARNINGS = 3;

/** A saved filter as the sidebar can use it: each field that is not valid falls back to the default. */
export function leaderboardFilterState(saved: unknown): LeaderboardFilterState {
  const v = (typeof saved === 'object' && saved !== null ? saved : {}) as Partial<
    Record<keyof LeaderboardFilterState, unknown>
  >;
  return {
    category: isCategoryFilter(v.category) ? v.category : DEFAULT_LEADERBOARD_FILTER.category,
    range: isTimeRange(v.range) ? v.range : DEFAULT_LEADERBOARD_FILTER.range,
  };
}

export function historyLeaderboardView(
  history: HistoryReadResult,
  filter: LeaderboardFilterState,
  outcomes: ReadonlyMap<string, ModelOutcome>,
  historyPath: string,
  now: Date,
): LeaderboardView {
  const { records, warnings } = history;
  const coreFilter = toLeaderboardFilter(filter, now);
  const board = leaderboard(records, coreFilter);
  // Only completed weeks count in the streak, so a benchmark minutes old makes no "1 week" lead.
  const weekly = aggregateWeekly(records, {
    category: coreFilter.category,
    since: coreFilter.since,
    now: now.toISOString(),
  });
  const category =
    coreFilter.category === undefined
      ? undefined
      : ([] as (typeof records)[number]['category'][]).concat(coreFilter.category);
  const hours = byHour(records, { since: coreFilter.since, ...(category ? { category } : {}) });
  const shown = warnings.slice(0, SHOWN_WARNINGS).map((w) => w.message);
  if (warnings.length > SHOWN_WARNINGS)
    shown.push(`…and ${warnings.length - SHOWN_WARNINGS} more damaged line(s) in ${historyPath}`);
  return buildLeaderboardView(board, filter, records.length, shown, weekly, outcomes, hours);
}

/** The leaderboard when the history cannot be read: empty, saying why. */
export function unreadableHistoryView(filter: LeaderboardFilterState, reason: string): LeaderboardView {
  return buildLeaderboardView({ models: [], regions: [] }, filter, 0, [`Cannot read the history: ${reason}`]);
}
