/**
 * Renders the results panel from a validated ResultsView. No Chart.js here (charts are injected, so this module
 * runs in a test DOM); no innerHTML anywhere: model text and errors become text nodes, in elements with
 * dir="auto" (isolated by the HTML user-agent style sheet) so bidi controls in them cannot reorder the panel's text.
 *
 * Stable hooks for the end-to-end suite:
 *   #results-status[data-running]          status line (aria-live), #results-progress (<progress>)
 *   #results-table tr[data-model-id]       one row per model (data-region, data-status)
 *   td[data-metric=<ViewMetric>]           data-value = raw median (absent when unknown), data-best="true" when best
 *   td[data-field=runs]                    data-ok, data-failed
 *   #results-table tr[data-aggregate-region=CN|US|local]  region aggregate rows
 *   #export-json, #export-csv, #export-markdown, #cancel-benchmark
 *   #outputs details[data-model-id] > .run[data-run-index] > pre.answer-text / pre.reasoning-text / .run-error
 *   button.set-api-key[data-model-id]
 *   #chart-tps, #chart-ttft, #chart-timeline (canvases), #results-empty
 */
import type { ResultsView, WebviewMessage } from '../../../src/shared/webviewProtocol';
import { formatMetric, type ColumnDef, type MetricCell, type ModelRow } from '../../../src/core/report/resultsView';
import { append, el, replaceChildren, type Child } from './dom';
import { createTtftSection, type TtftChartsFactory } from './ttftRender';

export interface ChartsHandle {
  update(view: ResultsView): void;
}

export type ChartsFactory = (canvases: { tps: HTMLCanvasElement; ttft: HTMLCanvasElement; timeline: HTMLCanvasElement; tpsBasis: HTMLSelectElement }) => ChartsHandle;

export interface ResultsApp {
  render(view: ResultsView | null): void;
}

const REGION_NAMES: Record<string, string> = { CN: 'China', US: 'United States', local: 'Local' };

function spreadTitle(c: MetricCell, col: Pick<ColumnDef, 'metric' | 'unit'>): string | undefined {
  if (!c.spread) return undefined;
  const format = (v: number) => formatMetric(col.metric, v);
  return `median ${c.text} ${col.unit}; min–max ${format(c.spread.min)}–${format(c.spread.max)}, MAD ${format(c.spread.mad)} over ${c.spread.n} runs`;
}

function metricCell(c: MetricCell, col: ColumnDef): HTMLTableCellElement {
  return el(
    'td',
    {
      class: `num${c.best ? ' best' : ''}`,
      'data-metric': col.metric,
      'data-value': c.value === null ? null : String(c.value),
      'data-best': c.best ? 'true' : null,
      title: spreadTitle(c, col),
    },
    c.text,
    c.best ? el('span', { class: 'best-mark', 'aria-hidden': 'true' }, ' ★') : null,
    c.best ? el('span', { class: 'visually-hidden' }, ' (best)') : null,
  );
}

function statusText(view: ResultsView): string {
  const { done, total } = view.progress;
  if (view.running) return `Running… ${done} of ${total} runs done.`;
  if (view.cancelled) return `Cancelled after ${done} of ${total} runs; partial results shown.`;
  const failed = view.rows.reduce((s, r) => s + r.failedRuns, 0);
  return `Finished ${view.finishedAt ? new Date(view.finishedAt).toLocaleString() : ''}: ${view.rows.length} model(s), ${failed} failed run(s).`;
}

