// @vitest-environment happy-dom
/** Chart colours from the VS Code theme: readable text in every theme, and charts restyled when the theme changes. */
import { regionLineStyler } from '../../media/src/lib/regionLines';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyChartTheme, chartTheme, contrastRatio, MIN_TEXT_CONTRAST, themeChart } from '../../media/src/lib/theme';

// A few variables as VS Code sets them for its Dark Modern and Light Modern themes.
const DARK = {
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-green': '#89d185',
};
const LIGHT = {
  '--vscode-foreground': '#3b3b3b',
  '--vscode-descriptionForeground': '#3b3b3b',
  '--vscode-editor-background': '#ffffff',
  '--vscode-panel-border': '#e5e5e5',
  '--vscode-charts-red': '#e51400',
  '--vscode-charts-blue': '#1a85ff',
  '--vscode-charts-green': '#388a34',
};
const reader = (vars: Record<string, string>) => (name: string) => vars[name] ?? '';

describe('chart theme from CSS variables', () => {
  it('takes text, grid and region colours from a dark theme, readable on its background', () => {
    const t = chartTheme(reader(DARK), 'rgb(31, 31, 31)');
    expect(t.fg).toBe('rgb(204, 204, 204)');
    expect(t.muted).toBe('rgb(157, 157, 157)');
    expect(t.grid).toBe('#2b2b2b');
    expect(t.region).toEqual({ CN: '#f14c4c', US: '#3794ff', local: '#89d185' });
    for (const c of [t.fg, t.muted]) expect(contrastRatio(c, t.background)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
  });

  it('gives dark text in a light theme', () => {
    const t = chartTheme(reader(LIGHT), 'rgb(255, 255, 255)');
    expect(t.fg).toBe('rgb(59, 59, 59)');
    expect(contrastRatio(t.muted, t.background)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    expect(t.region.CN).toBe('#e51400');
  });

  it('composites a translucent description colour over the background before judging it', () => {
    // #ccccccb3 is 70% grey-white: over #1f1f1f it reads as rgb(152, 152, 152).
    const t = chartTheme(reader({ ...DARK, '--vscode-descriptionForeground': '#ccccccb3' }), 'rgb(31, 31, 31)');
    expect(t.muted).toBe('rgb(152, 152, 152)');
  });

  it('falls back to the foreground when the description colour is too faint, and to black or white without either', () => {
    const faint = chartTheme(reader({ ...DARK, '--vscode-descriptionForeground': '#5a5a5a' }), 'rgb(31, 31, 31)');
    expect(contrastRatio('#5a5a5a', '#1f1f1f')).toBeLessThan(MIN_TEXT_CONTRAST);
    expect(faint.muted).toBe(faint.fg);
    // A dark background with nothing set: Chart.js's own #666 would be unreadable; white is chosen.
    expect(chartTheme(reader({}), 'rgb(30, 30, 30)').fg).toBe('rgb(255, 255, 255)');
    expect(chartTheme(reader({}), 'rgb(250, 250, 250)').fg).toBe('rgb(0, 0, 0)');
    // An unparsable background falls back to the editor background variable.
    expect(chartTheme(reader(DARK), '').background).toBe('rgb(31, 31, 31)');
  });

  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#666666', '#1f1f1f')).toBeLessThan(3);
    expect(contrastRatio('not a colour', '#ffffff')).toBe(1);
  });
});

describe('applyChartTheme', () => {
  it('colours the legend, title, tooltip and every scale, keeping the other options', () => {
    const t = chartTheme(reader(DARK), 'rgb(31, 31, 31)');
    const options = {
      responsive: true,
      plugins: { legend: { position: 'top', labels: { boxWidth: 10 } } },
      scales: { x: { stacked: true, title: { display: true, text: 'ms' } }, y: { beginAtZero: true } },
    };
    applyChartTheme(options, t);
    expect(options.plugins.legend).toEqual({ position: 'top', labels: { boxWidth: 10, color: t.fg } });
    for (const s of Object.values(options.scales) as unknown as Record<string, Record<string, unknown>>[]) {
      expect(s.ticks.color).toBe(t.muted);
      expect(s.title.color).toBe(t.fg);
      expect(s.grid.color).toBe(t.grid);
      expect(s.border.color).toBe(t.grid);
    }
    expect(options.scales.x.title.text).toBe('ms');
    expect(options.scales.x.stacked).toBe(true);
    expect((options.plugins as Record<string, Record<string, unknown>>).tooltip.bodyColor).toBe(t.tooltip.text);
  });
});

