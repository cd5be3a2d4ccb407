import { describe, expect, it } from 'vitest';
import { historyRecord } from './fixtures';
import {
  historyLeaderboardView,
  leaderboardFilterState,
  unreadableHistoryView,
} from '../../src/core/report/historyLeaderboard';
import { DEFAULT_LEADERBOARD_FILTER } from '../../src/core/report/leaderboardView';
import { parseSidebarToWebview } from '../../src/shared/protocol/sidebar';

const rec = historyRecord;

const now = new Date('2026-11-20T12:00:00Z');
const records = [
  rec('2026-11-19T10:00:00Z', 'cn-a', 'CN', 80, 'chat'),
  rec('2026-11-19T11:00:00Z', 'us-a', 'US', 60, 'coding-edit'),
  rec('2026-09-01T15:00:00Z', 'old', 'US', 10, 'chat'),
];

describe('the sidebar leaderboard over the history', () => {
  it('keeps the records in the filter’s time range and category', () => {
    const week = historyLeaderboardView(
      { records, warnings: [] },
      { category: 'all', range: '7d' },
      new Map(),
      '/h.jsonl',
      now,
    );
    expect(week.models.map((m) => m.key).sort()).toEqual(['cn-a', 'us-a']);
    expect(week.totalRecords).toBe(3);
    expect(week.byHour?.hours).toEqual([10, 11]);
    const chat = historyLeaderboardView(
      { records, warnings: [] },
      { category: 'chat', range: 'all' },
      new Map(),
      '/h.jsonl',
      now,
    );
    expect(chat.models.map((m) => m.key).sort()).toEqual(['cn-a', 'old']);
    expect(chat.byHour?.models.map((m) => m.key).sort()).toEqual(['cn-a', 'old']);
    expect(chat.byHour?.hours).toEqual([10, 15]);
    expect(parseSidebarToWebview(JSON.parse(JSON.stringify({ type: 'leaderboard', view: chat })))?.type).toBe(
      'leaderboard',
    );
  });

  it('shows three damaged-line warnings and counts the rest, naming the file', () => {
    const warnings = [1, 2, 3, 4, 5].map((line) => ({ line, message: `line ${line}: not JSON` }));
    const view = historyLeaderboardView(
      { records: [], warnings },
      DEFAULT_LEADERBOARD_FILTER,
      new Map(),
      '/data/history.jsonl',
      now,
    );
    expect(view.warnings).toEqual([
      'line 1: not JSON',
      'line 2: not JSON',
      'line 3: not JSON',
      '…and 2 more damaged line(s) in /data/history.jsonl',
    ]);
  });

  it('says why when the history cannot be read', () => {
    const view = unreadableHistoryView({ category: 'chat', range: '24h' }, 'EACCES: permission denied');
    expect(view.models).toEqual([]);
    expect(view.warnings).toEqual(['Cannot read the history: EACCES: permission denied']);
    expect(view.filter).toEqual({ category: 'chat', range: '24h' });
  });

  it('falls back to the default for each field of a saved filter that is not valid', () => {
    expect(leaderboardFilterState({ category: 'chat', range: '90d' })).toEqual({ category: 'chat', range: '90d' });
    expect(leaderboardFilterState({ category: 'poetry', range: '90d' })).toEqual({
      category: DEFAULT_LEADERBOARD_FILTER.category,
      range: '90d',
    });
    expect(leaderboardFilterState({ category: 'chat', range: 5 })).toEqual({
      category: 'chat',
      range: DEFAULT_LEADERBOARD_FILTER.range,
    });
    expect(leaderboardFilterState(undefined)).toEqual(DEFAULT_LEADERBOARD_FILTER);
    expect(leaderboardFilterState('7d')).toEqual(DEFAULT_LEADERBOARD_FILTER);
  });
});