function table(view: ResultsView): HTMLTableElement {
  const cols = view.columns;
  const head = el(
    'thead',
    {},
    el(
      'tr',
      {},
      el('th', { scope: 'col' }, 'Model'),
      el('th', { scope: 'col' }, 'Region'),
      el('th', { scope: 'col', title: 'Successful / measured runs' }, 'Runs ok'),
      cols.map((c) => el('th', { scope: 'col', class: 'num', 'data-metric': c.metric, title: c.help }, c.label, c.unit === 'ms' ? el('span', { class: 'unit' }, ' ms') : null)),
      el('th', { scope: 'col', title: 'Where output token counts came from: the provider\u2019s usage report or a local tokenizer' }, 'Tokens from'),
      el('th', { scope: 'col', title: 'Estimated speed-up from speculative decoding for this task (prompt lookup replayed over the model\u2019s output, or a draft model by task type). An estimate, not a measurement.' }, 'Spec. decoding (est.)'),
    ),
  );
  const body = el(
    'tbody',
    {},
    view.rows.map((r) =>
      el(
        'tr',
        { 'data-model-id': r.id, 'data-region': r.region, 'data-status': r.status },
        el('th', { scope: 'row', class: 'model' }, el('span', { class: 'label', dir: 'auto' }, r.label), el('span', { class: 'host', dir: 'auto' }, r.host), r.status !== 'done' ? el('span', { class: `badge ${r.status}` }, r.status) : null),
        el('td', { 'data-field': 'region', class: `region region-${r.region}` }, r.region),
        el(
          'td',
          { 'data-field': 'runs', class: `num${r.failedRuns ? ' has-failures' : ''}`, 'data-ok': r.okRuns, 'data-failed': r.failedRuns, 'data-cancelled': r.cancelledRuns },
          `${r.okRuns}/${r.okRuns + r.failedRuns}${r.cancelledRuns ? ` (${r.cancelledRuns} cancelled)` : ''}`,
        ),
        cols.map((c) => metricCell(r.cells[c.metric], c)),
        el('td', { 'data-field': 'tokenSource', title: r.tokenizer ? `tokenizer: ${r.tokenizer}` : undefined }, r.tokenSource),
        el('td', { 'data-field': 'speculation', 'data-flagged': r.speculation ? String(r.speculation.flagged) : null, title: r.speculation?.verdict }, r.speculation?.text ?? '—'),
      ),
    ),
  );
  const foot = view.aggregates.length
    ? el(
        'tfoot',
        {},
        view.aggregates.map((a) =>
          el(
            'tr',
            { class: 'aggregate', 'data-aggregate-region': a.region },
            el('th', { scope: 'row' }, `${REGION_NAMES[a.region] ?? a.region} (median of ${a.models} model${a.models === 1 ? '' : 's'})`),
            el('td', { 'data-field': 'region', class: `region region-${a.region}` }, a.region),
            el('td', {}),
            cols.map((c) => {
              const cell = (a.cells as Partial<Record<string, MetricCell>>)[c.metric];
              return cell ? metricCell(cell, c) : el('td', { class: 'num empty' });
            }),
            el('td', {}),
            el('td', {}),
          ),
        ),
      )
    : null;
  return el('table', { id: 'results-table', class: 'results' }, el('caption', { class: 'visually-hidden' }, 'Benchmark results per model; medians over successful runs'), head, body, foot);
}

function runSection(row: ModelRow, run: ModelRow['runs'][number]): HTMLElement {
  const key = `${row.id}#${run.index}`;
  const facts = [run.ok ? 'ok' : `failed${run.errorKind ? ` (${run.errorKind})` : ''}`];
  if (run.ttftMs !== null) facts.push(`TTFT ${run.ttftMs.toFixed(0)} ms`);
  if (run.decodeTps !== null) facts.push(`${run.decodeTps.toFixed(1)} tok/s`);
  if (run.outputTokens !== null) facts.push(`${run.outputTokens} tokens`);
  return el(
    'section',
    { class: `run${run.ok ? '' : ' failed'}`, 'data-run-index': run.index, 'data-ok': run.ok ? 'true' : 'false' },
    el('h4', {}, `Run ${run.index + 1} · ${facts.join(' · ')}`),
    run.error
      ? el(
          'div',
          { class: 'run-error', 'data-run-index': run.index, 'data-error-kind': run.errorKind ?? null },
          el('p', { dir: 'auto' }, run.error),
          run.errorKind === 'auth'
            ? el('button', { type: 'button', class: 'set-api-key secondary', 'data-model-id': row.id, 'data-focus-key': `key:${key}` }, 'Set API Key…')
            : null,
        )
      : null,
    run.notes.length ? el('ul', { class: 'run-notes muted' }, run.notes.map((n) => el('li', { dir: 'auto' }, n))) : null,
    run.reasoningText
      ? el('details', { class: 'reasoning', 'data-details-key': `reasoning:${key}` }, el('summary', { 'data-focus-key': `rsum:${key}` }, `Reasoning (${run.reasoningText.length} characters)`), el('pre', { class: 'reasoning-text', dir: 'auto', tabindex: 0 }, run.reasoningText))
      : null,
    run.answerText ? el('pre', { class: 'answer-text', dir: 'auto', 'data-run-index': run.index, tabindex: 0, 'aria-label': `Answer of ${row.label}, run ${run.index + 1}` }, run.answerText) : run.ok ? el('p', { class: 'muted' }, '(no answer text)') : null,
  );
}

