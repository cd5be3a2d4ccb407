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
 *   #host-groups table[data-base-model] > tr[data-model-id] (data-fastest, data-cheapest)  same model, different hosts
 */
import type { CompareView, ResultsFromWebview, ResultsView } from '../../../src/shared/protocol/results';
import { compareSection } from './compareRender';
import { formatMetric, type ColumnDef, type MetricCell, type ModelRow } from '../../../src/core/report/resultsView';
import { append, cssEscape, el, replaceChildren, type Child } from './dom';
import { createTtftSection, type TtftChartsFactory } from './ttftRender';

export interface ChartsHandle {
  update(view: ResultsView): void;
  /** Overlays (or, with null, removes) another run's values. */
  compare?(view: CompareView | null): void;
}

export type ChartsFactory = (canvases: {
  tps: HTMLCanvasElement;
  ttft: HTMLCanvasElement;
  timeline: HTMLCanvasElement;
  tpsBasis: HTMLSelectElement;
  tpsLog: HTMLLabelElement;
}) => ChartsHandle;

export interface ResultsApp {
  render(view: ResultsView | null): void;
  /** Shows (or, with null, hides) the comparison with another run. */
  renderCompare(view: CompareView | null): void;
}

const REGION_NAMES: Record<string, string> = { CN: 'China', US: 'United States', local: 'Local' };

function spreadTitle(c: MetricCell, col: Pick<ColumnDef, 'metric' | 'unit'>): string | undefined {
  if (!c.spread) return undefined;
  const format = (v: number) => formatMetric(col.metric, v);
  return `median ${c.text} ${col.unit}; min–max ${format(c.spread.min)}–${format(c.spread.max)}, MAD ${format(c.spread.mad)} over ${c.spread.n} runs`;
}

function metricCell(c: MetricCell, col: ColumnDef, rowLabel: string): HTMLTableCellElement {
  const spread = spreadTitle(c, col);
  // A cell with a spread is focusable and names it, so keyboard and screen-reader users reach what the tooltip says.
  return el(
    'td',
    {
      class: `num${c.best ? ' best' : ''}${spread ? ' has-spread' : ''}`,
      'data-metric': col.metric,
      'data-value': c.value === null ? null : String(c.value),
      'data-best': c.best ? 'true' : null,
      title: spread,
      tabindex: spread ? 0 : null,
      'aria-label': spread ? `${rowLabel}, ${col.label}: ${spread}${c.best ? ' (best)' : ''}` : null,
    },
    c.text,
    c.best ? el('span', { class: 'best-mark', 'aria-hidden': 'true' }, ' ★') : null,
    c.best ? el('span', { class: 'visually-hidden' }, ' (best)') : null,
  );
}

/** The cost cell also says where its price came from. */
function costTitled(td: HTMLTableCellElement, col: ColumnDef, row: ModelRow): HTMLTableCellElement {
  if (col.metric !== 'costUsd') return td;
  td.setAttribute('data-price-source', row.priceSource ?? '');
  td.title = [td.title, row.priceSource ? `Priced by ${row.priceSource}` : 'No price known for this model']
    .filter(Boolean)
    .join('\n');
  return td;
}

