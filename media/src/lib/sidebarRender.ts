/**
 * Renders the sidebar leaderboard from a validated LeaderboardView. No innerHTML: all text is text nodes.
 *
 * Stable hooks for the end-to-end suite:
 *   #filter-category, #filter-range (selects), #leaderboard-status (aria-live)
 *   #leaderboard-models tr[data-model-id] / #leaderboard-regions tr[data-region]
 *   td[data-metric=medianDecodeTps|medianNormalizedTps|medianTtftMs|costPerMOutput] with data-value, data-best
 *   td[data-field=runs] (data-runs, data-failed)
 *   #leaderboard-empty with #run-benchmark; #leaderboard-filtered-empty; #show-results
 */
import {
  LEADERBOARD_COLUMNS,
  TIME_RANGES,
  TIME_RANGE_LABELS,
  type LeaderboardViewRow,
} from '../../../src/core/report/leaderboardView';
import { TASK_CATEGORIES } from '../../../src/core/types';
import type {
  LeaderboardFilterState,
  LeaderboardView,
  SidebarFromWebview,
  WeeklyTrendView,
} from '../../../src/shared/protocol/sidebar';
import { append, el, replaceChildren } from './dom';
import { hourHeatmapTable } from './hourHeatmap';

export interface SidebarApp {
  render(view: LeaderboardView | null): void;
}

const CATEGORY_LABELS: Record<string, string> = {
  all: 'All categories',
  'coding-edit': 'Coding (edit)',
  'coding-generate': 'Coding (generate)',
  reasoning: 'Reasoning',
  summarization: 'Summarization',
  translation: 'Translation',
  chat: 'Chat',
};

function formatValue(key: (typeof LEADERBOARD_COLUMNS)[number]['key'], v: number | null): string {
  if (v === null) return '—';
  if (key === 'costPerMOutput') return v < 1 ? `$${v.toFixed(3)}` : `$${v.toFixed(2)}`;
  if (key === 'medianTtftMs') return v.toFixed(0);
  return v.toFixed(1);
}

function boardTable(
  id: string,
  caption: string,
  rows: LeaderboardViewRow[],
  kind: 'model' | 'region',
): HTMLTableElement {
  return el(
    'table',
    { id, class: 'leaderboard' },
    el('caption', {}, caption),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col' }, kind === 'model' ? 'Model' : 'Region'),
        LEADERBOARD_COLUMNS.map((c) =>
          el('th', { scope: 'col', class: 'num', 'data-metric': c.key, title: c.help }, c.label),
        ),
        el('th', { scope: 'col', class: 'num' }, 'Runs'),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((r) =>
        el(
          'tr',
          kind === 'model' ? { 'data-model-id': r.key, 'data-region': r.region } : { 'data-region': r.key },
          el(
            'th',
            { scope: 'row', title: `last run ${new Date(r.lastRun).toLocaleString()}` },
            el('span', { class: `swatch region-${r.region}`, 'aria-hidden': 'true' }),
            ' ',
            el('span', { class: 'label', dir: 'auto' }, kind === 'model' ? (r.label ?? r.key) : r.key),
            r.failure
              ? el(
                  'span',
                  { class: 'badge failure', 'data-field': 'failure', title: r.failure.error, dir: 'auto' },
                  ` failed: ${r.failure.label}`,
                )
              : null,
            r.failure?.auth
              ? el(
                  'button',
                  {
                    type: 'button',
                    class: 'set-api-key link',
                    'data-model-id': r.key,
                    title: `Set the API key for ${r.label ?? r.key}`,
                  },
                  'Set key…',
                )
              : null,
          ),
          LEADERBOARD_COLUMNS.map((c) => {
            const v = r[c.key];
            const best = r.best.includes(c.key);
            return el(
              'td',
              {
                class: `num${best ? ' best' : ''}`,
                'data-metric': c.key,
                'data-value': v === null ? null : String(v),
                'data-best': best ? 'true' : null,
              },
              formatValue(c.key, v),
              best ? el('span', { class: 'visually-hidden' }, ' (best)') : null,
            );
          }),
          el(
            'td',
            {
              class: `num${r.failedRuns ? ' has-failures' : ''}`,
              'data-field': 'runs',
              'data-runs': r.runs,
              'data-failed': r.failedRuns,
              title: `${r.runs - r.failedRuns} ok, ${r.failedRuns} failed`,
            },
            r.failedRuns ? `${r.runs - r.failedRuns} ok / ${r.failedRuns} failed` : String(r.runs),
          ),
        ),
      ),
    ),
  );
}

/** Draws the weekly trend into a canvas; absent in tests without a canvas. */
export type TrendFactory = (canvas: HTMLCanvasElement) => { update(view: WeeklyTrendView): void };

