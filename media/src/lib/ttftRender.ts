/**
 * The results panel's "Where TTFT goes" section: cold vs warm prompt cache per model, the stacked TTFT bar
 * (network, waiting for the first byte, first byte to first token) and TTFT against prompt length. Text only,
 * through el(); the two charts are injected so this runs in a test DOM.
 *
 * Stable hooks: #ttft-section (hidden when the report has none of this), #cache-table tr[data-model-id] with
 * td[data-field=cold|warm|saving|cost|hits] (data-value = raw number) and .cache-never-hit, #phase-table
 * tr[data-model-id] td[data-segment=network|server|stream|processing], #prefill-fits li[data-model-id],
 * canvases #chart-ttft-phases and #chart-ttft-input.
 */
import type { ResultsView } from '../../../src/shared/protocol/results';
import { el, replaceChildren } from './dom';

export interface TtftChartsHandle {
  update(view: ResultsView): void;
}
export type TtftChartsFactory = (canvases: { phases: HTMLCanvasElement; input: HTMLCanvasElement }) => TtftChartsHandle;

type Row = ResultsView['rows'][number];
const num = (v: number | null | undefined) => (v === null || v === undefined ? null : String(v));

function cacheTable(rows: Row[]): HTMLTableElement {
  const head = ['Model', 'TTFT cold', 'TTFT warm', 'Saving', 'Input cost saving / run', 'Warm hits'];
  return el(
    'table',
    { id: 'cache-table', class: 'results' },
    el(
      'caption',
      {},
      'Prompt cache: median TTFT of cold runs (unique prompts) and warm runs (the same prompt after a priming request)',
    ),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        head.map((h, i) => el('th', { scope: 'col', class: i ? 'num' : null }, h)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((r) => {
        const c = r.cache!;
        return el(
          'tr',
          { 'data-model-id': r.id, 'data-never-hit': c.neverHit ? 'true' : null },
          el('th', { scope: 'row', dir: 'auto' }, r.label),
          el('td', { class: 'num', 'data-field': 'cold', 'data-value': num(c.coldTtftMs) }, c.text.cold),
          el('td', { class: 'num', 'data-field': 'warm', 'data-value': num(c.warmTtftMs) }, c.text.warm),
          el('td', { class: 'num', 'data-field': 'saving', 'data-value': num(c.savingMs) }, c.text.saving),
          el(
            'td',
            {
              class: 'num',
              'data-field': 'cost',
              'data-value': num(c.inputCostSavingUsd),
              title: 'Cached input tokens at the list price minus the cached price',
            },
            c.text.cost,
          ),
          el(
            'td',
            { class: 'num', 'data-field': 'hits', 'data-value': String(c.warmHits), title: c.note },
            `${c.warmHits}/${c.warmRuns}`,
            c.neverHit ? el('span', { class: 'cache-never-hit badge', title: c.note }, ' cache never hit') : null,
          ),
        );
      }),
    ),
  );
}

function phaseTable(rows: Row[]): HTMLTableElement {
  const f = (v: number | null) => (v === null ? '—' : v.toFixed(0));
  return el(
    'table',
    { id: 'phase-table', class: 'results' },
    el('caption', { class: 'visually-hidden' }, 'Median TTFT split per model, ms'),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        [
          'Model',
          'Network (DNS, connect, TLS, send)',
          'Waiting for first byte',
          'First byte → first token',
          'Provider processing (server-reported)',
          'Fresh / reused connections',
        ].map((h, i) => el('th', { scope: 'col', class: i ? 'num' : null }, h)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((r) => {
        const p = r.phaseBar!;
        return el(
          'tr',
          { 'data-model-id': r.id },
          el('th', { scope: 'row', dir: 'auto' }, r.label),
          el('td', { class: 'num', 'data-segment': 'network', 'data-value': String(p.networkMs) }, f(p.networkMs)),
          el('td', { class: 'num', 'data-segment': 'server', 'data-value': String(p.serverMs) }, f(p.serverMs)),
          el('td', { class: 'num', 'data-segment': 'stream', 'data-value': String(p.streamMs) }, f(p.streamMs)),
          el(
            'td',
            { class: 'num', 'data-segment': 'processing', 'data-value': num(p.processingMs) },
            f(p.processingMs),
          ),
          el('td', { class: 'num' }, `${p.freshConnections} / ${p.reusedConnections}`),
        );
      }),
    ),
  );
}

export interface TtftSection {
  element: HTMLElement;
  render(view: ResultsView): void;
}

export function createTtftSection(factory?: TtftChartsFactory): TtftSection {
  const canvas = (id: string, label: string) => el('canvas', { id, role: 'img', 'aria-label': label });
  const phasesCanvas = canvas(
    'chart-ttft-phases',
    'TTFT per model as a stacked bar: network, waiting for the first byte, first byte to first token',
  );
  const inputCanvas = canvas('chart-ttft-input', 'TTFT against input tokens per model, logarithmic input axis');
  const cacheBox = el('div', { class: 'table-scroll' });
  const cacheNotes = el('ul', { id: 'cache-notes', class: 'muted' });
  const phaseBox = el('div', { class: 'table-scroll' });
  const phasesFigure = el(
    'figure',
    { class: 'chart wide' },
    el('figcaption', {}, 'Where TTFT goes (median ms): network, waiting for the first byte, first byte to first token'),
    el('div', { class: 'chart-box' }, phasesCanvas),
    phaseBox,
  );
  const fits = el('ul', { id: 'prefill-fits' });
  const inputFigure = el(
    'figure',
    { class: 'chart wide' },
    el('figcaption', {}, 'TTFT (median ms) against input tokens reported by the provider, cold prompts; log scale'),
    el('div', { class: 'chart-box' }, inputCanvas),
    fits,
  );
  const cacheBlock = el('div', { id: 'cache-block' }, cacheBox, cacheNotes);
  const element = el(
    'section',
    { id: 'ttft-section', 'aria-labelledby': 'ttft-title', hidden: true },
    el('h2', { id: 'ttft-title' }, 'Where TTFT goes'),
    cacheBlock,
    phasesFigure,
    inputFigure,
  );
  let charts: TtftChartsHandle | undefined;

  return {
    element,
    render(view) {
      const cached = view.rows.filter((r) => r.cache);
      const phased = view.rows.filter((r) => r.phaseBar);
      const swept = view.rows.filter((r) => r.sweep);
      element.hidden = !cached.length && !phased.length && !swept.length;
      cacheBlock.hidden = !cached.length;
      replaceChildren(cacheBox, cached.length ? cacheTable(cached) : null);
      replaceChildren(
        cacheNotes,
        cached.map((r) => el('li', { dir: 'auto', 'data-model-id': r.id }, r.cache!.note)),
      );
      phasesFigure.hidden = !phased.length;
      replaceChildren(phaseBox, phased.length ? phaseTable(phased) : null);
      inputFigure.hidden = !swept.length;
      replaceChildren(
        fits,
        swept.map((r) =>
          el(
            'li',
            { 'data-model-id': r.id },
            el('span', { dir: 'auto' }, r.label),
            `: ${r.sweep!.prefill?.text ?? 'too few sizes to fit a prefill rate'}`,
          ),
        ),
      );
      if (element.hidden) return;
      try {
        charts ??= factory?.({ phases: phasesCanvas, input: inputCanvas });
        charts?.update(view);
      } catch (e) {
        element.append(el('p', { class: 'error' }, `Charts unavailable: ${(e as Error).message}`));
      }
    },
  };
}