/** One small table per model served by several hosts: fastest first, the fastest and cheapest marked. */
function hostGroupTables(view: ResultsView): Child[] {
  const byId = new Map(view.rows.map((r) => [r.id, r]));
  return view.hostGroups.map((g) =>
    el(
      'table',
      { class: 'results host-group', 'data-base-model': g.baseModel },
      el('caption', { dir: 'auto' }, g.baseModel),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, 'Served as'),
          el('th', { scope: 'col' }, 'Provider'),
          el('th', { scope: 'col', class: 'num' }, 'tok/s (own tokens)'),
          el('th', { scope: 'col', class: 'num' }, 'TTFT ms'),
          el('th', { scope: 'col', class: 'num' }, 'cost/run'),
        ),
      ),
      el(
        'tbody',
        {},
        g.ids.map((id) => {
          const r = byId.get(id);
          if (!r) return null;
          const mark = (on: boolean, word: string) => (on ? el('span', { class: 'badge' }, word) : null);
          return el(
            'tr',
            {
              'data-model-id': id,
              'data-fastest': id === g.fastestId ? 'true' : null,
              'data-cheapest': id === g.cheapestId ? 'true' : null,
            },
            el('th', { scope: 'row', dir: 'auto' }, r.label),
            el('td', { dir: 'auto' }, r.provider ?? r.host),
            el('td', { class: 'num' }, r.cells.decodeTps.text, ' ', mark(id === g.fastestId, 'fastest')),
            el('td', { class: 'num' }, r.cells.ttftMs.text),
            el(
              'td',
              { class: 'num', title: r.priceSource ? `Priced by ${r.priceSource}` : undefined },
              r.cells.costUsd.text,
              ' ',
              mark(id === g.cheapestId, 'cheapest'),
            ),
          );
        }),
      ),
    ),
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One status sentence whose counts are the table's: measured runs finished (ok or failed), warm-ups apart. */
export function statusText(view: ResultsView): string {
  const { done, total, warmupDone, warmupTotal } = view.progress;
  const demo = view.demo ? 'Demo (simulated): ' : '';
  if (view.running) {
    const warm =
      warmupTotal && warmupDone < warmupTotal ? ` Warm-up ${warmupDone} of ${warmupTotal} done (not measured).` : '';
    return `${demo}Running… ${done} of ${plural(total, 'measured run')} done.${warm}`;
  }
  const failedModels = view.rows.filter((r) => r.failedRuns > 0);
  const failedText = failedModels.length
    ? ` ${plural(failedModels.length, 'model')} had failed runs: ${failedModels.map((r) => `${r.label} (${r.statusText.replace(/^.*?(failed: )/, '$1')})`).join('; ')}.`
    : '';
  if (view.cancelled) {
    const none = view.rows.filter((r) => r.okRuns + r.failedRuns === 0).map((r) => r.label);
    return `${demo}Cancelled after ${done} of ${plural(total, 'measured run')}; ${done ? `the ${done} finished ${done === 1 ? 'is' : 'are'} shown` : 'no run had finished'}.${none.length && done ? ` No finished run: ${none.join(', ')}.` : ''}${failedText}`;
  }
  return `${demo}Finished ${view.finishedAt ? new Date(view.finishedAt).toLocaleString() : ''}: ${plural(view.rows.length, 'model')}, ${done} of ${plural(total, 'measured run')} done.${failedText}`;
}

/** The row's state in a few words: "queued", "warming up 1 of 1", "running 2 of 3", "failed: 401 (3 of 3 runs)". */
function badgeText(r: ModelRow): string {
  switch (r.status) {
    case 'queued':
      return r.statusText;
    case 'warming up':
      return r.statusText.replace(/^warm-up /, 'warming up ');
    case 'running':
      return r.statusText.replace(/^run /, 'running ');
    case 'done':
      return r.statusText.replace(/^.*?(failed: )/, '$1');
    default:
      return r.statusText;
  }
}

/** Why Export is off, or null when there is something real to export. */
export function exportBlocked(view: ResultsView | null): string | null {
  if (!view) return 'Nothing to export yet: run a benchmark first.';
  if (view.running) return 'Export is available when the benchmark finishes or is cancelled.';
  if (view.demo) return 'Demo numbers are simulated, so they are not exported.';
  if (view.progress.done === 0) return 'No run finished, so there is nothing to export.';
  return null;
}