function outputs(view: ResultsView, open: Set<string>): Child[] {
  return view.rows.map((r) => {
    const key = `model:${r.id}`;
    const d = el(
      'details',
      { class: 'model-output', 'data-model-id': r.id, 'data-details-key': key, open: open.has(key) },
      el('summary', { 'data-focus-key': `sum:${r.id}` }, el('span', { class: 'label', dir: 'auto' }, r.label), ` — ${r.okRuns} ok, ${r.failedRuns} failed${r.cancelledRuns ? `, ${r.cancelledRuns} cancelled` : ''}`),
      r.speculation
        ? el(
            'div',
            { class: 'speculation', 'data-model-id': r.id },
            el('p', {}, el('strong', {}, 'Speculative decoding (estimated): '), r.speculation.verdict),
            el('details', { 'data-details-key': `assumptions:${r.id}` }, el('summary', {}, 'Assumptions'), el('ul', { class: 'muted' }, r.speculation.assumptions.map((a) => el('li', {}, a)))),
          )
        : null,
      r.runs.length ? r.runs.map((run) => runSection(r, run)) : el('p', { class: 'muted' }, 'No runs finished yet.'),
    );
    for (const inner of Array.from(d.querySelectorAll('details[data-details-key]'))) if (open.has(inner.getAttribute('data-details-key')!)) inner.setAttribute('open', '');
    return d;
  });
}

