/**
 * The sidebar leaderboard's protocol: the extension sends the leaderboard under the current filter; the page
 * asks for another filter or for an action. The extension validates what the page posts with
 * `parseSidebarFromWebview`; the page validates what it receives with `parseSidebarToWebview`. No `vscode`, no DOM.
 */
import {
  isCategoryFilter,
  isTimeRange,
  LEADERBOARD_COLUMNS,
  type HourHeatmapView,
  type LeaderboardFilterState,
  type LeaderboardView,
  type LeaderboardViewRow,
  type WeeklyTrendView,
} from '../../core/report/leaderboardView';
import { commonReaders, type CommonFromWebview } from './common';
import {
  arrayOf,
  isBool,
  isNum,
  isNumOrNull,
  isRegion,
  isStr,
  oneOf,
  optional,
  readMessage,
  shape,
  type MessageReaders,
} from './guards';

export type { LeaderboardFilterState, LeaderboardView, WeeklyTrendView };

/** Extension → sidebar. */
export type SidebarToWebview =
  /** The leaderboard under the current filter. */
  { type: 'leaderboard'; view: LeaderboardView };

/** Sidebar → extension. */
export type SidebarFromWebview =
  | CommonFromWebview<'sidebar'>
  | { type: 'setFilter'; filter: LeaderboardFilterState }
  /** Open the results panel with the last results. */
  | { type: 'showResults' };

// ------------------------------------------------------------------------------------------------ view guards

const isLeaderboardFilter = shape<LeaderboardFilterState>({ category: isCategoryFilter, range: isTimeRange });

const isLeaderboardRow = shape<LeaderboardViewRow>({
  key: isStr,
  label: optional(isStr),
  region: isRegion,
  runs: isNum,
  failedRuns: isNum,
  medianDecodeTps: isNumOrNull,
  medianNormalizedTps: isNumOrNull,
  medianTtftMs: isNumOrNull,
  costPerMOutput: isNumOrNull,
  lastRun: isStr,
  best: arrayOf(oneOf(LEADERBOARD_COLUMNS.map((c) => c.key))),
  failure: optional(shape<NonNullable<LeaderboardViewRow['failure']>>({ label: isStr, error: isStr, auth: isBool })),
});

const isWeeklyTrend = shape<WeeklyTrendView>({
  headline: isStr,
  weeks: arrayOf(isStr),
  metric: oneOf(['normalizedTps', 'decodeTps'] as const),
  metricLabel: isStr,
  series: arrayOf(shape({ region: isRegion, values: arrayOf(isNumOrNull) })),
});

const isHourHeatmap = shape<HourHeatmapView>({
  hours: arrayOf((v): v is number => isNum(v) && Number.isInteger(v) && v >= 0 && v <= 23),
  models: arrayOf(shape({ key: isStr, label: optional(isStr), ttftMs: arrayOf(isNumOrNull), runs: arrayOf(isNum) })),
  minMs: isNum,
  maxMs: isNum,
});

export const isLeaderboardView = shape<LeaderboardView>({
  filter: isLeaderboardFilter,
  byHour: optional(isHourHeatmap),
  weekly: optional(isWeeklyTrend),
  totalRecords: isNum,
  models: arrayOf(isLeaderboardRow),
  regions: arrayOf(isLeaderboardRow),
  warnings: arrayOf(isStr),
});

// ------------------------------------------------------------------------------------------------ readers

const toWebview: MessageReaders<SidebarToWebview> = {
  leaderboard: (d) => (isLeaderboardView(d.view) ? { type: 'leaderboard', view: d.view } : undefined),
};

const fromWebview: MessageReaders<SidebarFromWebview> = {
  ...commonReaders('sidebar'),
  setFilter: (d) =>
    isLeaderboardFilter(d.filter)
      ? { type: 'setFilter', filter: { category: d.filter.category, range: d.filter.range } }
      : undefined,
  showResults: () => ({ type: 'showResults' }),
};

/** Validates a message from the extension in the sidebar; undefined when it is not one the sidebar understands. */
export const parseSidebarToWebview = (data: unknown): SidebarToWebview | undefined => readMessage(toWebview, data);

/** Validates a message the sidebar posted; undefined when it is malformed or not the sidebar's. A fresh object. */
export const parseSidebarFromWebview = (data: unknown): SidebarFromWebview | undefined =>
  readMessage(fromWebview, data);
