/**
 * `tokenscope report [--weekly]` and `tokenscope history clear|export|import`.
 * History file: --history FILE, else $TOKENSCOPE_HISTORY, else ~/.tokenscope/history.jsonl.
 */
import { stat } from 'node:fs/promises';
import {
  byHourCsv,
  byHourMarkdown,
  loadByHour,
  defaultHistoryPath,
  HistoryStore,
  leaderboardCsv,
  leaderboardMarkdown,
  loadLeaderboard,
  loadWeeklyReport,
  weeklyReportCsv,
  weeklyReportJson,
  weeklyReportMarkdown,
  type HistoryWarning,
} from '../core/history';
import { TASK_CATEGORIES, type TaskCategory } from '../core/types';
import { FileRefusedError, fileKind } from '../core/regularFile';
import { UsageError, type Io } from './io';

export const REPORT_FORMATS = ['md', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportArgs {
  weekly?: boolean;
  /** Median TTFT and decode rate per model and UTC hour. */
  byHour?: boolean;
  /** by-hour: only runs made from this location label. */
  location?: string;
  history?: string;
  format?: string;
  /** One category or a comma-separated list. */
  category?: string;
  /** Minutes east of UTC, "+08:00"-style, or "local". */
  tzOffset?: string;
  since?: string;
}

export function historyPath(explicit: string | undefined, io: Io): string {
  return explicit || defaultHistoryPath(io.env);
}

/** The history must exist for reading commands: exit 2 with a hint otherwise. */
async function existingHistory(path: string): Promise<HistoryStore> {
  let st;
  try {
    st = await stat(path);
  } catch {
    // falls through
  }
  // A FIFO or a device would block the reader or never end.
  if (st && !st.isFile())
    throw new UsageError(
      `the history ${path} is ${fileKind(st)}, not a regular file; point --history or TOKENSCOPE_HISTORY at a file.`,
    );
  if (!st)
    throw new UsageError(
      `no history file at ${path}. Record runs with "tokenscope bench --history ${path} …", or point to another file with --history FILE or TOKENSCOPE_HISTORY.`,
    );
  return new HistoryStore(path);
}

/** Prints damaged-line warnings to stderr, at most `max` of them. */
export function printWarnings(io: Io, warnings: HistoryWarning[], max = 10): void {
  for (const w of warnings.slice(0, max)) io.err(`warning: ${w.message}`);
  if (warnings.length > max) io.err(`warning: … and ${warnings.length - max} more damaged line(s) skipped`);
}

export function parseFormat(value: string | undefined): ReportFormat {
  const f = (value ?? 'md').toLowerCase();
  if (f === 'markdown') return 'md';
  if (!(REPORT_FORMATS as readonly string[]).includes(f))
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, got "${value}"`);
  return f as ReportFormat;
}

export function parseCategories(value: string | undefined): TaskCategory[] | undefined {
  if (value === undefined) return undefined;
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((c) => !(TASK_CATEGORIES as readonly string[]).includes(c));
  if (bad.length || list.length === 0)
    throw new UsageError(
      `--category: unknown category "${bad.join(', ') || value}"; use one of ${TASK_CATEGORIES.join(', ')}`,
    );
  return list as TaskCategory[];
}

/** "480", "-300", "+08:00", "-05:30", "0", or "local" (this machine's current offset). */
export function parseTzOffset(value: string | undefined, now = new Date()): number {
  if (value === undefined) return 0;
  const v = value.trim();
  let minutes: number;
  if (v === 'local') minutes = -now.getTimezoneOffset();
  else if (/^[+-]?\d+$/.test(v)) minutes = Number(v);
  else {
    const m = /^(?:UTC)?([+-])(\d{1,2}):?(\d{2})$/i.exec(v);
    if (!m)
      throw new UsageError(
        `--tz-offset must be minutes east of UTC (e.g. 480 for UTC+08:00, -300 for UTC−05:00), "+08:00", or "local"; got "${value}"`,
      );
    minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  }
  if (minutes < -720 || minutes > 840)
    throw new UsageError(`--tz-offset must be between -720 and 840 minutes (UTC−12:00 … UTC+14:00), got ${value}`);
  return minutes;
}

function parseSince(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(Date.parse(value)))
    throw new UsageError(`--since must be an ISO date or time (e.g. 2026-10-01), got "${value}"`);
  return value;
}

export async function report(args: ReportArgs, io: Io): Promise<number> {
  const format = parseFormat(args.format);
  const category = parseCategories(args.category);
  const utcOffsetMinutes = parseTzOffset(args.tzOffset);
  const since = parseSince(args.since);
  const path = historyPath(args.history, io);
  await existingHistory(path);
  if (args.weekly && args.byHour) throw new UsageError('give one of --weekly and --by-hour');
  if (args.location !== undefined && !args.byHour)
    throw new UsageError('--location filters the --by-hour report; add --by-hour');

  if (args.byHour) {
    const { report: hours, warnings } = await loadByHour(path, {
      since,
      ...(category ? { category } : {}),
      ...(args.location !== undefined ? { location: args.location } : {}),
    });
    printWarnings(io, warnings);
    io.out(
      format === 'json'
        ? JSON.stringify(hours, null, 2) + '\n'
        : format === 'csv'
          ? byHourCsv(hours)
          : byHourMarkdown(hours),
    );
    return 0;
  }
  if (!args.weekly) {
    const { leaderboard: lb, warnings } = await loadLeaderboard(path, { category, since });
    printWarnings(io, warnings);
    io.out(
      format === 'json'
        ? JSON.stringify(lb, null, 2) + '\n'
        : format === 'csv'
          ? leaderboardCsv(lb)
          : leaderboardMarkdown(lb),
    );
    return 0;
  }
  // Streamed: records are aggregated as they are read, never all held in memory.
  const { report: weekly, warnings } = await loadWeeklyReport(path, { utcOffsetMinutes, category, since });
  printWarnings(io, warnings);
  if (format === 'json') io.out(weeklyReportJson(weekly));
  else if (format === 'csv') {
    io.out(weeklyReportCsv(weekly));
    io.err(weekly.headline);
  } else io.out(weeklyReportMarkdown(weekly));
  return 0;
}

export interface HistoryArgs {
  history?: string;
}

export async function historyClear(args: HistoryArgs & { yes?: boolean }, io: Io): Promise<number> {
  const path = historyPath(args.history, io);
  const store = new HistoryStore(path);
  if (!(await store.exists())) {
    io.err(`No history at ${path}; nothing to clear.`);
    return 0;
  }
  if (!args.yes)
    throw new UsageError(
      `this deletes every record in ${path}; run again with --yes to confirm (export it first with "tokenscope history export FILE" to keep a copy)`,
    );
  await store.clear();
  io.err(`Cleared the history at ${path}.`);
  return 0;
}

export async function historyExport(
  file: string,
  args: HistoryArgs & { includePrompts?: boolean },
  io: Io,
): Promise<number> {
  const store = await existingHistory(historyPath(args.history, io));
  let result;
  try {
    result = await store.exportTo(file, { includePrompts: args.includePrompts });
  } catch (e) {
    throw new UsageError(`cannot export to "${file}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  printWarnings(io, result.warnings);
  io.err(
    `Exported ${result.records} record(s) to ${file}${args.includePrompts ? '' : ' (prompt texts left out; --include-prompts keeps them)'}.`,
  );
  return 0;
}

export async function historyImport(files: string[], args: HistoryArgs, io: Io): Promise<number> {
  if (files.length === 0) throw new UsageError('history import: give at least one file to import');
  const path = historyPath(args.history, io);
  const store = new HistoryStore(path);
  for (const file of files) {
    let result;
    try {
      result = await store.importFrom(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(
        `cannot import "${file}": ${e instanceof FileRefusedError ? e.message : code === 'ENOENT' ? 'no such file' : (code ?? (e as Error).message)}`,
      );
    }
    printWarnings(io, result.warnings);
    const future = result.future
      ? ` ${result.future} record(s) refused: dated after tomorrow, which would stretch every weekly report to that date (a wrong clock on the machine that recorded them?).`
      : '';
    io.err(`Imported ${file}: ${result.added} new record(s), ${result.duplicates} already in ${path}.${future}`);
  }
  return 0;
}
