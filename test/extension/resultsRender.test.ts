// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createResultsApp, type ChartsHandle } from '../../media/src/lib/resultsRender';
import { buildResultsView } from '../../src/core/report/resultsView';
import type { WebviewMessage } from '../../src/shared/webviewProtocol';
import { parseHostMessage } from '../../src/shared/webviewProtocol';
import { run, report, result, sampleReport } from './fixtures';

function setup() {
  document.body.innerHTML = '<main id="app"></main>';
  const root = document.getElementById('app')!;
  const posted: WebviewMessage[] = [];
  const chartUpdates: unknown[] = [];
  const charts: ChartsHandle = { update: (v) => void chartUpdates.push(v) };
  const app = createResultsApp(root, (m) => posted.push(m), () => charts);
  return { root, posted, chartUpdates, app };
}

/** The view as the webview receives it: cloned and validated. */
function received(r = sampleReport(), options = {}) {
  const msg = parseHostMessage(JSON.parse(JSON.stringify({ type: 'results', view: buildResultsView(r, options) })));
  if (msg?.type !== 'results') throw new Error('invalid view');
  return msg.view;
}

describe('results panel rendering', () => {
  beforeEach(() => {
    delete (window as { pwned?: unknown }).pwned;
  });

  it('shows one row per model with the numbers and raw values for e2e', () => {
    const { root, app } = setup();
    app.render(received());
    const rows = root.querySelectorAll('#results-table tbody tr[data-model-id]');
    expect(Array.from(rows).map((r) => r.getAttribute('data-model-id'))).toEqual(['deepseek-v4-flash', 'kimi-k3', 'gpt-6-sol']);
    const ds = root.querySelector('tr[data-model-id="deepseek-v4-flash"]')!;
    expect(ds.getAttribute('data-region')).toBe('CN');
    const tps = ds.querySelector('td[data-metric="decodeTps"]')!;
    expect(tps.getAttribute('data-value')).toBe('85');
    expect(tps.textContent).toContain('85.0');
    expect(tps.getAttribute('title')).toContain('min–max 80.0–90.0');
    expect(ds.querySelector('td[data-metric="ttftMs"]')!.textContent).toContain('450');
    const runs = root.querySelector('tr[data-model-id="kimi-k3"] td[data-field="runs"]')!;
    expect(runs.getAttribute('data-ok')).toBe('1');
    expect(runs.getAttribute('data-failed')).toBe('1');
    // Both decode-rate columns are present and labelled.
    const headers = Array.from(root.querySelectorAll('#results-table thead th')).map((th) => th.textContent);
    expect(headers).toContain('tok/s (own tokens)');
    expect(headers).toContain('tok/s (o200k)');
  });

  it('highlights the best value of each column, with a text marker and not by colour only', () => {
    const { root, app } = setup();
    app.render(received());
    const best = (metric: string) => Array.from(root.querySelectorAll(`tbody td[data-metric="${metric}"][data-best="true"]`)).map((td) => td.closest('tr')!.getAttribute('data-model-id'));
    expect(best('decodeTps')).toEqual(['deepseek-v4-flash']);
    expect(best('ttftMs')).toEqual(['gpt-6-sol']);
    expect(best('outputTokens')).toEqual([]);
    const cell = root.querySelector('tr[data-model-id="deepseek-v4-flash"] td[data-metric="decodeTps"]')!;
    expect(cell.classList.contains('best')).toBe(true);
    expect(cell.textContent).toContain('(best)');
  });

  it('shows CN and US aggregate rows', () => {
    const { root, app } = setup();
    app.render(received());
    const agg = root.querySelectorAll('#results-table tfoot tr[data-aggregate-region]');
    expect(Array.from(agg).map((r) => r.getAttribute('data-aggregate-region'))).toEqual(['CN', 'US']);
    expect(root.querySelector('tr[data-aggregate-region="CN"] td[data-metric="decodeTps"]')!.getAttribute('data-value')).toBe('62.5');
  });

  it('renders model output and errors as inert text', () => {
    const { root, app } = setup();
    app.render(received());
    // No element was created from model text.
    expect(root.querySelector('script')).toBeNull();
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('b')).toBeNull();
    expect(root.querySelector('i')).toBeNull();
    const answer = root.querySelector('details[data-model-id="kimi-k3"] .run[data-run-index="0"] pre.answer-text')!;
    expect(answer.textContent).toBe('<script>window.pwned = 1</script><img src=x onerror="window.pwned=2">');
    expect(answer.children).toHaveLength(0);
    const error = root.querySelector('details[data-model-id="kimi-k3"] .run-error')!;
    expect(error.getAttribute('data-error-kind')).toBe('auth');
    expect(error.textContent).toContain('<b>bold</b>');
    const note = root.querySelector('details[data-model-id="deepseek-v4-flash"] .run[data-run-index="1"] .run-notes li')!;
    expect(note.textContent).toBe('hidden <u>reasoning</u> inferred');
    expect(root.querySelector('u')).toBeNull();
    const reasoning = root.querySelector('details[data-model-id="gpt-6-sol"] pre.reasoning-text')!;
    expect(reasoning.textContent).toBe('thinking <i>hard</i>');
    expect((window as { pwned?: unknown }).pwned).toBeUndefined();
  });

  it('posts typed messages from its buttons', () => {
    const { root, app, posted } = setup();
    app.render(received());
    (root.querySelector('#export-csv') as HTMLButtonElement).click();
    (root.querySelector('#export-markdown') as HTMLButtonElement).click();
    (root.querySelector('button.set-api-key[data-model-id="kimi-k3"]') as HTMLButtonElement).click();
    expect(posted).toEqual([
      { type: 'export', format: 'csv' },
      { type: 'export', format: 'markdown' },
      { type: 'setApiKey', modelId: 'kimi-k3' },
    ]);
  });

  it('shows progress and a cancel button while running, and keeps open outputs open across updates', () => {
    const { root, app, posted, chartUpdates } = setup();
    const partial = report([result('deepseek-v4-flash', 'CN', [run()]), result('gpt-6-sol', 'US', [])]);
    app.render(received(partial, { running: true, progress: { done: 1, total: 4 }, active: ['gpt-6-sol'] }));
    const status = root.querySelector('#results-status')!;
    expect(status.getAttribute('data-running')).toBe('true');
    expect(status.textContent).toContain('1 of 4');
    expect((root.querySelector('#results-progress') as HTMLProgressElement).hidden).toBe(false);
    const cancel = root.querySelector('#cancel-benchmark') as HTMLButtonElement;
    expect(cancel.hidden).toBe(false);
    expect((root.querySelector('#export-json') as HTMLButtonElement).disabled).toBe(true);
    expect(root.querySelector('tr[data-model-id="gpt-6-sol"]')!.getAttribute('data-status')).toBe('running');
    cancel.click();
    expect(posted).toEqual([{ type: 'cancel' }]);

    root.querySelector('details[data-model-id="deepseek-v4-flash"]')!.setAttribute('open', '');
    app.render(received(sampleReport()));
    expect(root.querySelector('details[data-model-id="deepseek-v4-flash"]')!.hasAttribute('open')).toBe(true);
    expect(status.getAttribute('data-running')).toBe('false');
    expect(cancel.hidden).toBe(true);
    expect(chartUpdates).toHaveLength(2);
  });

  it('shows the speculation estimate as a labelled column and explains it, as text', () => {
    const { root, app } = setup();
    const r = sampleReport();
    r.results[0].speculation = {
      label: 'estimated',
      category: 'coding-edit',
      flagged: true,
      technique: 'prompt-lookup',
      verdict: 'Coding edit — 71% of the output is copied from the prompt; prompt lookup would give about 2.3× <img src=x onerror="window.pwned=1">',
      promptLookupSpeedup: 2.31,
      copiedShare: 0.71,
      draftModelSpeedup: 2.2,
      chunkTiming: null,
      measuredAcceptanceRate: null,
      assumptions: ['γ = 3', 'c = 0.05'],
    };
    app.render(received(r));
    expect(root.querySelector('#results-table thead')!.textContent).toContain('Spec. decoding (est.)');
    const cell = root.querySelector('tr[data-model-id="deepseek-v4-flash"] td[data-field="speculation"]')!;
    expect(cell.textContent).toBe('lookup 2.3×');
    expect(cell.getAttribute('data-flagged')).toBe('true');
    expect(root.querySelector('tr[data-model-id="kimi-k3"] td[data-field="speculation"]')!.textContent).toBe('—');
    const why = root.querySelector('#outputs .speculation[data-model-id="deepseek-v4-flash"]')!;
    expect(why.textContent).toContain('Speculative decoding (estimated): Coding edit');
    expect(why.querySelectorAll('li')).toHaveLength(2);
    expect(root.querySelector('img')).toBeNull();
    expect((window as { pwned?: unknown }).pwned).toBeUndefined();
  });

  it('says how many runs were cancelled instead of showing 0/0', () => {
    const { root, app } = setup();
    const r = sampleReport();
    r.results[0] = result('deepseek-v4-flash', 'CN', [run({ ok: false, error: 'deepseek-v4-flash: cancelled.', errorKind: 'cancelled' })]);
    app.render(received(r));
    const cell = root.querySelector('tr[data-model-id="deepseek-v4-flash"] td[data-field="runs"]')!;
    expect(cell.textContent).toBe('0/0 (1 cancelled)');
    expect(cell.getAttribute('data-cancelled')).toBe('1');
    expect(root.querySelector('#outputs details[data-model-id="deepseek-v4-flash"] summary')!.textContent).toContain('1 cancelled');
  });

  it('shows an empty state without results', () => {
    const { root, app, posted } = setup();
    app.render(null);
    expect((root.querySelector('#results-empty') as HTMLElement).hidden).toBe(false);
    expect((root.querySelector('#results-content') as HTMLElement).hidden).toBe(true);
    (root.querySelector('#results-run-benchmark') as HTMLButtonElement).click();
    expect(posted).toEqual([{ type: 'runBenchmark' }]);
  });

  it('keeps the page working when charts cannot be created', () => {
    document.body.innerHTML = '<main id="app"></main>';
    const root = document.getElementById('app')!;
    const app = createResultsApp(root, vi.fn(), () => {
      throw new Error('no canvas');
    });
    app.render(received());
    expect(root.querySelector('#charts')!.textContent).toContain('Charts unavailable');
    expect(root.querySelectorAll('#results-table tbody tr')).toHaveLength(3);
  });
});
