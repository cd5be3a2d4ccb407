/** One-call helpers for the CLI and the extension: stream a history file straight into a report. */
import type { HistoryRecord, HistoryWarning, Leaderboard, LeaderboardFilter } from './contract';
import { leaderboard, WeeklyAggregator, type AggregateOptions, type WeeklyReport } from './aggregate';
import { HistoryStore } from './store';
import { ByHourAggregator, type ByHourFilter, type ByHourReport } from './byHour';

/**
 * The weekly report of a history file, aggregated while the file is read (records are not kept in
 * memory). A missing file gives an empty report; damaged lines are skipped and returned as warnings.
 */
export async function loadWeeklyReport(
  path: string,
  options: AggregateOptions = {},
): Promise<{ report: WeeklyReport; warnings: HistoryWarning[] }> {
  const aggregator = new WeeklyAggregator(options);
  const { warnings } = await new HistoryStore(path).scan((r) => aggregator.add(r));
  return { report: aggregator.result(), warnings };
}

/** The leaderboard of a history file. */
export async function loadLeaderboard(
  path: string,
  filter: LeaderboardFilter = {},
): Promise<{ leaderboard: Leaderboard; warnings: HistoryWarning[] }> {
  const records: HistoryRecord[] = [];
  const { warnings } = await new HistoryStore(path).scan((r) => records.push(r));
  return { leaderboard: leaderboard(records, filter), warnings };
}

/** Medians per model and UTC hour of a history file, aggregated while it is read. */
export async function loadByHour(
  path: string,
  filter: ByHourFilter = {},
): Promise<{ report: ByHourReport; warnings: HistoryWarning[] }> {
  const aggregator = new ByHourAggregator(filter);
  const { warnings } = await new HistoryStore(path).scan((r) => aggregator.add(r));
  return { report: aggregator.result(), warnings };
}