/** "notes.md (selection) — “Explain, in three …” · 95 characters" */
function promptText(view: ResultsView): string {
  const p = view.prompt;
  const parts = [p.source ?? 'prompt'];
  if (p.firstLine) parts.push(`“${p.firstLine}”`);
  return `${parts.join(' — ')} · ${p.chars.toLocaleString()} characters`;
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
      cols.map((c) =>
        el(
          'th',
          { scope: 'col', class: 'num', 'data-metric': c.metric, title: c.help },
          c.label,
          c.unit === 'ms' ? el('span', { class: 'unit' }, ' ms') : null,
        ),
      ),
      el(
        'th',
        {
          scope: 'col',
          title: 'Where output token counts came from: the provider\u2019s usage report or a local tokenizer',
        },
        'Tokens from',
      ),
      el(
        'th',
        {
          scope: 'col',
          title:
            'Estimated speed-up from speculative decoding for this task (prompt lookup replayed over the model\u2019s output, or a draft model by task type). An estimate, not a measurement.',
        },
        'Spec. decoding (est.)',
      ),
      view.slo
        ? el(
            'th',
            {
              scope: 'col',
              'data-field': 'slo',
              title: `Runs that met every target of the SLO ${view.slo} (failed runs count as missed), and goodput: requests per second that met it at concurrency ${view.settings.concurrency}`,
            },
            'SLO met, goodput',
          )
        : null,
    ),
  );
  const body = el(
    'tbody',
    {},
    view.rows.map((r) =>
      el(
        'tr',
        {
          'data-model-id': r.id,
          'data-region': r.region,
          'data-status': r.status,
          class: r.status === 'failed' ? 'failed' : r.failedRuns ? 'has-failed-runs' : null,
        },
        el(
          'th',
          { scope: 'row', class: 'model' },
          el('span', { class: 'label', dir: 'auto' }, r.label),
          el('span', { class: 'host', dir: 'auto' }, r.host),
          r.status !== 'done' || r.failedRuns
            ? el(
                'span',
                {
                  class: `badge status-${r.status.replace(' ', '-')}${r.failedRuns ? ' failure' : ''}`,
                  'data-field': 'status',
                  title: r.statusText,
                },
                badgeText(r),
              )
            : null,
        ),
        el('td', { 'data-field': 'region', class: `region region-${r.region}` }, r.region),
        el(
          'td',
          {
            'data-field': 'runs',
            class: `num${r.failedRuns ? ' has-failures' : ''}`,
            'data-ok': r.okRuns,
            'data-failed': r.failedRuns,
            'data-cancelled': r.cancelledRuns,
          },
          `${r.okRuns}/${r.okRuns + r.failedRuns}${r.cancelledRuns ? ` (${r.cancelledRuns} cancelled)` : ''}`,
        ),
        cols.map((c) => costTitled(metricCell(r.cells[c.metric], c, r.label), c, r)),
        el(
          'td',
          { 'data-field': 'tokenSource', title: r.tokenizer ? `tokenizer: ${r.tokenizer}` : undefined },
          r.tokenSource,
        ),
        el(
          'td',
          {
            'data-field': 'speculation',
            'data-flagged': r.speculation ? String(r.speculation.flagged) : null,
            title: r.speculation?.verdict,
          },
          r.speculation?.text ?? '—',
        ),
        view.slo
          ? el(
              'td',
              { 'data-field': 'slo', class: 'num', 'data-met': r.slo?.met ?? null, 'data-total': r.slo?.total ?? null },
              r.slo?.text ?? '—',
            )
          : null,
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
            el(
              'th',
              { scope: 'row' },
              `${REGION_NAMES[a.region] ?? a.region} (runs of ${a.models} model${a.models === 1 ? '' : 's'})`,
            ),
            el('td', { 'data-field': 'region', class: `region region-${a.region}` }, a.region),
            el('td', {}),
            cols.map((c) => {
              const cell = (a.cells as Partial<Record<string, MetricCell>>)[c.metric];
              return cell ? metricCell(cell, c, `${a.region} median`) : el('td', { class: 'num empty' });
            }),
            el('td', {}),
            el('td', {}),
            view.slo ? el('td', {}) : null,
          ),
        ),
      )
    : null;
  const caption = view.demo
    ? el('caption', { class: 'demo-caption' }, 'Simulated — demo: not real model measurements')
    : el('caption', { class: 'visually-hidden' }, 'Benchmark results per model; medians over successful runs');
  return el('table', { id: 'results-table', class: `results${view.demo ? ' demo' : ''}` }, caption, head, body, foot);
}

