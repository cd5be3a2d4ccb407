/**
 * The results panel's charts, drawn with Chart.js (tree-shaken: only the controllers used are registered).
 * Colours come from VS Code's theme (./theme) and follow it when it changes. Chart.js sets canvas sizes
 * through the CSSOM (element.style), which the strict style-src CSP allows; it injects no <style> elements.
 */
import type { ChartDataset } from 'chart.js';
import { Chart } from './chartjs';
import type { CompareView, ResultsView } from '../../../src/shared/protocol/results';
import type { ChartsFactory, ChartsHandle } from './resultsRender';
import { regionLineStyler } from './regionLines';
import { currentTheme, onThemeChange, themeChart, type ChartTheme } from './theme';

type Bar = ChartDataset<'bar', (number | [number, number] | null)[]>;

function spreadBars(
  view: ResultsView,
  metric: 'decodeTps' | 'normalizedTps' | 'ttftMs',
  p: ChartTheme,
  unit: string,
): Bar[] {
  const rows = view.rows;
  const colors = rows.map((r) => p.region[r.region] ?? p.fg);
  return [
    {
      label: `median ${unit}`,
      data: rows.map((r) => r.cells[metric].value),
      backgroundColor: colors.map((c) => withAlpha(c, 0.55)),
      borderColor: colors,
      borderWidth: 1,
      grouped: false,
      order: 2,
    },
    {
      label: 'min–max',
      data: rows.map((r) => {
        const s = r.cells[metric].spread;
        return s ? ([s.min, s.max] as [number, number]) : null;
      }),
      backgroundColor: p.fg,
      borderColor: p.fg,
      borderWidth: 0,
      maxBarThickness: 4,
      grouped: false,
      order: 1,
    },
  ];
}

/**
 * Another run's values over the bars as points: A (the run compared with) hollow, B (the run shown) filled,
 * one point per successful run, placed on the model's category. Models missing from the shown run are left out.
 */
function comparePoints(view: ResultsView, compare: CompareView, metric: 'ttftMs' | 'decodeTps', p: ChartTheme): Bar[] {
  const side = (which: 'a' | 'b') => {
    const data = view.rows.flatMap((r) =>
      (compare.rows.find((c) => c.id === r.id)?.values[metric][which] ?? []).map((y) => ({ x: r.label, y })),
    );
    return {
      type: 'line',
      label: `${which.toUpperCase()}: ${which === 'a' ? compare.a.name : compare.b.name} (each run)`,
      data,
      showLine: false,
      pointRadius: 3,
      pointStyle: which === 'a' ? 'rectRot' : 'circle',
      borderColor: p.fg,
      backgroundColor: which === 'a' ? 'transparent' : p.fg,
      order: 0,
    } as unknown as Bar;
  };
  return [side('a'), side('b')];
}

function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) return color;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Axes without colours: themeChart() gives ticks, titles and grid the theme's. */
function axes(xTitle: string | undefined, yTitle: string, linearX = false) {
  return {
    x: {
      type: linearX ? ('linear' as const) : ('category' as const),
      title: { display: !!xTitle, text: xTitle ?? '' },
    },
    y: { beginAtZero: true, title: { display: true, text: yTitle } },
  };
}

/** Largest ÷ smallest positive value; 1 with fewer than two. */
export function valueSpan(values: readonly (number | null)[]): number {
  const xs = values.filter((v): v is number => v !== null && v > 0);
  return xs.length < 2 ? 1 : Math.max(...xs) / Math.min(...xs);
}

/** Above this span a linear axis hides the small bars (40 tok/s next to 1,000), so a log axis is offered and on. */
export const LOG_SPAN = 10;

/** The log axis floor: the power of ten below the smallest value, so the smallest bar still has a visible height. */
export function logFloor(values: readonly (number | null)[]): number | undefined {
  const xs = values.filter((v): v is number => v !== null && v > 0);
  if (!xs.length) return undefined;
  const low = Math.min(...xs) * 0.999;
  return 10 ** Math.floor(Math.log10(low));
}

