// @vitest-environment happy-dom
/** The sidebar's model × UTC-hour heatmap, from history records through the core's by-hour medians. */
import { describe, expect, it } from 'vitest';
import { createSidebarApp } from '../../media/src/lib/sidebarRender';
import { heatLevel } from '../../media/src/lib/hourHeatmap';
import { byHour } from '../../src/core/history/byHour';
import type { HistoryRecord } from '../../src/core/history/contract';
import { buildLeaderboardView } from '../../src/core/report/leaderboardView';
import { parseSidebarToWebview } from '../../src/shared/protocol/sidebar';

const rec = (modelId: string, time: string, ttftMs: number): HistoryRecord =>
  ({
    v: 1,
    time,
    modelId,
    region: 'CN',
    protocol: 'openai-chat',
    host: 'h',
    promptHash: 'f'.repeat(64),
    category: 'chat',
    tokenSource: 'usage',
    toolVersion: '0',
    metrics: { ok: true, ttftMs, decodeTps: 30 },
  }) as HistoryRecord;

const board = {
  models: [
    {
      key: 'ds',
      label: 'DeepSeek',
      region: 'CN' as const,
      runs: 3,
      failedRuns: 0,
      medianDecodeTps: 30,
      medianNormalizedTps: 28,
      medianTtftMs: 400,
      costPerMOutput: null,
      lastRun: '2026-11-30T10:00:00Z',
    },
  ],
  regions: [],
};

function render(records: HistoryRecord[]) {
  document.body.innerHTML = '<main id="app"></main>';
  const root = document.getElementById('app')!;
  const view = buildLeaderboardView(
    board,
    { category: 'all', range: 'all' },
    records.length,
    [],
    undefined,
    undefined,
    byHour(records),
  );
  const msg = parseSidebarToWebview(JSON.parse(JSON.stringify({ type: 'leaderboard', view })));
  if (msg?.type !== 'leaderboard') throw new Error('invalid view');
  createSidebarApp(root, () => {}).render(msg.view);
  return root;
}

describe('sidebar hour heatmap', () => {
  it('stays hidden while every run is in one hour', () => {
    const root = render([rec('ds', '2026-11-30T02:10:00Z', 300), rec('ds', '2026-11-30T02:40:00Z', 350)]);
    expect(root.querySelector<HTMLElement>('#hour-heatmap-section')!.hidden).toBe(true);
    expect(root.querySelector('#hour-heatmap')).toBeNull();
  });

  it('draws a model × hour table of median TTFT with shades from fastest to slowest', () => {
    const root = render([
      rec('ds', '2026-11-30T02:10:00Z', 300),
      rec('ds', '2026-12-01T02:10:00Z', 500),
      rec('ds', '2026-11-30T14:00:00Z', 900),
      rec('glm', '2026-11-30T14:30:00Z', 600),
    ]);
    expect(root.querySelector<HTMLElement>('#hour-heatmap-section')!.hidden).toBe(false);
    const heads = Array.from(root.querySelectorAll('#hour-heatmap thead th')).map((th) => th.textContent);
    expect(heads).toEqual(['Model', '02', '14']);
    const ds = root.querySelector('#hour-heatmap tr[data-model-id="ds"]')!;
    expect(ds.querySelector('th')!.textContent).toBe('DeepSeek');
    const at2 = ds.querySelector('td[data-hour="2"]')!;
    expect(at2.getAttribute('data-value')).toBe('400');
    expect(at2.getAttribute('data-runs')).toBe('2');
    expect(at2.className).toContain('heat-0');
    expect(ds.querySelector('td[data-hour="14"]')!.className).toContain('heat-4');
    expect(root.querySelector('#hour-heatmap tr[data-model-id="glm"] td[data-hour="2"]')!.textContent).toBe('—');
  });

  it('shades on the table’s own scale', () => {
    expect(heatLevel(400, 400, 900)).toBe(0);
    expect(heatLevel(650, 400, 900)).toBe(2);
    expect(heatLevel(900, 400, 900)).toBe(4);
    expect(heatLevel(5, 5, 5)).toBe(0);
  });
});