/** One card per distinct error of a model, with how many runs hit it and one action. */
function errorCard(row: ModelRow, g: ModelRow['errorGroups'][number]): HTMLElement {
  const measured = row.okRuns + row.failedRuns;
  return el(
    'div',
    {
      class: 'run-error',
      'data-error-kind': g.kind ?? null,
      'data-count': g.count,
      role: 'group',
      'aria-label': `${row.label}: failed ${g.label}`,
    },
    el(
      'h4',
      {},
      `Failed: ${g.label} — ${g.count} of ${plural(measured, 'run')} (run ${g.runs.map((i) => i + 1).join(', ')})`,
    ),
    el('p', { dir: 'auto' }, g.message),
    g.kind === 'auth'
      ? el(
          'button',
          {
            type: 'button',
            class: 'set-api-key secondary',
            'data-model-id': row.id,
            'data-focus-key': `key:${row.id}:${g.runs[0]}`,
          },
          'Set API Key…',
        )
      : null,
  );
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
    run.notes.length
      ? el(
          'ul',
          { class: 'run-notes muted' },
          run.notes.map((n) => el('li', { dir: 'auto' }, n)),
        )
      : null,
    run.reasoningText
      ? el(
          'details',
          { class: 'reasoning', 'data-details-key': `reasoning:${key}` },
          el('summary', { 'data-focus-key': `rsum:${key}` }, `Reasoning (${run.reasoningText.length} characters)`),
          el('pre', { class: 'reasoning-text', dir: 'auto', tabindex: 0 }, run.reasoningText),
        )
      : null,
    run.answerText
      ? el(
          'pre',
          {
            class: 'answer-text',
            dir: 'auto',
            'data-run-index': run.index,
            tabindex: 0,
            'aria-label': `Answer of ${row.label}, run ${run.index + 1}`,
          },
          run.answerText,
        )
      : run.ok
        ? el('p', { class: 'muted' }, '(no answer text)')
        : null,
  );
}

function outputs(view: ResultsView, open: Set<string>): Child[] {
  return view.rows.map((r) => {
    const key = `model:${r.id}`;
    const d = el(
      'details',
      { class: 'model-output', 'data-model-id': r.id, 'data-details-key': key, open: open.has(key) },
      el(
        'summary',
        { 'data-focus-key': `sum:${r.id}` },
        el('span', { class: 'label', dir: 'auto' }, r.label),
        ` — ${r.okRuns} ok, ${r.failedRuns} failed${r.cancelledRuns ? `, ${r.cancelledRuns} cancelled` : ''}`,
        r.failedRuns
          ? el(
              'span',
              { class: 'badge failure' },
              `failed: ${[...new Set(r.errorGroups.map((g) => g.label))].join(', ')}`,
            )
          : null,
      ),
      r.errorGroups.map((g) => errorCard(r, g)),
      r.speculation
        ? el(
            'div',
            { class: 'speculation', 'data-model-id': r.id },
            el('p', {}, el('strong', {}, 'Speculative decoding (estimated): '), r.speculation.verdict),
            el(
              'details',
              { 'data-details-key': `assumptions:${r.id}` },
              el('summary', {}, 'Assumptions'),
              el(
                'ul',
                { class: 'muted' },
                r.speculation.assumptions.map((a) => el('li', {}, a)),
              ),
            ),
          )
        : null,
      // Failed runs are told by their error card; a failed run's own section only when it streamed something first.
      r.runs.filter((run) => run.ok || run.answerText || run.reasoningText).map((run) => runSection(r, run)),
      r.okRuns + r.failedRuns === 0
        ? el(
            'p',
            { class: 'muted' },
            view.running
              ? 'No runs finished yet.'
              : view.cancelled
                ? 'Cancelled before any run of this model finished.'
                : 'No runs.',
          )
        : null,
    );
    for (const inner of Array.from(d.querySelectorAll('details[data-details-key]')))
      if (open.has(inner.getAttribute('data-details-key')!)) inner.setAttribute('open', '');
    return d;
  });
}

