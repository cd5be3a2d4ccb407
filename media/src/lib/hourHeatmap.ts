/**
 * The sidebar's model × UTC-hour heatmap of median TTFT, as a plain table (readable by screen readers, no canvas):
 * each cell shows its value and a shade class heat-0 (fastest) … heat-4 (slowest) on a scale across the table.
 *
 * Stable hooks: #hour-heatmap tr[data-model-id] td[data-hour] (data-value = median TTFT ms, data-runs).
 */
import type { LeaderboardView } from '../../../src/shared/protocol/sidebar';
import { el } from './dom';

type Heatmap = NonNullable<LeaderboardView['byHour']>;

/** Shade 0–4 of a value on the table's own min–max scale. */
export function heatLevel(v: number, min: number, max: number): number {
  if (max <= min) return 0;
  return Math.min(4, Math.floor(((v - min) / (max - min)) * 5));
}

export function hourHeatmapTable(h: Heatmap): HTMLTableElement {
  const hh = (hour: number) => String(hour).padStart(2, '0');
  return el(
    'table',
    { id: 'hour-heatmap', class: 'leaderboard heatmap' },
    el('caption', {}, 'Median TTFT (ms) by UTC hour'),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col' }, 'Model'),
        h.hours.map((hour) =>
          el('th', { scope: 'col', class: 'num', title: `${hh(hour)}:00–${hh(hour)}:59 UTC` }, hh(hour)),
        ),
      ),
    ),
    el(
      'tbody',
      {},
      h.models.map((m) =>
        el(
          'tr',
          { 'data-model-id': m.key },
          el('th', { scope: 'row', dir: 'auto' }, m.label ?? m.key),
          h.hours.map((hour, i) => {
            const v = m.ttftMs[i];
            return v === null
              ? el('td', { class: 'num empty', 'data-hour': hour, 'data-runs': m.runs[i] }, '—')
              : el(
                  'td',
                  {
                    class: `num heat-${heatLevel(v, h.minMs, h.maxMs)}`,
                    'data-hour': hour,
                    'data-value': String(v),
                    'data-runs': m.runs[i],
                    title: `${m.runs[i]} run(s) at ${hh(hour)}:00 UTC`,
                  },
                  v.toFixed(0),
                );
          }),
        ),
      ),
    ),
  );
}
