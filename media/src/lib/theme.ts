/**
 * Chart colours from the VS Code theme. The webview gets the theme as CSS variables on <html> and a body class
 * (vscode-light / vscode-dark / vscode-high-contrast[-light]); every chart takes its text, grid and series colours
 * from here and is restyled when either changes, so no Chart.js default (#666 text, black 10% grid) is ever drawn.
 *
 * Every chart registered with themeChart() is also listed on window.tokenscopeCharts (name → Chart), so the
 * end-to-end suite can read the colours Chart.js resolved and check their contrast.
 */
import { Chart } from 'chart.js';
import { color } from 'chart.js/helpers';

export interface ChartTheme {
  /** Legend, axis titles: the theme's foreground. */
  fg: string;
  /** Tick labels: the description foreground when it is readable on the background, else the foreground. */
  muted: string;
  /** Grid lines and axis borders. */
  grid: string;
  /** The background the charts are drawn on (the body's). */
  background: string;
  tooltip: { background: string; text: string; border: string };
  /** The theme's chart palette; regions take red (CN), blue (US), green (local). */
  series: { red: string; blue: string; green: string; yellow: string; orange: string; purple: string };
  region: Record<string, string>;
  font: string;
}

/** WCAG 2 minimum for normal-size text. */
export const MIN_TEXT_CONTRAST = 4.5;

type Rgb = [number, number, number];

/** A CSS colour made opaque over `under` (theme colours such as #ccccccb3 carry alpha); null if unparsable. */
function opaque(css: string, under: Rgb): Rgb | null {
  const c = css ? color(css) : null;
  if (!c || !c.valid) return null;
  const { r, g, b, a } = c.rgb;
  return [r * a + under[0] * (1 - a), g * a + under[1] * (1 - a), b * a + under[2] * (1 - a)];
}