/** Builds the static page skeleton once and returns a renderer for views. */
export function createResultsApp(
  root: HTMLElement,
  post: (m: ResultsFromWebview) => void,
  chartsFactory?: ChartsFactory,
  ttftChartsFactory?: TtftChartsFactory,
): ResultsApp {
  const ttft = createTtftSection(ttftChartsFactory);
  const status = el('div', { id: 'results-status', role: 'status', 'aria-live': 'polite' });
  const progress = el('progress', { id: 'results-progress', max: 1, value: 0 });
  const cancel = el('button', { id: 'cancel-benchmark', type: 'button', class: 'secondary' }, 'Cancel');
  const exportButtons = (['json', 'csv', 'markdown'] as const).map((format) =>
    el(
      'button',
      { id: `export-${format}`, type: 'button', 'data-format': format },
      `Export ${format === 'markdown' ? 'Markdown' : format.toUpperCase()}`,
    ),
  );
  const promptLine = el('p', { id: 'results-prompt', dir: 'auto' });
  const meta = el('p', { id: 'results-meta', class: 'muted' });
  const compareWith = el(
    'button',
    {
      id: 'compare-with',
      type: 'button',
      class: 'secondary',
      title:
        'Compare these results with a saved or exported run (JSON): deltas per model, both distributions in the charts',
    },
    'Compare with…',
  );
  const compareBox = el('div', { id: 'compare-container' });
  const demoBanner = el(
    'p',
    { id: 'demo-banner', class: 'demo-banner', role: 'note', hidden: true },
    'Simulated — demo. These numbers come from Tokenscope\u2019s built-in local test server on a fixed schedule, not from a real model, and are never saved to the history.',
  );
  const exportReason = el('span', { id: 'export-reason', class: 'muted' });
  const empty = el(
    'section',
    { id: 'results-empty', 'aria-labelledby': 'results-empty-title' },
    el('h2', { id: 'results-empty-title' }, 'No results yet'),
    el(
      'p',
      {},
      'Benchmark a prompt: select text in an editor (or open a Markdown prompt) and run it, or start with one of these:',
    ),
    el(
      'ul',
      { class: 'first-steps' },
      el(
        'li',
        {},
        el('button', { id: 'results-demo', type: 'button' }, 'Try the demo'),
        ' — a labelled, simulated run against the built-in local test server; no key, nothing saved.',
      ),
      el(
        'li',
        {},
        el('button', { id: 'results-local', type: 'button', class: 'secondary' }, 'Find local servers'),
        ' — Ollama, llama.cpp, vLLM or LM Studio on this machine.',
      ),
      el(
        'li',
        {},
        el('button', { id: 'results-set-key', type: 'button', class: 'secondary' }, 'Set an API key'),
        ' — one OpenRouter key reaches most Chinese and US models.',
      ),
      el(
        'li',
        {},
        el('button', { id: 'results-run-benchmark', type: 'button', class: 'secondary' }, 'Benchmark the selection'),
        ' — pick models and run.',
      ),
    ),
  );
  const tableBox = el('div', {
    id: 'results-table-container',
    class: 'table-scroll',
    tabindex: 0,
    role: 'region',
    'aria-label': 'Results table, scrolls sideways; the model column stays in view',
  });
  const aggregateNote = el(
    'p',
    { class: 'muted legend' },
    '★ marks the best value of a column. Hover a number for its spread (min–max, MAD).',
  );
  const tpsBasis = el(
    'select',
    { id: 'tps-basis', 'aria-label': 'Tokens counted with' },
    el('option', { value: 'own' }, "model's own tokens"),
    el('option', { value: 'o200k' }, 'o200k (normalised)'),
  );
  const canvas = (id: string, label: string) => el('canvas', { id, role: 'img', 'aria-label': label });
  const tpsCanvas = canvas('chart-tps', 'Decode tokens per second per model: median bars with min–max whiskers');
  const ttftCanvas = canvas('chart-ttft', 'Time to first token per model: median bars with min–max whiskers');
  const timelineCanvas = canvas('chart-timeline', 'Cumulative tokens received over time, one line per model');
  const scaleToggle = el(
    'label',
    { id: 'tps-scale-label', class: 'scale-toggle', hidden: true },
    el('input', { id: 'tps-log', type: 'checkbox', checked: true }),
    ' log scale',
  );
  const chartsEmpty = el('p', { id: 'charts-empty', class: 'muted', hidden: true }, 'No finished run to chart yet.');
  const chartGrid = el(
    'div',
    { class: 'chart-grid' },
    el(
      'figure',
      { class: 'chart' },
      el(
        'figcaption',
        {},
        el('span', { class: 'demo-tag' }),
        'Decode speed (tok/s), median and min–max, counted in ',
        tpsBasis,
        ' ',
        scaleToggle,
      ),
      el('div', { class: 'chart-box' }, tpsCanvas),
    ),
    el(
      'figure',
      { class: 'chart' },
      el('figcaption', {}, el('span', { class: 'demo-tag' }), 'Time to first token (ms), median and min–max'),
      el('div', { class: 'chart-box' }, ttftCanvas),
    ),
    el(
      'figure',
      { class: 'chart wide' },
      el(
        'figcaption',
        {},
        el('span', { class: 'demo-tag' }),
        'Token arrival: cumulative tokens over time (the run with the median decode speed)',
      ),
      el('div', { class: 'chart-box' }, timelineCanvas),
    ),
  );
  const charts = el(
    'section',
    { id: 'charts', 'aria-labelledby': 'charts-title' },
    el('h2', { id: 'charts-title' }, 'Charts'),
    chartsEmpty,
    chartGrid,
    el(
      'p',
      { class: 'muted legend', id: 'region-legend' },
      'Bars are coloured by region: ',
      el('span', { class: 'swatch region-CN' }, 'CN'),
      ' ',
      el('span', { class: 'swatch region-US' }, 'US'),
      ' ',
      el('span', { class: 'swatch region-local' }, 'local'),
    ),
  );
  const warnings = el('ul', { id: 'warnings' });
  const warningsSection = el(
    'section',
    { id: 'warnings-section', 'aria-labelledby': 'warnings-title' },
    el('h2', { id: 'warnings-title' }, 'Warnings'),
    warnings,
  );
  const outputsBox = el('div', { id: 'outputs-list' });
  const outputsSection = el(
    'section',
    { id: 'outputs', 'aria-labelledby': 'outputs-title' },
    el('h2', { id: 'outputs-title' }, 'Outputs and errors'),
    el('p', { class: 'muted' }, 'Model output is shown as plain text.'),
    outputsBox,
  );
  const notes = el('ul', { id: 'notes', class: 'muted' });
  const hostGroupsBox = el('div', { class: 'table-scroll' });
  const hostGroupsSection = el(
    'section',
    { id: 'host-groups', 'aria-labelledby': 'host-groups-title' },
    el('h2', { id: 'host-groups-title' }, 'Same model, different hosts'),
    el(
      'p',
      { class: 'muted' },
      'Entries that serve one underlying model (from its maker, OpenRouter or another host), fastest first.',
    ),
    hostGroupsBox,
  );
  const content = el(
    'div',
    { id: 'results-content' },
    el(
      'section',
      { 'aria-labelledby': 'table-title' },
      el('h2', { id: 'table-title' }, 'Per model'),
      tableBox,
      aggregateNote,
    ),
    compareBox,
    hostGroupsSection,
    charts,
    ttft.element,
    warningsSection,
    outputsSection,
    notes,
  );
  append(
    root,
    el(
      'header',
      { id: 'results-header' },
      el('h1', {}, 'Tokenscope results'),
      demoBanner,
      promptLine,
      meta,
      el('div', { class: 'status-line' }, status, progress),
      el(
        'div',
        { class: 'toolbar', role: 'group', 'aria-label': 'Actions' },
        exportButtons,
        el(
          'button',
          {
            id: 'show-comparison',
            type: 'button',
            class: 'secondary',
            title: 'Every saved run, ranked by model and region, week by week',
          },
          'History and leaderboard',
        ),
        compareWith,
        cancel,
        exportReason,
      ),
    ),
    empty,
    content,
  );

  let chartsHandle: ChartsHandle | undefined;
  const ensureCharts = () => {
    if (!chartsHandle && chartsFactory) {
      try {
        chartsHandle = chartsFactory({
          tps: tpsCanvas,
          ttft: ttftCanvas,
          timeline: timelineCanvas,
          tpsBasis,
          tpsLog: scaleToggle,
        });
      } catch (e) {
        charts.append(el('p', { class: 'error' }, `Charts unavailable: ${(e as Error).message}`));
        post({ type: 'renderError', view: 'results', message: `charts: ${(e as Error).message}` });
      }
    }
    return chartsHandle;
  };

  root.addEventListener('click', (e) => {
    const target = (e.target as Element | null)?.closest('button');
    if (!target) return;
    if (target.id === 'cancel-benchmark') post({ type: 'cancel' });
    else if (target.id === 'results-run-benchmark') post({ type: 'runBenchmark' });
    else if (target.id === 'results-demo') post({ type: 'startDemo' });
    else if (target.id === 'results-local') post({ type: 'findLocalServers' });
    else if (target.id === 'results-set-key') post({ type: 'setApiKey' });
    else if (target.id === 'show-comparison') post({ type: 'showComparison' });
    else if (target.id === 'compare-with') post({ type: 'compareWith' });
    else if (target.id === 'clear-compare') post({ type: 'clearCompare' });
    else if (target.dataset.format)
      post({ type: 'export', format: target.dataset.format as 'json' | 'csv' | 'markdown' });
    else if (target.classList.contains('set-api-key') && target.dataset.modelId)
      post({ type: 'setApiKey', modelId: target.dataset.modelId });
    // The key box takes the focus; when the panel gets it back (Escape, or after the key), it returns to the button
    // that opened it rather than to the top of the page.
    if (target.dataset.focusKey || target.id)
      returnFocusTo = target.dataset.focusKey
        ? `[data-focus-key="${cssEscape(target.dataset.focusKey)}"]`
        : `#${target.id}`;
  });
  let returnFocusTo: string | null = null;
  root.ownerDocument.defaultView?.addEventListener('focus', () => {
    const again = returnFocusTo ? root.querySelector<HTMLElement>(returnFocusTo) : null;
    returnFocusTo = null;
    again?.focus();
  });

  return {
    render(view) {
      const hasView = view !== null;
      empty.hidden = hasView;
      content.hidden = !hasView;
      const blocked = exportBlocked(view);
      for (const b of exportButtons) {
        b.disabled = blocked !== null;
        b.title = blocked ?? `Export what this panel shows (${view?.progress.done ?? 0} finished run(s))`;
      }
      exportReason.textContent = blocked && hasView ? blocked : '';
      compareWith.disabled = !hasView || view.running;
      cancel.hidden = !hasView || !view.running;
      if (!view) {
        // The empty section says it; the status line stays empty rather than repeating it.
        status.textContent = '';
        status.setAttribute('data-running', 'false');
        progress.hidden = true;
        promptLine.textContent = '';
        meta.textContent = '';
        demoBanner.hidden = true;
        return;
      }
      demoBanner.hidden = !view.demo;
      root.classList.toggle('demo', view.demo);
      for (const tag of Array.from(charts.querySelectorAll('.demo-tag')))
        tag.textContent = view.demo ? 'Simulated — demo: ' : '';
      status.textContent = statusText(view);
      status.setAttribute('data-running', view.running ? 'true' : 'false');
      progress.hidden = !view.running;
      progress.max = Math.max(1, view.progress.total);
      progress.value = Math.min(view.progress.done, progress.max);
      promptLine.textContent = promptText(view);
      meta.textContent = `Started ${new Date(view.startedAt).toLocaleString()} · ${view.settings.runs} run(s)${view.settings.warmup ? ` + ${view.settings.warmup} warm-up` : ''}, concurrency ${view.settings.concurrency}, max ${view.settings.maxTokens} tokens${view.cacheMode ? ` · cache ${view.cacheMode}` : ''}${view.location ? ` · from ${view.location}` : ''}`;
      replaceChildren(tableBox, table(view));
      hostGroupsSection.hidden = view.hostGroups.length === 0;
      replaceChildren(hostGroupsBox, hostGroupTables(view));

      const open = new Set(
        Array.from(outputsBox.querySelectorAll('details[open][data-details-key]')).map((d) =>
          d.getAttribute('data-details-key')!,
        ),
      );
      replaceChildren(outputsBox, outputs(view, open));

      const allWarnings = [...new Set(view.rows.flatMap((r) => r.warnings))];
      warningsSection.hidden = allWarnings.length === 0;
      replaceChildren(
        warnings,
        allWarnings.map((w) => el('li', { dir: 'auto' }, w)),
      );
      replaceChildren(
        notes,
        view.notes.map((n) => el('li', {}, n)),
      );
      const anyData = view.rows.some((r) => r.okRuns > 0);
      chartsEmpty.hidden = anyData;
      chartsEmpty.textContent = view.running
        ? 'The charts fill in as runs finish.'
        : view.cancelled
          ? 'No run finished before the benchmark was cancelled, so there is nothing to chart.'
          : 'No successful run to chart.';
      chartGrid.hidden = !anyData;
      if (anyData) ensureCharts()?.update(view);
      ttft.render(view);
    },
    renderCompare(view) {
      replaceChildren(compareBox, view ? compareSection(view) : null);
      ensureCharts()?.compare?.(view);
    },
  };
}
