import { describe, expect, it } from 'vitest';
import { buildLeaderboardView } from '../../src/core/report/leaderboardView';
import { buildResultsView } from '../../src/core/report/resultsView';
import { isResultsView, parseHostMessage, parseWebviewMessage } from '../../src/shared/webviewProtocol';
import { sampleReport } from './fixtures';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

describe('parseWebviewMessage (webview → extension)', () => {
  it('accepts every message of the protocol', () => {
    const ok = [
      { type: 'ready', view: 'results' },
      { type: 'ready', view: 'sidebar' },
      { type: 'export', format: 'json' },
      { type: 'export', format: 'csv' },
      { type: 'export', format: 'markdown' },
      { type: 'cancel' },
      { type: 'runBenchmark' },
      { type: 'showResults' },
      { type: 'setApiKey', modelId: 'deepseek-v4-flash' },
      { type: 'setFilter', filter: { category: 'coding-edit', range: '7d' } },
      { type: 'setFilter', filter: { category: 'all', range: 'all' } },
    ];
    for (const m of ok) expect(parseWebviewMessage(m), JSON.stringify(m)).toEqual(m);
  });

  it('rejects malformed and unknown messages', () => {
    const bad: unknown[] = [
      null,
      undefined,
      'cancel',
      42,
      [],
      { type: 'nope' },
      { type: 'ready' },
      { type: 'ready', view: 'other' },
      { type: 'export', format: 'xlsx' },
      { type: 'export' },
      { type: 'setApiKey', modelId: '' },
      { type: 'setApiKey', modelId: 'x'.repeat(201) },
      { type: 'setApiKey', modelId: 7 },
      { type: 'setFilter', filter: { category: 'poetry', range: '7d' } },
      { type: 'setFilter', filter: { category: 'chat', range: '1y' } },
      { type: 'setFilter' },
      { type: 'toString' },
      { type: '__proto__' },
    ];
    for (const m of bad) expect(parseWebviewMessage(m), JSON.stringify(m)).toBeUndefined();
  });

  it('accepts Set API Key without a model (asks which provider), and the first-run actions', () => {
    expect(parseWebviewMessage({ type: 'setApiKey' })).toEqual({ type: 'setApiKey' });
    expect(parseWebviewMessage({ type: 'startDemo', extra: 1 })).toEqual({ type: 'startDemo' });
    expect(parseWebviewMessage({ type: 'findLocalServers' })).toEqual({ type: 'findLocalServers' });
  });

  it('returns a fresh object without extra fields', () => {
    const msg = parseWebviewMessage({ type: 'setFilter', filter: { category: 'chat', range: '24h', evil: 1 }, extra: true });
    expect(msg).toEqual({ type: 'setFilter', filter: { category: 'chat', range: '24h' } });
  });
});

describe('parseHostMessage (extension → webview)', () => {
  const view = buildResultsView(sampleReport());

  it('accepts a results view after structured cloning', () => {
    const msg = parseHostMessage(clone({ type: 'results', view }));
    expect(msg?.type).toBe('results');
    expect(isResultsView(clone(view))).toBe(true);
  });

  it('accepts noResults and a leaderboard', () => {
    expect(parseHostMessage({ type: 'noResults' })).toEqual({ type: 'noResults' });
    const lb = buildLeaderboardView(
      { models: [{ key: 'a', label: 'A', region: 'CN', runs: 3, failedRuns: 0, medianDecodeTps: 50, medianNormalizedTps: 40, medianTtftMs: 300, costPerMOutput: 1.2, lastRun: '2025-11-30T00:00:00Z' }], regions: [] },
      { category: 'all', range: '30d' },
      3,
    );
    expect(parseHostMessage(clone({ type: 'leaderboard', view: lb }))?.type).toBe('leaderboard');
  });

  it('rejects views with wrong field types', () => {
    const broken = (mutate: (v: ReturnType<typeof clone<typeof view>>) => void) => {
      const v = clone(view);
      mutate(v);
      return parseHostMessage({ type: 'results', view: v });
    };
    expect(broken((v) => ((v.rows[0].cells.ttftMs as { value: unknown }).value = '300'))).toBeUndefined();
    expect(broken((v) => ((v.rows[0] as { id: unknown }).id = 5))).toBeUndefined();
    expect(broken((v) => ((v.rows[0].runs[0] as { answerText: unknown }).answerText = { html: '<b>' }))).toBeUndefined();
    expect(broken((v) => ((v.rows[0] as { region: unknown }).region = 'EU'))).toBeUndefined();
    expect(broken((v) => delete (v as Partial<typeof v>).rows)).toBeUndefined();
    expect(broken((v) => ((v.progress as { done: unknown }).done = Infinity))).toBeUndefined();
    expect(broken((v) => ((v.rows[0].cells as Record<string, unknown>).decodeTps = undefined))).toBeUndefined();
    expect(parseHostMessage({ type: 'results' })).toBeUndefined();
    expect(parseHostMessage({ type: 'leaderboard', view: { filter: { category: 'all', range: 'all' } } })).toBeUndefined();
    expect(parseHostMessage({ type: 'script', code: 'alert(1)' })).toBeUndefined();
    expect(parseHostMessage(null)).toBeUndefined();
  });
});