const rgbString = ([r, g, b]: Rgb) => `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;

function luminance([r, g, b]: Rgb): number {
  const f = (v: number) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

/** WCAG 2 contrast ratio of a text colour (alpha composited) on a background; 1 when either is unparsable. */
export function contrastRatio(text: string, background: string): number {
  const bg = opaque(background, [255, 255, 255]);
  const fg = bg && opaque(text, bg);
  if (!bg || !fg) return 1;
  const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The theme for charts from CSS values: `read(name)` gives a variable's value ('' when unset), `background` the
 * colour the charts sit on. Text colours come back opaque (composited over the background) and readable: a
 * candidate below MIN_TEXT_CONTRAST is replaced by the next, and finally by black or white, whichever reads.
 */
export function chartTheme(read: (name: string) => string, background: string): ChartTheme {
  const v = (name: string) => read(name).trim();
  const bgRgb = opaque(background, [255, 255, 255]) ??
    opaque(v('--vscode-editor-background'), [255, 255, 255]) ?? [255, 255, 255];
  const bg = rgbString(bgRgb);
  const text = (...candidates: string[]) => {
    for (const c of candidates) {
      const rgb = c && opaque(c, bgRgb);
      if (rgb && contrastRatio(rgbString(rgb), bg) >= MIN_TEXT_CONTRAST) return rgbString(rgb);
    }
    return luminance(bgRgb) > 0.18 ? 'rgb(0, 0, 0)' : 'rgb(255, 255, 255)';
  };
  const fg = text(v('--vscode-foreground'), v('--vscode-editor-foreground'));
  const muted = text(v('--vscode-descriptionForeground'), fg);
  const grid = v('--vscode-editorWidget-border') || v('--vscode-panel-border') || 'rgba(128, 128, 128, 0.35)';
  const series = {
    red: v('--vscode-charts-red') || '#f14c4c',
    blue: v('--vscode-charts-blue') || '#3794ff',
    green: v('--vscode-charts-green') || '#89d185',
    yellow: v('--vscode-charts-yellow') || '#cca700',
    orange: v('--vscode-charts-orange') || '#d18616',
    purple: v('--vscode-charts-purple') || '#b180d7',
  };
  const tipBg = v('--vscode-editorHoverWidget-background') || v('--vscode-editorWidget-background') || bg;
  const tipBgRgb = opaque(tipBg, bgRgb) ?? bgRgb;
  const tipText =
    [v('--vscode-editorHoverWidget-foreground'), v('--vscode-editorWidget-foreground'), fg].find(
      (c) => c && contrastRatio(c, rgbString(tipBgRgb)) >= MIN_TEXT_CONTRAST,
    ) ?? fg;
  return {
    fg,
    muted,
    grid,
    background: bg,
    tooltip: { background: rgbString(tipBgRgb), text: tipText, border: v('--vscode-editorHoverWidget-border') || grid },
    series,
    region: { CN: series.red, US: series.blue, local: series.green },
    font: v('--vscode-font-family'),
  };
}

/** The theme as the webview shows it now: VS Code's variables (set on <html>) and the body's background. */
export function currentTheme(): ChartTheme {
  const vars = getComputedStyle(document.documentElement);
  return chartTheme((name) => vars.getPropertyValue(name), getComputedStyle(document.body).backgroundColor);
}

/** A Chart.js chart as far as theming goes: its plain configuration options (not the resolved proxy) and update. */
interface Themable {
  config: { options?: unknown };
  update(mode?: 'none'): void;
}

type ScaleOptions = {
  ticks?: { color?: unknown };
  grid?: { color?: unknown };
  border?: { color?: unknown };
  title?: { color?: unknown };
};
type PluginOptions = {
  legend?: { labels?: { color?: unknown } };
  title?: { color?: unknown };
  tooltip?: Record<string, unknown>;
};

/** Writes the theme's colours into a chart's options: legend, title, tooltip and every scale's ticks, title, grid, border. */
export function applyChartTheme(options: unknown, t: ChartTheme): void {
  const o = options as {
    color?: unknown;
    borderColor?: unknown;
    plugins?: PluginOptions;
    scales?: Record<string, ScaleOptions>;
  };
  o.color = t.fg;
  o.borderColor = t.grid;
  const plugins = (o.plugins ??= {});
  plugins.legend = { ...plugins.legend, labels: { ...plugins.legend?.labels, color: t.fg } };
  plugins.title = { ...plugins.title, color: t.fg };
  plugins.tooltip = {
    ...plugins.tooltip,
    backgroundColor: t.tooltip.background,
    titleColor: t.tooltip.text,
    bodyColor: t.tooltip.text,
    footerColor: t.tooltip.text,
    borderColor: t.tooltip.border,
    borderWidth: 1,
  };
  for (const s of Object.values(o.scales ?? {})) {
    s.ticks = { ...s.ticks, color: t.muted };
    s.title = { ...s.title, color: t.fg };
    s.grid = { ...s.grid, color: t.grid };
    s.border = { ...s.border, color: t.grid };
  }
}

/** Also for anything a chart leaves to Chart.js's defaults. */
function applyDefaults(t: ChartTheme): void {
  Chart.defaults.color = t.fg;
  Chart.defaults.borderColor = t.grid;
  if (t.font) Chart.defaults.font.family = t.font;
}

const listeners = new Set<(t: ChartTheme) => void>();
let observer: MutationObserver | undefined;

/**
 * Calls `listener` with the new theme whenever VS Code changes it: the body class (light / dark / high contrast)
 * or the variables on <html> (also between two themes of one kind). Returns a function that stops it.
 */
export function onThemeChange(listener: (t: ChartTheme) => void): () => void {
  listeners.add(listener);
  if (!observer) {
    observer = new MutationObserver(() => {
      const t = currentTheme();
      applyDefaults(t);
      for (const l of listeners) l(t);
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  }
  return () => listeners.delete(listener);
}

declare global {
  interface Window {
    tokenscopeCharts?: Record<string, Themable>;
  }
}

/**
 * Themes a chart now and on every theme change. `restyle` re-colours what depends on the theme beyond the
 * options (datasets in region colours) before the chart is redrawn without animation. A chart that replaces its
 * scales or plugins later calls applyChartTheme(chart.config.options, theme) again before its update.
 */
export function themeChart<C extends Themable>(name: string, chart: C, restyle?: (t: ChartTheme) => void): C {
  const t = currentTheme();
  applyDefaults(t);
  applyChartTheme(chart.config.options, t);
  onThemeChange((next) => {
    restyle?.(next);
    applyChartTheme(chart.config.options, next);
    chart.update('none');
  });
  (window.tokenscopeCharts ??= {})[name] = chart;
  return chart;
}
