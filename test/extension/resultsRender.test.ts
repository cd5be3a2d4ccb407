// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createResultsApp, type ChartsHandle } from '../../media/src/lib/resultsRender';
import { buildResultsView } from '../../src/core/report/resultsView';
import { parseResultsToWebview, type ResultsFromWebview } from '../../src/shared/protocol/results';
import { run, report, result, sampleReport } from './fixtures';

function setup() {
  document.body.innerHTML = '<main id="app"></main>';
  const root = document.getElementById('app')!;
  const posted: ResultsFromWebview[] = [];
  const chartUpdates: unknown[] = [];
  const charts: ChartsHandle = { update: (v) => void chartUpdates.push(v) };
  const app = createResultsApp(
    root,
    (m) => posted.push(m),
    () => charts,
  );
  return { root, posted, chartUpdates, app };
}

/** The view as the webview receives it: cloned and validated. */
function received(r = sampleReport(), options = {}) {
  const msg = parseResultsToWebview(
    JSON.parse(JSON.stringify({ type: 'results', view: buildResultsView(r, options) })),
  );
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
    expect(Array.from(rows).map((r) => r.getAttribute('data-model-id'))).toEqual([
      'deepseek-v4-flash',
      'kimi-k3',
      'gpt-6-sol',
    ]);
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
    const best = (metric: string) =>
      Array.from(root.querySelectorAll(`tbody td[data-metric="${metric}"][data-best="true"]`)).map((td) =>
        td.closest('tr')!.getAttribute('data-model-id'),
      );
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
    expect(
      root.querySelector('tr[data-aggregate-region="CN"] td[data-metric="decodeTps"]')!.getAttribute('data-value'),
    ).toBe('80');
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
    const note = root.querySelector(
      'details[data-model-id="deepseek-v4-flash"] .run[data-run-index="1"] .run-notes li',
    )!;
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
    app.render(
      received(partial, {
        running: true,
        activity: { 'gpt-6-sol': { warmupActive: 0, measuredActive: 1, warmupDone: 0 } },
      }),
    );
    const status = root.querySelector('#results-status')!;
    expect(status.getAttribute('data-running')).toBe('true');
    expect(status.textContent).toBe('Running… 1 of 4 measured runs done.');
    expect(root.querySelector('tr[data-model-id="gpt-6-sol"] [data-field="status"]')!.textContent).toBe(
      'running 1 of 2',
    );
    expect(root.querySelector('tr[data-model-id="deepseek-v4-flash"] [data-field="status"]')!.textContent).toBe(
      'queued: 1 of 2 runs done',
    );
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
      verdict:
        'Coding edit — 71% of the output is copied from the prompt; prompt lookup would give about 2.3× <img src=x onerror="window.pwned=1">',
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
    r.results[0] = result('deepseek-v4-flash', 'CN', [
      run({ ok: false, error: 'deepseek-v4-flash: cancelled.', errorKind: 'cancelled' }),
    ]);
    app.render(received(r));
    const cell = root.querySelector('tr[data-model-id="deepseek-v4-flash"] td[data-field="runs"]')!;
    expect(cell.textContent).toBe('0/0 (1 cancelled)');
    expect(cell.getAttribute('data-cancelled')).toBe('1');
    expect(root.querySelector('#outputs details[data-model-id="deepseek-v4-flash"] summary')!.textContent).toContain(
      '1 cancelled',
    );
  });

  it('after a cancel, states the same counts as the table, keeps the finished runs, and says which model has none', () => {
    const { root, app } = setup();
    const r = report([
      result('deepseek-v4-flash', 'CN', [run({ decodeTps: 80 })]),
      result('gpt-6-sol', 'US', [run({ ok: false, error: 'gpt-6-sol: cancelled.', errorKind: 'cancelled' })]),
    ]);
    app.render(received(r, { cancelled: true }));
    expect(root.querySelector('#results-status')!.textContent).toBe(
      'Cancelled after 1 of 4 measured runs; the 1 finished is shown. No finished run: gpt-6-sol label.',
    );
    expect(root.querySelector('tr[data-model-id="deepseek-v4-flash"] td[data-field="runs"]')!.textContent).toBe('1/1');
    expect(root.querySelector('tr[data-model-id="gpt-6-sol"] [data-field="status"]')!.textContent).toBe(
      'cancelled before any run finished',
    );
    expect(root.querySelector('#outputs details[data-model-id="gpt-6-sol"]')!.textContent).toContain(
      'Cancelled before any run of this model finished.',
    );
    expect((root.querySelector('#chart-grid, .chart-grid') as HTMLElement).hidden).toBe(false);
    expect((root.querySelector('#export-json') as HTMLButtonElement).disabled).toBe(false);
  });

  it('with nothing finished: no empty charts, and Export disabled with the reason shown', () => {
    const { root, app, chartUpdates } = setup();
    const r = report([
      result('deepseek-v4-flash', 'CN', [
        run({ ok: false, error: 'deepseek-v4-flash: cancelled.', errorKind: 'cancelled' }),
      ]),
    ]);
    app.render(received(r, { cancelled: true }));
    expect(root.querySelector('#results-status')!.textContent).toBe(
      'Cancelled after 0 of 2 measured runs; no run had finished.',
    );
    expect((root.querySelector('.chart-grid') as HTMLElement).hidden).toBe(true);
    expect(root.querySelector('#charts-empty')!.textContent).toContain(
      'No run finished before the benchmark was cancelled',
    );
    expect(chartUpdates).toHaveLength(0);
    const exp = root.querySelector('#export-json') as HTMLButtonElement;
    expect(exp.disabled).toBe(true);
    expect(exp.title).toBe('No run finished, so there is nothing to export.');
    expect(root.querySelector('#export-reason')!.textContent).toBe('No run finished, so there is nothing to export.');
  });

  it('marks a failed model in the table and shows one card per distinct error, with its count and one action', () => {
    const { root, app, posted } = setup();
    const r = sampleReport();
    const err =
      'x (x.example.com): the API key is missing or was rejected (HTTP 401). Set it with Tokenscope: Set API Key.';
    const bad = {
      ok: false,
      error: err,
      errorKind: 'auth' as const,
      decodeTps: null,
      ttftMs: null,
      normalizedTps: null,
      answerText: '',
    };
    r.results.push(result('x', 'US', [run(bad), run(bad)]));
    app.render(received(r));
    const row = root.querySelector('tr[data-model-id="x"]')!;
    expect(row.getAttribute('data-status')).toBe('failed');
    expect(row.classList.contains('failed')).toBe(true);
    expect(row.querySelector('[data-field="status"]')!.textContent).toBe('failed: 401 (2 of 2 runs)');
    const cards = root.querySelectorAll('details[data-model-id="x"] .run-error');
    expect(cards).toHaveLength(1);
    expect(cards[0].getAttribute('data-count')).toBe('2');
    expect(cards[0].querySelector('h4')!.textContent).toBe('Failed: 401 — 2 of 2 runs (run 1, 2)');
    expect(root.querySelectorAll('details[data-model-id="x"] button.set-api-key')).toHaveLength(1);
    expect(root.querySelector('#results-status')!.textContent).toContain(
      '2 models had failed runs: kimi-k3 label (failed: 401 (1 of 2 runs)); x label (failed: 401 (2 of 2 runs)).',
    );
    (root.querySelector('details[data-model-id="x"] button.set-api-key') as HTMLButtonElement).click();
    expect(posted).toEqual([{ type: 'setApiKey', modelId: 'x' }]);
  });

  it("names the prompt's file and first line, and labels every part of a demo as simulated", () => {
    const { root, app } = setup();
    app.render(
      received(sampleReport(), {
        prompt: { source: 'notes.md (selection)', firstLine: 'Explain, in three sentences, why…' },
        demo: true,
      }),
    );
    expect(root.querySelector('#results-prompt')!.textContent).toBe(
      'notes.md (selection) — “Explain, in three sentences, why…” · 42 characters',
    );
    expect((root.querySelector('#demo-banner') as HTMLElement).hidden).toBe(false);
    expect(root.querySelector('#results-table caption')!.textContent).toBe(
      'Simulated — demo: not real model measurements',
    );
    expect(root.querySelector('#results-status')!.textContent).toMatch(/^Demo \(simulated\): /);
    for (const tag of Array.from(root.querySelectorAll('#charts .demo-tag')))
      expect(tag.textContent).toBe('Simulated — demo: ');
    expect((root.querySelector('#export-json') as HTMLButtonElement).disabled).toBe(true);
    expect(root.querySelector('#export-reason')!.textContent).toBe(
      'Demo numbers are simulated, so they are not exported.',
    );
  });

  it('returns the focus to the Set API Key button when the panel gets it back (Escape from the key box)', () => {
    const { root, app } = setup();
    app.render(received());
    const button = root.querySelector('button.set-api-key[data-model-id="kimi-k3"]') as HTMLButtonElement;
    button.focus();
    button.click();
    (document.activeElement as HTMLElement | null)?.blur();
    expect(document.activeElement).not.toBe(button);
    window.dispatchEvent(new Event('focus'));
    expect(document.activeElement).toBe(root.querySelector('button.set-api-key[data-model-id="kimi-k3"]'));
  });

  it('makes every cell with a spread focusable, with the spread in its accessible name', () => {
    const { root, app } = setup();
    app.render(received());
    const cell = root.querySelector('tr[data-model-id="deepseek-v4-flash"] td[data-metric="decodeTps"]') as HTMLElement;
    expect(cell.getAttribute('tabindex')).toBe('0');
    expect(cell.getAttribute('aria-label')).toBe(
      'deepseek-v4-flash label, tok/s (own tokens): median 85.0 tok/s; min–max 80.0–90.0, MAD 5.0 over 2 runs (best)',
    );
    // A single value has no spread: not a tab stop.
    expect(
      root.querySelector('tr[data-model-id="kimi-k3"] td[data-metric="decodeTps"]')!.hasAttribute('tabindex'),
    ).toBe(false);
  });

  it('shows a first-run empty state that says "No results yet" once and offers the demo, local servers, a key and a benchmark', () => {
    const { root, app, posted } = setup();
    app.render(null);
    expect((root.querySelector('#results-empty') as HTMLElement).hidden).toBe(false);
    expect((root.querySelector('#results-content') as HTMLElement).hidden).toBe(true);
    expect(root.textContent!.match(/No results yet/g)).toHaveLength(1);
    for (const id of ['#results-demo', '#results-local', '#results-set-key', '#results-run-benchmark'])
      (root.querySelector(id) as HTMLButtonElement).click();
    expect(posted).toEqual([
      { type: 'startDemo' },
      { type: 'findLocalServers' },
      { type: 'setApiKey' },
      { type: 'runBenchmark' },
    ]);
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
