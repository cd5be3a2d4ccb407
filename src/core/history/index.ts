/** Benchmark history: store (JSON Lines), weekly aggregation, leaderboard and report rendering. */
export * from './contract';
export * from './week';
export { isHistoryRecord, recordKey, recordProblem, redactSecrets } from './schema';
export {
  defaultHistoryPath,
  HistoryStore,
  recordsFromReport,
  type ExportOptions,
  type HistoryStoreOptions,
  type ImportResult,
  type RecordsFromReportOptions,
} from './store';
export * from './aggregate';
export * from './render';
export { loadByHour, loadLeaderboard, loadWeeklyReport } from './load';
export * from './byHour';
