/**
 * The sidebar's trend chart: weekly medians per region (Chart.js line chart, region colours as in the
 * results panel). Separate from the leaderboard renderer so that tests can render without a canvas.
 */
import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { WeeklyTrendView } from '../../../src/shared/protocol/sidebar';
import { currentTheme, onThemeChange, themeChart } from './theme';

Chart.register(CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

export interface TrendChart {
  update(view: WeeklyTrendView): void;
}

export function createTrendChart(canvas: HTMLCanvasElement): TrendChart {
  let p = currentTheme();
  let last: WeeklyTrendView | undefined;
  // Registered before the chart's own theme listener (themeChart below), which then redraws with these datasets.
  onThemeChange((t) => {
    p = t;
    if (last) fill(last);
  });
  const chart = themeChart(
    'weekly-trend',
    new Chart<'line', (number | null)[], string>(canvas, {
      type: 'line',
      data: { labels: [], datasets: [] },
      // The caption says which median the y axis is.
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        spanGaps: false,
        scales: { x: {}, y: { beginAtZero: true, title: { display: true, text: 'tok/s' } } },
      },
    }),
  );
  const fill = (view: WeeklyTrendView) => {
    chart.data.labels = view.weeks;
    chart.data.datasets = view.series.map((s) => ({
      label: s.region,
      data: s.values,
      borderColor: p.region[s.region] ?? p.fg,
      backgroundColor: p.region[s.region] ?? p.fg,
      borderWidth: 2,
      pointRadius: 3,
    }));
  };
  return {
    update(view) {
      last = view;
      fill(view);
      chart.update();
    },
  };
}