/** Builds the static page skeleton once and returns a renderer for views. */
export function createResultsApp(root: HTMLElement, post: (m: WebviewMessage) => void, chartsFactory?: ChartsFactory, ttftChartsFactory?: TtftChartsFactory): ResultsApp {
  const ttft = createTtftSection(ttftChartsFactory);
  const status = el('div', { id: 'results-status', role: 'status', 'aria-live': 'polite' });
  const progress = el('progress', { id: 'results-progress', max: 1, value: 0 });
  const cancel = el('button', { id: 'cancel-benchmark', type: 'button', class: 'secondary' }, 'Cancel');
  const exportButtons = (['json', 'csv', 'markdown'] as const).map((format) =>
    el('button', { id: `export-${format}`, type: 'button', 'data-format': format }, `Export ${format === 'markdown' ? 'Markdown' : format.toUpperCase()}`),
  );
  const meta = el('p', { id: 'results-meta', class: 'muted' });
  const empty = el('section', { id: 'results-empty' }, el('p', {}, 'No results yet. Select a prompt in an editor and run "Tokenscope: Benchmark Selection".'), el('button', { id: 'results-run-benchmark', type: 'button' }, 'Run a benchmark'));
  const tableBox = el('div', { id: 'results-table-container', class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Results table' });
  const aggregateNote = el('p', { class: 'muted legend' }, '★ marks the best value of a column. Hover a number for its spread (min–max, MAD).');
  const tpsBasis = el('select', { id: 'tps-basis', 'aria-label': 'Tokens counted with' }, el('option', { value: 'own' }, "model's own tokens"), el('option', { value: 'o200k' }, 'o200k (normalised)'));
  const canvas = (id: string, label: string) => el('canvas', { id, role: 'img', 'aria-label': label });
  const tpsCanvas = canvas('chart-tps', 'Decode tokens per second per model: median bars with min–max whiskers');
  const ttftCanvas = canvas('chart-ttft', 'Time to first token per model: median bars with min–max whiskers');
  const timelineCanvas = canvas('chart-timeline', 'Cumulative tokens received over time, one line per model');
  const charts = el(
    'section',
    { id: 'charts', 'aria-labelledby': 'charts-title' },
    el('h2', { id: 'charts-title' }, 'Charts'),
    el('div', { class: 'chart-grid' },
      el('figure', { class: 'chart' }, el('figcaption', {}, 'Decode speed (tok/s), median and min–max, counted in ', tpsBasis), el('div', { class: 'chart-box' }, tpsCanvas)),
      el('figure', { class: 'chart' }, el('figcaption', {}, 'Time to first token (ms), median and min–max'), el('div', { class: 'chart-box' }, ttftCanvas)),
      el('figure', { class: 'chart wide' }, el('figcaption', {}, 'Token arrival: cumulative tokens over time (the run with the median decode speed)'), el('div', { class: 'chart-box' }, timelineCanvas)),
    ),
    el('p', { class: 'muted legend', id: 'region-legend' }, 'Bars are coloured by region: ', el('span', { class: 'swatch region-CN' }, 'CN'), ' ', el('span', { class: 'swatch region-US' }, 'US'), ' ', el('span', { class: 'swatch region-local' }, 'local')),
  );
  const warnings = el('ul', { id: 'warnings' });
  const warningsSection = el('section', { id: 'warnings-section', 'aria-labelledby': 'warnings-title' }, el('h2', { id: 'warnings-title' }, 'Warnings'), warnings);
  const outputsBox = el('div', { id: 'outputs-list' });
  const outputsSection = el('section', { id: 'outputs', 'aria-labelledby': 'outputs-title' }, el('h2', { id: 'outputs-title' }, 'Outputs and errors'), el('p', { class: 'muted' }, 'Model output is shown as plain text.'), outputsBox);
  const notes = el('ul', { id: 'notes', class: 'muted' });
  const content = el(
    'div',
    { id: 'results-content' },
    el('section', { 'aria-labelledby': 'table-title' }, el('h2', { id: 'table-title' }, 'Per model'), tableBox, aggregateNote),
    charts,
    ttft.element,
    warningsSection,
    outputsSection,
    notes,
  );
  append(
    root,
    el('header', { id: 'results-header' },
      el('h1', {}, 'Tokenscope results'),
      meta,
      el('div', { class: 'status-line' }, status, progress),
      el('div', { class: 'toolbar', role: 'group', 'aria-label': 'Actions' }, exportButtons, el('button', { id: 'show-comparison', type: 'button', class: 'secondary', title: 'Every saved run, ranked by model and region, week by week' }, 'History and leaderboard'), cancel),
    ),
    empty,
    content,
  );

  let chartsHandle: ChartsHandle | undefined;
  const ensureCharts = () => {
    if (!chartsHandle && chartsFactory) {
      try {
        chartsHandle = chartsFactory({ tps: tpsCanvas, ttft: ttftCanvas, timeline: timelineCanvas, tpsBasis });
      } catch (e) {
        charts.append(el('p', { class: 'error' }, `Charts unavailable: ${(e as Error).message}`));
      }
    }
    return chartsHandle;
  };

  root.addEventListener('click', (e) => {
    const target = (e.target as Element | null)?.closest('button');
    if (!target) return;
    if (target.id === 'cancel-benchmark') post({ type: 'cancel' });
    else if (target.id === 'results-run-benchmark') post({ type: 'runBenchmark' });
    else if (target.id === 'show-comparison') post({ type: 'showComparison' });
    else if (target.dataset.format) post({ type: 'export', format: target.dataset.format as 'json' | 'csv' | 'markdown' });
    else if (target.classList.contains('set-api-key') && target.dataset.modelId) post({ type: 'setApiKey', modelId: target.dataset.modelId });
  });

  return {
    render(view) {
      const hasView = view !== null;
      empty.hidden = hasView;
      content.hidden = !hasView;
      for (const b of exportButtons) b.disabled = !hasView || view.running;
      cancel.hidden = !hasView || !view.running;
      if (!view) {
        status.textContent = 'No results yet.';
        status.setAttribute('data-running', 'false');
        progress.hidden = true;
        return;
      }
      status.textContent = statusText(view);
      status.setAttribute('data-running', view.running ? 'true' : 'false');
      progress.hidden = !view.running;
      progress.max = Math.max(1, view.progress.total);
      progress.value = Math.min(view.progress.done, progress.max);
      meta.textContent = `Started ${new Date(view.startedAt).toLocaleString()} · prompt ${view.prompt.chars.toLocaleString()} characters · ${view.settings.runs} run(s)${view.settings.warmup ? ` + ${view.settings.warmup} warm-up` : ''}, concurrency ${view.settings.concurrency}, max ${view.settings.maxTokens} tokens${view.cacheMode ? ` · cache ${view.cacheMode}` : ''}${view.location ? ` · from ${view.location}` : ''}`;
      replaceChildren(tableBox, table(view));

      const open = new Set(Array.from(outputsBox.querySelectorAll('details[open][data-details-key]')).map((d) => d.getAttribute('data-details-key')!));
      replaceChildren(outputsBox, outputs(view, open));

      const allWarnings = [...new Set(view.rows.flatMap((r) => r.warnings))];
      warningsSection.hidden = allWarnings.length === 0;
      replaceChildren(warnings, allWarnings.map((w) => el('li', { dir: 'auto' }, w)));
      replaceChildren(notes, view.notes.map((n) => el('li', {}, n)));
      ensureCharts()?.update(view);
      ttft.render(view);
    },
  };
}
