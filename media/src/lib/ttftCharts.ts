/** Chart.js drawings of "where TTFT goes": a stacked TTFT bar per model and TTFT against input tokens (log x). */
import { Chart } from './chartjs';
import type { ResultsView } from '../../../src/shared/protocol/results';
import { regionLineStyler } from './regionLines';
import { currentTheme, onThemeChange, themeChart } from './theme';
import type { TtftChartsFactory } from './ttftRender';

export const createTtftCharts: TtftChartsFactory = ({ phases, input }) => {
  const base = { responsive: true, maintainAspectRatio: false, animation: false as const };
  const title = (text: string) => ({ display: !!text, text });
  let p = currentTheme();
  let last: ResultsView | undefined;
  // Registered before the charts' own theme listeners (themeChart below), which then redraw with these datasets.
  onThemeChange((t) => {
    p = t;
    if (last) fill(last);
  });
  const bar = themeChart(
    'ttft-phases',
    new Chart<'bar', number[], string>(phases, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: {
        ...base,
        indexAxis: 'y',
        scales: {
          x: { title: title('ms from request start'), stacked: true, beginAtZero: true },
          y: { stacked: true },
        },
      },
    }),
  );
  const line = themeChart(
    'ttft-by-input',
    new Chart<'line', { x: number; y: number | null }[], string>(input, {
      type: 'line',
      data: { datasets: [] },
      options: {
        ...base,
        parsing: false,
        scales: {
          x: { type: 'logarithmic', title: title('input tokens (log scale)') },
          y: { title: title('TTFT ms'), beginAtZero: true },
        },
      },
    }),
  );

  const fill = (view: ResultsView) => {
    const phased = view.rows.filter((r) => r.phaseBar);
    bar.data.labels = phased.map((r) => r.label);
    // Segment colours from the theme's chart palette, so the three parts read apart in any theme.
    const segments = [
      { key: 'networkMs', label: 'network (DNS, connect, TLS, send)', color: p.series.blue },
      { key: 'serverMs', label: 'waiting for first byte', color: p.series.red },
      { key: 'streamMs', label: 'first byte → first token', color: p.series.green },
    ] as const;
    bar.data.datasets = segments.map((s) => ({
      label: s.label,
      data: phased.map((r) => r.phaseBar![s.key]),
      backgroundColor: s.color,
      stack: 'ttft',
    }));

    const lineStyle = regionLineStyler(p);
    line.data.datasets = view.rows
      .filter((r) => r.sweep)
      .map((r) => ({
        label: r.label,
        data: r.sweep!.points.map((pt) => ({ x: pt.inputTokens, y: pt.ttftMs })),
        ...lineStyle(r.region),
        pointRadius: 3,
      }));
  };
  return {
    update(view: ResultsView) {
      last = view;
      fill(view);
      bar.update();
      line.update();
    },
  };
};