/** Switches a bar chart's value axis between linear and logarithmic. */
function setScale(
  chart: Chart<'bar', (number | [number, number] | null)[], string>,
  log: boolean,
  title: string,
  values: readonly (number | null)[],
): void {
  const y = chart.options.scales!.y as Record<string, unknown>;
  y.type = log ? 'logarithmic' : 'linear';
  y.beginAtZero = !log;
  y.min = log ? logFloor(values) : undefined;
  (y.title as { text: string }).text = log ? `${title} (log scale)` : title;
}

export const createCharts: ChartsFactory = ({ tps, ttft, timeline, tpsBasis, tpsLog }) => {
  const logBox = tpsLog.querySelector('input') as HTMLInputElement;
  let p = currentTheme();
  let last: ResultsView | undefined;
  let compare: CompareView | null = null;
  // Registered before the charts' own theme listeners (themeChart below), which then redraw with these datasets.
  onThemeChange((t) => {
    p = t;
    if (last) fill(last);
  });
  const reduceMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  const base = {
    responsive: true,
    maintainAspectRatio: false,
    animation: reduceMotion ? (false as const) : { duration: 200 },
  };

  const tpsChart = themeChart(
    'decode-speed',
    new Chart<'bar', (number | [number, number] | null)[], string>(tps, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: { ...base, scales: axes(undefined, 'tok/s') },
    }),
  );
  const ttftChart = themeChart(
    'ttft',
    new Chart<'bar', (number | [number, number] | null)[], string>(ttft, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: { ...base, scales: axes(undefined, 'ms') },
    }),
  );
  const timelineChart = themeChart(
    'token-arrival',
    new Chart<'line', { x: number; y: number }[], string>(timeline, {
      type: 'line',
      data: { datasets: [] },
      options: { ...base, parsing: false, scales: axes('ms from request start', 'tokens received', true) },
    }),
  );

  /** Datasets and scales for a view, in the current theme's colours (no redraw). */
  const fill = (view: ResultsView) => {
    const labels = view.rows.map((r) => r.label);
    const metric = tpsBasis.value === 'o200k' ? 'normalizedTps' : 'decodeTps';
    tpsChart.data.labels = labels;
    tpsChart.data.datasets = spreadBars(
      view,
      metric,
      p,
      metric === 'normalizedTps' ? 'tok/s (o200k)' : 'tok/s (own tokens)',
    );
    ttftChart.data.labels = labels;
    ttftChart.data.datasets = spreadBars(view, 'ttftMs', p, 'TTFT ms');
    // Each chart goes logarithmic only when its own values span more than LOG_SPAN; one switch turns both off.
    const tpsValues = view.rows.map((r) => r.cells[metric].value);
    const ttftValues = view.rows.map((r) => r.cells.ttftMs.value);
    const [tpsWide, ttftWide] = [valueSpan(tpsValues) > LOG_SPAN, valueSpan(ttftValues) > LOG_SPAN];
    tpsLog.hidden = !tpsWide && !ttftWide;
    setScale(tpsChart, tpsWide && logBox.checked, 'tok/s', tpsValues);
    setScale(ttftChart, ttftWide && logBox.checked, 'ms', ttftValues);
    if (compare) {
      ttftChart.data.datasets.push(...comparePoints(view, compare, 'ttftMs', p));
      // Only the own-token rate is compared (the o200k re-count is not kept per run in a comparison).
      if (metric === 'decodeTps') tpsChart.data.datasets.push(...comparePoints(view, compare, 'decodeTps', p));
    }
    const lineStyle = regionLineStyler(p);
    timelineChart.data.datasets = view.rows
      .filter((r) => r.timeline && r.timeline.points.length)
      .map((r) => ({
        label: r.label,
        data: r.timeline!.points.map((pt) => ({ x: pt.t, y: pt.tokens })),
        ...lineStyle(r.region),
        pointRadius: 0,
        stepped: 'after' as const,
      }));
  };
  const draw = (view: ResultsView, mode: 'none' | undefined) => {
    fill(view);
    for (const c of [tpsChart, ttftChart, timelineChart]) c.update(mode);
  };
  tpsBasis.addEventListener('change', () => last && draw(last, undefined));
  logBox.addEventListener('change', () => last && draw(last, undefined));

  const handle: ChartsHandle = {
    update(view) {
      const live = last !== undefined && view.running;
      last = view;
      draw(view, live ? 'none' : undefined);
    },
    compare(view) {
      compare = view;
      if (last) draw(last, undefined);
    },
  };
  return handle;
};
