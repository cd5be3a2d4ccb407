/**
 * The results panel's comparison section ("Compare with…"): per model the medians of the picked run (A) and the
 * shown run (B) with B's change, from a validated CompareView. Text only, through the DOM builder.
 *
 * Hooks: #compare[data-a][data-b], #compare-table tr[data-model-id] td[data-metric][data-better], #clear-compare
 */
import type { CompareView } from '../../../src/shared/protocol/results';
import { el } from './dom';

export function compareSection(view: CompareView): HTMLElement {
  const head = el(
    'tr',
    {},
    el('th', { scope: 'col' }, 'Model'),
    view.columns.map((c) =>
      el(
        'th',
        { scope: 'col', class: 'num', 'data-metric': c.metric },
        `${c.label}${c.unit === 'USD' ? '' : ` (${c.unit})`}: A → B`,
      ),
    ),
  );
  const rows = view.rows.map((r) =>
    el(
      'tr',
      { 'data-model-id': r.id, 'data-region': r.region },
      el(
        'th',
        { scope: 'row', class: 'model' },
        el('span', { class: 'label', dir: 'auto' }, r.label),
        !r.inA
          ? el('span', { class: 'badge' }, 'only in B')
          : !r.inB
            ? el('span', { class: 'badge' }, 'only in A')
            : null,
      ),
      view.columns.map((c) => {
        const cell = r.cells[c.metric];
        const verdict = cell.better === 'b' ? 'better' : cell.better === 'a' ? 'worse' : null;
        return el(
          'td',
          { class: `num${verdict ? ` ${verdict}` : ''}`, 'data-metric': c.metric, 'data-better': cell.better },
          `${cell.a} → ${cell.b} `,
          el('span', { class: 'delta' }, `(${cell.delta})`),
          verdict ? el('span', { class: 'visually-hidden' }, ` ${verdict}`) : null,
        );
      }),
    ),
  );
  return el(
    'section',
    { id: 'compare', 'aria-labelledby': 'compare-title', 'data-a': view.a.name, 'data-b': view.b.name },
    el('h2', { id: 'compare-title' }, 'Comparison'),
    el(
      'p',
      { class: 'muted' },
      'A: ',
      el('span', { dir: 'auto' }, view.a.name),
      ` (${new Date(view.a.startedAt).toLocaleString()}) · B: `,
      el('span', { dir: 'auto' }, view.b.name),
      ` (${new Date(view.b.startedAt).toLocaleString()}). Medians over successful runs; the change is B relative to A. The charts show both runs' values as points.`,
    ),
    el(
      'div',
      { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Comparison table' },
      el('table', { id: 'compare-table', class: 'results' }, el('thead', {}, head), el('tbody', {}, rows)),
    ),
    view.notes.length
      ? el(
          'ul',
          { class: 'muted' },
          view.notes.map((n) => el('li', { dir: 'auto' }, n)),
        )
      : null,
    el('button', { id: 'clear-compare', type: 'button', class: 'secondary' }, 'Close comparison'),
  );
}
