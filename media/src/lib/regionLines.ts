/**
 * Line styles for charts with one line per model: a line takes its region's colour, as the bars do, and models
 * of the same region differ by dash. One styler per redraw, so the dashes restart with each dataset list.
 */
import type { ChartTheme } from './theme';

const DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3]];

export interface RegionLineStyle {
  borderColor: string;
  backgroundColor: string;
  borderDash: number[];
  borderWidth: number;
}

export function regionLineStyler(t: Pick<ChartTheme, 'region' | 'fg'>): (region: string) => RegionLineStyle {
  const seen = new Map<string, number>();
  return (region) => {
    const nth = seen.get(region) ?? 0;
    seen.set(region, nth + 1);
    const color = (t.region as Record<string, string | undefined>)[region] ?? t.fg;
    return { borderColor: color, backgroundColor: color, borderDash: DASHES[nth % DASHES.length], borderWidth: 2 };
  };
}