export function createSidebarApp(
  root: HTMLElement,
  post: (m: SidebarFromWebview) => void,
  trendFactory?: TrendFactory,
): SidebarApp {
  const category = el(
    'select',
    { id: 'filter-category', 'aria-label': 'Task category' },
    ['all', ...TASK_CATEGORIES].map((c) => el('option', { value: c }, CATEGORY_LABELS[c] ?? c)),
  );
  const range = el(
    'select',
    { id: 'filter-range', 'aria-label': 'Time range' },
    TIME_RANGES.map((r) => el('option', { value: r }, TIME_RANGE_LABELS[r])),
  );
  const filters = el('div', { class: 'filters', role: 'group', 'aria-label': 'Filters' }, category, range);
  const status = el('p', { id: 'leaderboard-status', class: 'muted', role: 'status', 'aria-live': 'polite' });
  const empty = el(
    'section',
    { id: 'leaderboard-empty', hidden: true },
    el('p', {}, 'No benchmark results yet. Run a benchmark on a prompt and the leaderboard fills in here.'),
    el(
      'div',
      { class: 'toolbar' },
      el('button', { id: 'run-benchmark', type: 'button' }, 'Run a benchmark'),
      el(
        'button',
        {
          id: 'sidebar-demo',
          type: 'button',
          class: 'secondary',
          title: 'Simulated numbers from the built-in test server; nothing is saved here',
        },
        'Try the demo',
      ),
    ),
  );
  const filteredEmpty = el(
    'p',
    { id: 'leaderboard-filtered-empty', class: 'muted', hidden: true },
    'No runs match these filters.',
  );
  const tables = el('div', { id: 'leaderboard-tables' });
  const headline = el('p', { id: 'streak-headline', dir: 'auto' });
  const trendCanvas = el('canvas', {
    id: 'trend-chart',
    role: 'img',
    'aria-label': 'Weekly median tokens per second per region',
  });
  const trendCaption = el('figcaption', { class: 'muted' });
  const trend = el(
    'figure',
    { id: 'weekly-trend', class: 'trend', hidden: true },
    el('h3', {}, 'Week by week'),
    headline,
    el('div', { class: 'trend-box' }, trendCanvas),
    trendCaption,
  );
  let trendChart: ReturnType<TrendFactory> | undefined;
  const heatmap = el('section', { id: 'hour-heatmap-section', hidden: true }, el('h3', {}, 'By hour of day (UTC)'));
  const heatmapBox = el('div', { class: 'table-scroll' });
  heatmap.append(
    heatmapBox,
    el('p', { class: 'muted' }, 'Cold runs only; darker is slower. Shown once runs span two or more hours.'),
  );
  const warnings = el('ul', { id: 'leaderboard-warnings', class: 'warnings' });
  const footer = el(
    'div',
    { class: 'toolbar' },
    el('button', { id: 'show-results', type: 'button', class: 'secondary' }, 'Open last results'),
  );
  append(root, filters, status, empty, filteredEmpty, trend, tables, heatmap, warnings, footer);

  const send = () =>
    post({
      type: 'setFilter',
      filter: {
        category: category.value as LeaderboardFilterState['category'],
        range: range.value as LeaderboardFilterState['range'],
      },
    });
  category.addEventListener('change', send);
  range.addEventListener('change', send);
  root.addEventListener('click', (e) => {
    const b = (e.target as Element | null)?.closest('button');
    if (b?.id === 'run-benchmark') post({ type: 'runBenchmark' });
    if (b?.id === 'show-results') post({ type: 'showResults' });
    if (b?.id === 'sidebar-demo') post({ type: 'startDemo' });
    if (b?.classList.contains('set-api-key') && b.dataset.modelId)
      post({ type: 'setApiKey', modelId: b.dataset.modelId });
  });

  return {
    render(view) {
      if (!view) {
        status.textContent = 'Loading…';
        return;
      }
      category.value = view.filter.category;
      range.value = view.filter.range;
      const none = view.totalRecords === 0;
      empty.hidden = !none;
      filters.hidden = none;
      footer.hidden = none;
      filteredEmpty.hidden = none || view.models.length > 0;
      status.textContent = none
        ? ''
        : `${view.models.reduce((s, r) => s + r.runs, 0)} run(s) shown of ${view.totalRecords} saved. Medians; cost is per million output tokens.`;
      const scroll = (t: HTMLTableElement) => el('div', { class: 'table-scroll' }, t);
      replaceChildren(
        tables,
        view.models.length ? scroll(boardTable('leaderboard-models', 'Per model', view.models, 'model')) : null,
        view.regions.length ? scroll(boardTable('leaderboard-regions', 'Per region', view.regions, 'region')) : null,
      );
      replaceChildren(
        warnings,
        view.warnings.map((w) => el('li', { dir: 'auto' }, w)),
      );
      heatmap.hidden = !view.byHour;
      replaceChildren(heatmapBox, view.byHour ? hourHeatmapTable(view.byHour) : null);
      trend.hidden = !view.weekly;
      if (view.weekly) {
        headline.textContent = view.weekly.headline;
        trendCaption.textContent = `${view.weekly.metricLabel}, per ISO week (UTC), ${view.weekly.weeks[0]} – ${view.weekly.weeks[view.weekly.weeks.length - 1]}. Measured on this machine's saved runs.`;
        try {
          trendChart ??= trendFactory?.(trendCanvas);
          trendChart?.update(view.weekly);
        } catch (e) {
          trendCanvas.hidden = true; // the headline and the tables still say it
          post({ type: 'renderError', view: 'sidebar', message: `trend chart: ${(e as Error).message}` });
        }
      }
    },
  };
}
