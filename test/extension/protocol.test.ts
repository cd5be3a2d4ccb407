// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { buildLeaderboardView } from '../../src/core/report/leaderboardView';
import { buildResultsView } from '../../src/core/report/resultsView';
import { assertNever } from '../../src/shared/protocol/common';
import {
  isResultsView,
  parseResultsFromWebview,
  parseResultsToWebview,
  type ResultsFromWebview,
  type ResultsToWebview,
} from '../../src/shared/protocol/results';
import {
  parseSidebarFromWebview,
  parseSidebarToWebview,
  type SidebarFromWebview,
  type SidebarToWebview,
} from '../../src/shared/protocol/sidebar';
import { createResultsApp } from '../../media/src/lib/resultsRender';
import { createSidebarApp } from '../../media/src/lib/sidebarRender';
import { sampleReport } from './fixtures';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

const leaderboardView = buildLeaderboardView(
  {
    models: [
      {
        key: 'a',
        label: 'A',
        region: 'CN',
        runs: 3,
        failedRuns: 0,
        medianDecodeTps: 50,
        medianNormalizedTps: 40,
        medianTtftMs: 300,
        costPerMOutput: 1.2,
        lastRun: '2025-11-30T00:00:00Z',
      },
    ],
    regions: [],
  },
  { category: 'all', range: '30d' },
  3,
);

/** Messages any page may send, with its own kind. */
const common = (view: 'results' | 'sidebar') => [
  { type: 'ready', view },
  { type: 'renderError', view, message: 'charts: canvas lost' },
  { type: 'setApiKey', modelId: 'deepseek-v4-flash' },
  { type: 'setApiKey' },
  { type: 'startDemo' },
  { type: 'runBenchmark' },
];

const resultsOnly = [
  { type: 'export', format: 'json' },
  { type: 'export', format: 'csv' },
  { type: 'export', format: 'markdown' },
  { type: 'cancel' },
  { type: 'findLocalServers' },
  { type: 'showComparison' },
  { type: 'compareWith' },
  { type: 'clearCompare' },
];

const sidebarOnly = [
  { type: 'setFilter', filter: { category: 'coding-edit', range: '7d' } },
  { type: 'setFilter', filter: { category: 'all', range: 'all' } },
  { type: 'showResults' },
];

/** Malformed for either view. */
const malformed: unknown[] = [
  null,
  undefined,
  'cancel',
  42,
  [],
  { type: 'nope' },
  { type: 7 },
  { type: 'ready' },
  { type: 'ready', view: 'other' },
  { type: 'renderError', view: 'results' },
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
  { type: 'constructor' },
  { type: 'hasOwnProperty' },
];

describe('results panel → extension', () => {
  it('accepts every message of the panel', () => {
    for (const m of [...common('results'), ...resultsOnly])
      expect(parseResultsFromWebview(m), JSON.stringify(m)).toEqual(m);
  });

  it("rejects the sidebar's messages, its ready and its render errors", () => {
    for (const m of [
      ...sidebarOnly,
      { type: 'ready', view: 'sidebar' },
      { type: 'renderError', view: 'sidebar', message: 'x' },
    ])
      expect(parseResultsFromWebview(m), JSON.stringify(m)).toBeUndefined();
  });

  it('rejects malformed and unknown messages', () => {
    for (const m of malformed) expect(parseResultsFromWebview(m), JSON.stringify(m)).toBeUndefined();
  });

  it('returns a fresh object without extra fields, and a render error cut to 500 characters', () => {
    expect(parseResultsFromWebview({ type: 'startDemo', extra: 1 })).toEqual({ type: 'startDemo' });
    expect(parseResultsFromWebview({ type: 'export', format: 'csv', path: '/etc/passwd' })).toEqual({
      type: 'export',
      format: 'csv',
    });
    const long = parseResultsFromWebview({ type: 'renderError', view: 'results', message: 'y'.repeat(5000) });
    expect(long?.type === 'renderError' && long.message.length).toBe(500);
  });
});

describe('sidebar → extension', () => {
  it('accepts every message of the sidebar', () => {
    for (const m of [...common('sidebar'), ...sidebarOnly])
      expect(parseSidebarFromWebview(m), JSON.stringify(m)).toEqual(m);
  });

  it("rejects the results panel's messages, its ready and its render errors", () => {
    for (const m of [
      ...resultsOnly,
      { type: 'ready', view: 'results' },
      { type: 'renderError', view: 'results', message: 'x' },
    ])
      expect(parseSidebarFromWebview(m), JSON.stringify(m)).toBeUndefined();
  });

  it('rejects malformed and unknown messages', () => {
    for (const m of malformed) expect(parseSidebarFromWebview(m), JSON.stringify(m)).toBeUndefined();
  });

  it('returns a fresh filter without extra fields', () => {
    expect(
      parseSidebarFromWebview({ type: 'setFilter', filter: { category: 'chat', range: '24h', evil: 1 }, extra: true }),
    ).toEqual({ type: 'setFilter', filter: { category: 'chat', range: '24h' } });
  });
});

