import { describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../src/core/history';
import {
  historyLeaderboardView,
  leaderboardFilterState,
  unreadableHistoryView,
} from '../../src/core/report/historyLeaderboard';
import { DEFAULT_LEADERBOARD_FILTER } from '../../src/core/report/leaderboardView';
import { parseSidebarToWebview } from '../../src/shared/protocol/sidebar';

function rec(
  time: string,
  modelId: string,
  region: 'CN' | 'US',
  tps: number,
  category: HistoryRecord['category'] = 'chat',
): HistoryRecord {
  return {
    v: 1,
    time,
    modelId,
    region,
    protocol: 'openai-chat',
    host: 'x',
    promptHash: 'h',
    category,
    tokenSource: 'usage',
    toolVersion: '0.1.0',
    metrics: {
      ok: true,
      error: null,
      setupMs: 1,
      ttftMs: 100,
      ttfoMs: 100,
      decodeTps: tps,
      e2eMs: 900,
      itlMs: 10,
      interChunkP50Ms: 10,
      interChunkP95Ms: 12,
      inputTokens: 10,
      outputTokens: 100,
      reasoningTokens: null,
      cachedInputTokens: null,
      streamedTokens: 100,
      reasoningVisible: false,
      costUsd: 0.001,
      charsPerSec: 400,
      normalizedTps: tps,
      serverDecodeTps: null,
      chunks: 100,
    },
  } as HistoryRecord;
}

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
