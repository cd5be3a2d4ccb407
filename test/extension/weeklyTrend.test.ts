// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { historyRecord } from './fixtures';
import { createSidebarApp } from '../../media/src/lib/sidebarRender';
import { aggregateWeekly } from '../../src/core/history';
import { buildLeaderboardView, weeklyTrend } from '../../src/core/report/leaderboardView';
import { parseResultsFromWebview } from '../../src/shared/protocol/results';
import {
  parseSidebarFromWebview,
  parseSidebarToWebview,
  type SidebarFromWebview,
  type WeeklyTrendView,
} from '../../src/shared/protocol/sidebar';

/** One successful run of a model in a region at a time, with a given normalised rate. */
const rec = (time: string, region: 'CN' | 'US', tps: number) => historyRecord(time, `${region}-model`, region, tps);

// Three ISO weeks: 2026-W45 (Nov 2), W46 (Nov 9), W47 (Nov 16). CN leads W46 and W47.
const records = [
  rec('2026-11-02T10:00:00Z', 'CN', 50),
  rec('2026-11-02T10:00:00Z', 'US', 60),
  rec('2026-11-09T10:00:00Z', 'CN', 70),
  rec('2026-11-09T10:00:00Z', 'US', 60),
  rec('2026-11-16T10:00:00Z', 'CN', 90),
  rec('2026-11-17T10:00:00Z', 'US', 65),
];

describe('weekly trend in the sidebar', () => {
  it('turns the weekly report into per-region series and the streak headline', () => {
    const t = weeklyTrend(aggregateWeekly(records));
    expect(t.weeks).toEqual(['2026-W45', '2026-W46', '2026-W47']);
    expect(t.metric).toBe('normalizedTps');
    expect(t.series).toEqual([
      { region: 'CN', values: [50, 70, 90] },
      { region: 'US', values: [60, 60, 65] },
    ]);
    expect(t.headline).toMatch(/CN has led US .* for 2 consecutive weeks/);
  });

  it('renders the headline as text and hands the series to the chart, after validation', () => {
    document.body.innerHTML = '<main id="app"></main>';
    const root = document.getElementById('app')!;
    const drawn: WeeklyTrendView[] = [];
    const app = createSidebarApp(
      root,
      () => {},
      () => ({ update: (v) => void drawn.push(v) }),
    );
    const view = buildLeaderboardView(
      { models: [], regions: [] },
      { category: 'all', range: 'all' },
      records.length,
      [],
      aggregateWeekly(records),
    );
    const msg = parseSidebarToWebview(JSON.parse(JSON.stringify({ type: 'leaderboard', view })));
    expect(msg?.type).toBe('leaderboard');
    app.render(msg!.type === 'leaderboard' ? msg!.view : null);
    expect((root.querySelector('#weekly-trend') as HTMLElement).hidden).toBe(false);
    expect(root.querySelector('#streak-headline')!.textContent).toMatch(/CN has led US/);
    expect(drawn).toHaveLength(1);
    expect(drawn[0].series[0].values).toEqual([50, 70, 90]);
  });

  it('a chart that fails to draw hides itself and tells the host why (never silently)', () => {
    document.body.innerHTML = '<main id="app"></main>';
    const root = document.getElementById('app')!;
    const posted: SidebarFromWebview[] = [];
    const app = createSidebarApp(
      root,
      (m) => posted.push(m),
      () => ({
        update: () => {
          throw new Error('canvas context lost');
        },
      }),
    );
    app.render(
      buildLeaderboardView(
        { models: [], regions: [] },
        { category: 'all', range: 'all' },
        records.length,
        [],
        aggregateWeekly(records),
      ),
    );
    expect((root.querySelector('#streak-headline') as HTMLElement).textContent).toMatch(/CN has led US/);
    expect(posted).toEqual([{ type: 'renderError', view: 'sidebar', message: 'trend chart: canvas context lost' }]);
    expect(parseSidebarFromWebview(JSON.parse(JSON.stringify(posted[0])))).toEqual(posted[0]);
    expect(parseSidebarFromWebview({ type: 'renderError', view: 'elsewhere', message: 'x' })).toBeUndefined();
    expect(parseSidebarFromWebview({ type: 'renderError', view: 'results', message: 'x' })).toBeUndefined();
    expect(
      (
        parseSidebarFromWebview({ type: 'renderError', view: 'sidebar', message: 'y'.repeat(5000) }) as {
          message: string;
        }
      ).message,
    ).toHaveLength(500);
  });

  it("rejects a malformed trend and accepts the results panel's history link", () => {
    const view = buildLeaderboardView(
      { models: [], regions: [] },
      { category: 'all', range: 'all' },
      1,
      [],
      aggregateWeekly(records),
    );
    const bad = { ...view, weekly: { ...view.weekly!, series: [{ region: 'EU', values: ['<script>'] }] } };
    expect(parseSidebarToWebview({ type: 'leaderboard', view: bad })).toBeUndefined();
    expect(parseResultsFromWebview({ type: 'showComparison', extra: 1 })).toEqual({ type: 'showComparison' });
  });
});