describe('extension → results panel', () => {
  const view = buildResultsView(sampleReport());

  it('accepts a results view after structured cloning, noResults and no comparison', () => {
    expect(parseResultsToWebview(clone({ type: 'results', view }))?.type).toBe('results');
    expect(isResultsView(clone(view))).toBe(true);
    expect(parseResultsToWebview({ type: 'noResults' })).toEqual({ type: 'noResults' });
    expect(parseResultsToWebview({ type: 'compare', view: null })).toEqual({ type: 'compare', view: null });
  });

  it("rejects the sidebar's leaderboard", () => {
    expect(parseSidebarToWebview(clone({ type: 'leaderboard', view: leaderboardView }))?.type).toBe('leaderboard');
    expect(parseResultsToWebview(clone({ type: 'leaderboard', view: leaderboardView }))).toBeUndefined();
  });

  it('rejects views with wrong field types', () => {
    const broken = (mutate: (v: ReturnType<typeof clone<typeof view>>) => void) => {
      const v = clone(view);
      mutate(v);
      return parseResultsToWebview({ type: 'results', view: v });
    };
    expect(broken((v) => ((v.rows[0].cells.ttftMs as { value: unknown }).value = '300'))).toBeUndefined();
    expect(broken((v) => ((v.rows[0] as { id: unknown }).id = 5))).toBeUndefined();
    expect(
      broken((v) => ((v.rows[0].runs[0] as { answerText: unknown }).answerText = { html: '<b>' })),
    ).toBeUndefined();
    expect(broken((v) => ((v.rows[0] as { region: unknown }).region = 'EU'))).toBeUndefined();
    expect(broken((v) => delete (v as Partial<typeof v>).rows)).toBeUndefined();
    expect(broken((v) => ((v.progress as { done: unknown }).done = Infinity))).toBeUndefined();
    expect(broken((v) => ((v.rows[0].cells as Record<string, unknown>).decodeTps = undefined))).toBeUndefined();
    expect(parseResultsToWebview({ type: 'results' })).toBeUndefined();
    expect(parseResultsToWebview({ type: 'script', code: 'alert(1)' })).toBeUndefined();
    expect(parseResultsToWebview(null)).toBeUndefined();
  });
});

describe('extension → sidebar', () => {
  it("accepts a leaderboard and rejects the results panel's messages", () => {
    expect(parseSidebarToWebview(clone({ type: 'leaderboard', view: leaderboardView }))?.type).toBe('leaderboard');
    expect(parseSidebarToWebview({ type: 'results', view: buildResultsView(sampleReport()) })).toBeUndefined();
    expect(parseSidebarToWebview({ type: 'noResults' })).toBeUndefined();
    expect(parseSidebarToWebview({ type: 'compare', view: null })).toBeUndefined();
    expect(
      parseSidebarToWebview({ type: 'leaderboard', view: { filter: { category: 'all', range: 'all' } } }),
    ).toBeUndefined();
    expect(parseSidebarToWebview({ type: 'toString' })).toBeUndefined();
  });
});

// Compile-time checks: `npm run typecheck` fails if any line below stops being an error.
describe('the compiler keeps each view to its own protocol', () => {
  it('rejects the other view’s messages in either direction', () => {
    const fromResults: ResultsFromWebview[] = [
      // @ts-expect-error the results panel has no leaderboard filter
      { type: 'setFilter', filter: { category: 'all', range: 'all' } },
      // @ts-expect-error "Open last results" is the sidebar's
      { type: 'showResults' },
      // @ts-expect-error the results panel says it is the results panel
      { type: 'ready', view: 'sidebar' },
    ];
    const fromSidebar: SidebarFromWebview[] = [
      // @ts-expect-error the sidebar exports nothing
      { type: 'export', format: 'json' },
      // @ts-expect-error the sidebar has no benchmark to cancel
      { type: 'cancel' },
      // @ts-expect-error the sidebar says it is the sidebar
      { type: 'renderError', view: 'results', message: 'x' },
    ];
    // @ts-expect-error the sidebar is sent no results view
    const toSidebar: SidebarToWebview = { type: 'noResults' };
    // @ts-expect-error the results panel is sent no leaderboard
    const toResults: ResultsToWebview = { type: 'leaderboard', view: leaderboardView };
    expect([fromResults, fromSidebar, toSidebar, toResults]).toHaveLength(4);
  });

  it("types each page's post callback with its own protocol", () => {
    document.body.innerHTML = '<main id="app"></main>';
    const root = document.getElementById('app')!;
    const postSidebar = (m: SidebarFromWebview) => m;
    const postResults = (m: ResultsFromWebview) => m;
    // @ts-expect-error the results page cannot post sidebar messages
    expect(() => createResultsApp(root, postSidebar)).not.toThrow();
    // @ts-expect-error the sidebar page cannot post results messages
    expect(() => createSidebarApp(root, postResults)).not.toThrow();
  });

  it('makes a switch without a case for every message a compile error, and throws if one is reached', () => {
    const complete = (m: ResultsToWebview) => {
      switch (m.type) {
        case 'results':
        case 'noResults':
        case 'compare':
          return m.type;
        default:
          return assertNever(m, 'test');
      }
    };
    const incomplete = (m: ResultsToWebview) => {
      switch (m.type) {
        case 'results':
        case 'noResults':
          return m.type;
        default:
          // @ts-expect-error 'compare' is not handled
          return assertNever(m, 'results panel');
      }
    };
    expect(complete({ type: 'noResults' })).toBe('noResults');
    expect(() => incomplete({ type: 'compare', view: null })).toThrow('results panel: unexpected "compare"');
  });
});
