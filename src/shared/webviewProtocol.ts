/**
 * The data the webviews render, for the chart modules' type imports. The messages themselves are per view:
 * protocol/results.ts and protocol/sidebar.ts (with protocol/common.ts); there is no union serving both.
 */
export type { CompareView, ExportFormat, ResultsView } from './protocol/results';
export type { LeaderboardFilterState, LeaderboardView, WeeklyTrendView } from './protocol/sidebar';
