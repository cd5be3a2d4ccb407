// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createResultsApp } from '../../media/src/lib/resultsRender';
import { compareReports } from '../../src/core/compare';
import { buildCompareView } from '../../src/core/report/compareView';
import { buildResultsView } from '../../src/core/report/resultsView';
import { applySlo, parseSlo } from '../../src/core/slo';
import {
  parseResultsFromWebview,
  parseResultsToWebview,
  type CompareView,
  type ResultsFromWebview,
  type ResultsView,
} from '../../src/shared/protocol/results';
import { report, result, run } from './fixtures';

const before = report([
  result('m1', 'CN', [run({ ttftMs: 300, decodeTps: 50 }), run({ ttftMs: 500, decodeTps: 70 })]),
  result('old', 'US', [run()]),
]);
const now = report(
  [
    result('m1', 'CN', [run({ ttftMs: 200, decodeTps: 80 }), run({ ttftMs: 220, decodeTps: 90 })]),
    result('<img src=x onerror=alert(1)>', 'local', [run()]),
  ],
  { startedAt: '2025-12-01T10:00:00.000Z' },
);

/** A view as the webview receives it: cloned and validated. */
function received(type: 'results', view: ResultsView): ResultsView;
function received(type: 'compare', view: CompareView): CompareView;
function received(type: 'results' | 'compare', view: unknown): unknown {
  const msg = parseResultsToWebview(JSON.parse(JSON.stringify({ type, view })));
  if (msg?.type !== type) throw new Error(`invalid ${type} view`);
  return (msg as { view: unknown }).view;
}

function setup() {
  document.body.innerHTML = '<main id="app"></main>';
  const root = document.getElementById('app')!;
  const posted: ResultsFromWebview[] = [];
  const compared: unknown[] = [];
  const app = createResultsApp(
    root,
    (m) => posted.push(m),
    () => ({ update: () => {}, compare: (v) => void compared.push(v) }),
  );
  return { root, posted, compared, app };
}

describe('Compare with… view model', () => {
  const view = buildCompareView(compareReports(before, now, { a: 'last-week.json', b: 'these results' }));

  it('carries text for every delta, who is better, and each run for the overlaid distributions', () => {
    const m1 = view.rows.find((r) => r.id === 'm1')!;
    expect(m1.cells.ttftMs).toEqual({ a: '400', b: '210', delta: '−47.5%', better: 'b' });
    expect(m1.cells.decodeTps).toEqual({ a: '60.0', b: '85.0', delta: '+41.7%', better: 'b' });
    expect(m1.values.ttftMs).toEqual({ a: [300, 500], b: [200, 220] });
    expect(view.rows.map((r) => [r.id, r.inA, r.inB])).toEqual([
      ['m1', true, true],
      ['old', true, false],
      ['<img src=x onerror=alert(1)>', false, true],
    ]);
  });

  it('passes the protocol guard; a tampered view or unknown message does not', () => {
    expect(received('compare', view)).toEqual(view);
    expect(parseResultsToWebview({ type: 'compare', view: null })).toEqual({ type: 'compare', view: null });
    const bad = JSON.parse(JSON.stringify(view));
    bad.rows[0].cells.ttftMs.better = 'c';
    expect(parseResultsToWebview({ type: 'compare', view: bad })).toBeUndefined();
    expect(parseResultsFromWebview({ type: 'compareWith' })).toEqual({ type: 'compareWith' });
    expect(parseResultsFromWebview({ type: 'clearCompare', extra: 1 })).toEqual({ type: 'clearCompare' });
  });

  it('the panel renders the deltas table as text, overlays the charts, and the buttons post their messages', () => {
    const { root, posted, compared, app } = setup();
    app.render(received('results', buildResultsView(now)));
    (root.querySelector('#compare-with') as HTMLButtonElement).click();
    expect(posted).toContainEqual({ type: 'compareWith' });
    app.renderCompare(received('compare', view));
    const section = root.querySelector('#compare')!;
    expect(section.getAttribute('data-a')).toBe('last-week.json');
    const cell = root.querySelector('#compare-table tr[data-model-id="m1"] td[data-metric="ttftMs"]')!;
    expect(cell.getAttribute('data-better')).toBe('b');
    expect(cell.textContent).toBe('400 → 210 (−47.5%) better');
    expect(root.querySelector('#compare-table img')).toBeNull();
    expect(root.querySelector('#compare-table tr[data-model-id="old"]')!.textContent).toContain('only in A');
    expect(compared).toHaveLength(1);
    (root.querySelector('#clear-compare') as HTMLButtonElement).click();
    expect(posted).toContainEqual({ type: 'clearCompare' });
    app.renderCompare(null);
    expect(root.querySelector('#compare')).toBeNull();
    expect(compared.at(-1)).toBeNull();
  });
});

describe('SLO in the results panel', () => {
  it('a column with met/total and goodput, only when the benchmark had an SLO', () => {
    const { root, app } = setup();
    app.render(received('results', buildResultsView(now)));
    expect(root.querySelector('td[data-field="slo"]')).toBeNull();
    const withSlo = applySlo(structuredClone(now), parseSlo('ttft<=210'));
    const v = buildResultsView(withSlo);
    expect(v.slo).toBe('ttft<=210');
    app.render(received('results', v));
    const cell = root.querySelector('tr[data-model-id="m1"] td[data-field="slo"]')!;
    expect(cell.getAttribute('data-met')).toBe('1');
    expect(cell.getAttribute('data-total')).toBe('2');
    expect(cell.textContent).toMatch(/^1\/2 \(50%\), [\d.]+ req\/s$/);
    expect(root.querySelector('th[data-field="slo"]')!.getAttribute('title')).toContain('ttft<=210');
  });
});