describe('themeChart in a webview', () => {
  const setTheme = (kind: string, vars: Record<string, string>) => {
    for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
    document.body.style.backgroundColor = vars['--vscode-editor-background'];
    document.body.className = kind;
  };
  afterEach(() => {
    document.documentElement.removeAttribute('style');
    document.body.removeAttribute('style');
  });

  it('styles a chart at once and again when VS Code swaps the theme', async () => {
    setTheme('vscode-light', LIGHT);
    const chart = { config: { options: { scales: { x: {}, y: {} } } as Record<string, unknown> }, update: vi.fn() };
    const restyle = vi.fn();
    themeChart('test-chart', chart, restyle);
    const scales = () => chart.config.options.scales as Record<string, { ticks: { color: string } }>;
    expect(scales().y.ticks.color).toBe('rgb(59, 59, 59)');
    expect(window.tokenscopeCharts?.['test-chart']).toBe(chart);

    setTheme('vscode-dark', DARK);
    await vi.waitFor(() => expect(chart.update).toHaveBeenCalledWith('none'));
    expect(scales().x.ticks.color).toBe('rgb(157, 157, 157)');
    expect(restyle).toHaveBeenCalledWith(expect.objectContaining({ fg: 'rgb(204, 204, 204)' }));
  });
});

describe('hour heatmap shades (media/sidebar.css)', () => {
  // Each shade is the theme's charts-blue mixed with transparent (so: that blue at p% opacity) over the background.
  const css = readFileSync(join(__dirname, '../../media/sidebar.css'), 'utf8');
  const shades = [
    ...css.matchAll(
      /td\.heat-(\d)\s*\{\s*background: color-mix\(in srgb, var\(--vscode-charts-blue[^)]*\) (\d+)%, transparent\);\s*\}/g,
    ),
  ].map((m) => Number(m[2]) / 100);
  const HIGH_CONTRAST = {
    '--vscode-foreground': '#ffffff',
    '--vscode-editor-background': '#000000',
    '--vscode-charts-blue': '#3794ff',
  };

  it('are five, getting darker', () => {
    expect(shades).toHaveLength(5);
    expect([...shades].sort((a, b) => a - b)).toEqual(shades);
  });

  it.each([
    ['Light Modern', LIGHT],
    ['Dark Modern', DARK],
    ['High Contrast', HIGH_CONTRAST],
  ])('keep the cell text readable in %s', (_name, vars) => {
    const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
    const bg = hex(vars['--vscode-editor-background']);
    const blue = hex(vars['--vscode-charts-blue']);
    for (const p of shades) {
      const cell = `rgb(${bg.map((b, i) => Math.round(blue[i] * p + b * (1 - p))).join(', ')})`;
      expect(contrastRatio(vars['--vscode-foreground'], cell), `text on the ${p * 100}% shade`).toBeGreaterThanOrEqual(
        MIN_TEXT_CONTRAST,
      );
    }
  });
});

describe('region line styles', () => {
  it("take the region's colour, differ by dash within a region, and restart with each styler", () => {
    const t = { region: { CN: '#f00', US: '#00f' }, fg: '#888' };
    const style = regionLineStyler(t);
    const [cn1, us1, cn2, other] = [style('CN'), style('US'), style('CN'), style('local')];
    expect([cn1.borderColor, us1.borderColor, cn2.borderColor, other.borderColor]).toEqual([
      '#f00',
      '#00f',
      '#f00',
      '#888',
    ]);
    expect(cn1.borderDash).toEqual([]);
    expect(cn2.borderDash).not.toEqual(cn1.borderDash);
    expect(us1.borderDash).toEqual([]);
    expect(regionLineStyler(t)('CN').borderDash).toEqual([]);
  });
});
