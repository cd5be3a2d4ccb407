// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createSidebarApp } from '../../media/src/lib/sidebarRender';
import type { LeaderboardRow } from '../../src/core/history/contract';
import { buildLeaderboardView } from '../../src/core/report/leaderboardView';
import type { SidebarFromWebview } from '../../src/shared/protocol/sidebar';

function setup() {
  document.body.innerHTML = '<main id="app"></main>';
  const root = document.getElementById('app')!;
  const posted: SidebarFromWebview[] = [];
  return { root, posted, app: createSidebarApp(root, (m) => posted.push(m)) };
}

const row = (
  key: string,
  region: 'CN' | 'US',
  tps: number,
  ttft: number,
  cost: number | null,
  label?: string,
): LeaderboardRow => ({
  key,
  ...(label ? { label } : {}),
  region,
  runs: 3,
  failedRuns: 1,
  medianDecodeTps: tps,
  medianNormalizedTps: tps * 0.9,
  medianTtftMs: ttft,
  costPerMOutput: cost,
  lastRun: '2025-11-30T10:00:00Z',
});

describe('sidebar leaderboard rendering', () => {
  it('marks a failed model with its failure and one action, and counts its failed runs', () => {
    const { root, app, posted } = setup();
    const failed: LeaderboardRow = {
      ...row('us-keyed', 'US', 0, 0, null, 'US keyed'),
      runs: 3,
      failedRuns: 3,
      medianDecodeTps: null,
      medianNormalizedTps: null,
      medianTtftMs: null,
    };
    const outcomes = new Map([
      [
        'us-keyed',
        {
          failed: {
            label: '401',
            error: 'us-keyed (h): the API key is missing or was rejected (HTTP 401).',
            auth: true,
            time: '2025-11-30T10:00:00Z',
          },
        },
      ],
    ]);
    app.render(
      buildLeaderboardView(
        { models: [row('cn', 'CN', 80, 500, 0.4), failed], regions: [] },
        { category: 'all', range: '30d' },
        6,
        [],
        undefined,
        outcomes,
      ),
    );
    const tr = root.querySelector('tr[data-model-id="us-keyed"]')!;
    expect(tr.querySelector('[data-field="failure"]')!.textContent).toBe(' failed: 401');
    expect(tr.querySelector('td[data-field="runs"]')!.textContent).toBe('0 ok / 3 failed');
    expect(root.querySelector('tr[data-model-id="cn"] [data-field="failure"]')).toBeNull();
    expect(tr.querySelectorAll('button')).toHaveLength(1);
    (tr.querySelector('button.set-api-key') as HTMLButtonElement).click();
    expect(posted).toEqual([{ type: 'setApiKey', modelId: 'us-keyed' }]);
  });

  it('offers the demo next to Run a benchmark when there is no history', () => {
    const { root, app, posted } = setup();
    app.render(buildLeaderboardView({ models: [], regions: [] }, { category: 'all', range: '30d' }, 0));
    (root.querySelector('#sidebar-demo') as HTMLButtonElement).click();
    expect(posted).toEqual([{ type: 'startDemo' }]);
  });

  it('shows the empty state with a Run a benchmark button when there is no history', () => {
    const { root, app, posted } = setup();
    app.render(buildLeaderboardView({ models: [], regions: [] }, { category: 'all', range: '30d' }, 0));
    expect((root.querySelector('#leaderboard-empty') as HTMLElement).hidden).toBe(false);
    expect(root.querySelector('#leaderboard-models')).toBeNull();
    (root.querySelector('#run-benchmark') as HTMLButtonElement).click();
    expect(posted).toEqual([{ type: 'runBenchmark' }]);
  });

  it('lists models and regions with raw values and the best marked', () => {
    const { root, app } = setup();
    const board = {
      models: [
        row('deepseek-v4-flash', 'CN', 80, 500, 0.42, 'DeepSeek <b>V3</b>'),
        row('gpt-6-sol', 'US', 60, 250, 10),
      ],
      regions: [row('CN', 'CN', 80, 500, 0.42), row('US', 'US', 60, 250, 10)],
    };
    app.render(buildLeaderboardView(board, { category: 'coding-edit', range: '7d' }, 12));
    expect((root.querySelector('#leaderboard-empty') as HTMLElement).hidden).toBe(true);
    const ds = root.querySelector('#leaderboard-models tr[data-model-id="deepseek-v4-flash"]')!;
    expect(ds.textContent).toContain('DeepSeek <b>V3</b>');
    expect(root.querySelector('#leaderboard-models b')).toBeNull();
    expect(ds.querySelector('td[data-metric="medianDecodeTps"]')!.getAttribute('data-value')).toBe('80');
    expect(ds.querySelector('td[data-metric="medianDecodeTps"]')!.getAttribute('data-best')).toBe('true');
    expect(ds.querySelector('td[data-metric="costPerMOutput"]')!.textContent).toContain('$0.420');
    expect(
      root
        .querySelector('#leaderboard-models tr[data-model-id="gpt-6-sol"] td[data-metric="medianTtftMs"]')!
        .getAttribute('data-best'),
    ).toBe('true');
    expect(root.querySelectorAll('#leaderboard-regions tr[data-region]')).toHaveLength(2);
    expect((root.querySelector('#filter-category') as HTMLSelectElement).value).toBe('coding-edit');
    expect((root.querySelector('#filter-range') as HTMLSelectElement).value).toBe('7d');
  });

  it('posts the filter when it changes and says when nothing matches', () => {
    const { root, app, posted } = setup();
    app.render(buildLeaderboardView({ models: [], regions: [] }, { category: 'all', range: '24h' }, 5));
    expect((root.querySelector('#leaderboard-filtered-empty') as HTMLElement).hidden).toBe(false);
    const range = root.querySelector('#filter-range') as HTMLSelectElement;
    range.value = 'all';
    range.dispatchEvent(new Event('change'));
    expect(posted).toEqual([{ type: 'setFilter', filter: { category: 'all', range: 'all' } }]);
  });
});
