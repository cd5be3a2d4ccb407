/**
 * The sidebar's trend chart: weekly medians per region (Chart.js line chart, region colours as in the
 * results panel). Separate from the leaderboard renderer so that tests can render without a canvas.
 */
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { WeeklyTrendView } from '../../../src/shared/webviewProtocol';
import { palette } from './charts';

Chart.register(CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

export interface TrendChart {
  update(view: WeeklyTrendView): void;
}

export function createTrendChart(canvas: HTMLCanvasElement): TrendChart {
  const chart = new Chart<'line', (number | null)[], string>(canvas, {
    type: 'line',
    data: { labels: [], datasets: [] },
    options: { responsive: true, maintainAspectRatio: false, animation: false, spanGaps: false, scales: { y: { beginAtZero: true } } },
  });
  let last: WeeklyTrendView | undefined;
  const handle: TrendChart = {
    update(view) {
      last = view;
      const p = palette();
      chart.data.labels = view.weeks;
      chart.data.datasets = view.series.map((s) => ({
        label: s.region,
        data: s.values,
        borderColor: p.region[s.region] ?? p.fg,
        backgroundColor: p.region[s.region] ?? p.fg,
        borderWidth: 2,
        pointRadius: 3,
      }));
      const o = chart.options;
      o.plugins = { legend: { labels: { color: p.fg } } };
      o.scales = {
        x: { ticks: { color: p.fg }, grid: { color: p.grid } },
        y: { beginAtZero: true, ticks: { color: p.fg }, grid: { color: p.grid }, title: { display: true, text: 'tok/s', color: p.fg } }, // the caption says which median
      };
      chart.update();
    },
  };
  // Colours follow the theme: VS Code swaps the body's vscode-light / vscode-dark class when it changes.
  new MutationObserver(() => last && handle.update(last)).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return handle;
}
