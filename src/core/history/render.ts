/** Renders a WeeklyReport as Markdown (fit to paste into a wiki), CSV (long form) or JSON. */
import { fixed } from '../report/format';
import { REGIONS } from '../types';
import type { ModelTrend, WeeklyCell, WeeklyReport } from './aggregate';
import type { Leaderboard, LeaderboardRow } from './contract';
import { formatUtcOffset } from './week';

const f0 = fixed(0);
const f1 = fixed(1);
const signed = (digits: number) => (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(digits)}`;
const usd = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `$${v < 1 ? v.toFixed(3) : v.toFixed(2)}`;
const signedUsd = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${usd(Math.abs(v))}`;

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(header: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const sep = header.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  return [header, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** Shown trend columns in Markdown: the most recent weeks only, so the table stays readable. */
const TREND_WEEKS = 12;

function modelName(m: ModelTrend): string {
  return m.label && m.label !== m.modelId ? `${m.label} (${m.modelId})` : m.modelId;
}

export function weeklyReportMarkdown(r: WeeklyReport): string {
  const out: string[] = [];
  out.push('# Tokenscope weekly report', '');
  out.push(`**${r.headline}${r.headline.endsWith('.') ? '' : '.'}**`, '');
  if (r.totals.runs === 0) {
    out.push(
      'The history has no runs' +
        (r.category ? ` in category ${r.category.join(', ')}` : '') +
        (r.since ? ` since ${r.since}` : '') +
        '.',
    );
    return out.join('\n') + '\n';
  }
  const scope = [
    `${r.totals.runs.toLocaleString('en-US')} runs (${r.totals.failedRuns.toLocaleString('en-US')} failed) of ${r.totals.models} model${r.totals.models === 1 ? '' : 's'}`,
    `${r.totals.firstRun} … ${r.totals.lastRun}`,
    `weeks in ${formatUtcOffset(r.utcOffsetMinutes)}`,
    r.category ? `category: ${r.category.join(', ')}` : 'all task categories',
    ...(r.since ? [`since ${r.since}`] : []),
  ];
  out.push(scope.join(' · '), '');
  const prices = [
    ...r.prices.map((x) => `${cell(x.source)} (${x.runs.toLocaleString('en-US')} run${x.runs === 1 ? '' : 's'})`),
    ...(r.pricedRunsWithoutSource
      ? [`${r.pricedRunsWithoutSource.toLocaleString('en-US')} run(s) recorded before the history kept price sources`]
      : []),
  ];
  if (prices.length) out.push(`Costs priced from: ${prices.join('; ')}.`, '');

  out.push('## Weekly medians by region', '');
  const rows: string[][] = [];
  for (const w of r.weeks) {
    const present = REGIONS.filter((g) => w.regions[g]);
    if (present.length === 0) {
      rows.push([w.week, w.start, '—', '0', '0', '—', '—', '—', '—']);
      continue;
    }
    for (const g of present) {
      const c = w.regions[g] as WeeklyCell;
      rows.push([
        w.week,
        w.start,
        g,
        String(c.runs),
        String(c.failedRuns),
        f1(c.medianDecodeTps),
        f1(c.medianNormalizedTps),
        f0(c.medianTtftMs),
        usd(c.costPerMOutput),
      ]);
    }
  }
  out.push(
    table(
      ['Week', 'Starts', 'Region', 'Runs', 'Failed', 'tok/s (own tokens)', 'tok/s (o200k)', 'TTFT ms', '$ / 1M output'],
      rows,
      ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
  );

  out.push('## CN − US gap', '');
  out.push(
    table(
      ['Week', 'tok/s (own tokens)', 'tok/s (o200k)', 'TTFT ms', '$ / 1M output', 'Led by'],
      r.weeks.map((w) => [
        w.week,
        signed(1)(w.gap.decodeTps),
        signed(1)(w.gap.normalizedTps),
        signed(0)(w.gap.ttftMs),
        signedUsd(w.gap.costPerMOutput),
        w.leader === null
          ? '—'
          : w.leader === 'tie'
            ? 'tie'
            : `${w.leader} (${w.leadMetric === 'normalizedTps' ? 'o200k' : 'own tokens'})`,
      ]),
      ['l', 'r', 'r', 'r', 'r', 'l'],
    ),
    '',
  );
  out.push(
    'Positive tok/s gaps favour CN; positive TTFT and cost gaps mean CN is slower to first token or dearer.',
    '',
  );

  out.push('## Current streak by task category', '');
  out.push(
    table(
      ['Scope', 'Leader', 'Weeks', 'From', 'To', 'Decided by'],
      r.streaks.map((s) => [
        s.scope === 'all' ? (r.category ? r.category.join(', ') : 'all categories') : s.scope,
        s.leader ?? '—',
        String(s.weeks),
        s.from ?? '—',
        s.to ?? '—',
        s.leader
          ? s.metric === 'normalizedTps'
            ? 'tok/s (o200k)'
            : s.metric === 'decodeTps'
              ? 'tok/s (own tokens)'
              : 'o200k, else own tokens'
          : cell(s.reason ?? '—'),
      ]),
    ),
    '',
  );

  out.push('## Per-model trends', '');
  const shown = r.weeks.slice(-TREND_WEEKS).map((w) => w.week);
  out.push(
    table(
      [
        'Model',
        'Region',
        'Runs',
        'Failed',
        'Weeks',
        'First → last',
        'Change',
        `Weekly median tok/s (${shown[0]} … ${shown[shown.length - 1]})`,
      ],
      r.models.map((m) => {
        const byWeek = new Map(m.weeks.map((x) => [x.week, x]));
        const series = shown.map((wk) => {
          const x = byWeek.get(wk);
          return x ? f1(m.trendMetric === 'normalizedTps' ? x.medianNormalizedTps : x.medianDecodeTps) : '·';
        });
        return [
          cell(modelName(m)),
          m.region,
          String(m.runs),
          String(m.failedRuns),
          String(m.weeks.length),
          m.first && m.last
            ? `${f1(m.first.value)} → ${f1(m.last.value)} ${m.trendMetric === 'normalizedTps' ? '(o200k)' : '(own tokens)'}`
            : '—',
          m.changePct === null ? '—' : `${signed(1)(m.changePct)} %`,
          series.join(' '),
        ];
      }),
      ['l', 'l', 'r', 'r', 'r', 'l', 'r', 'l'],
    ),
    '',
  );
  out.push(
    'Trend values are o200k-normalised tok/s where the model has them, else its own-token tok/s; "·" is a week without runs, "—" a week with runs but no figure.',
    '',
  );

  out.push('## How to read this', '', ...r.rules.map((x) => `- ${x}`));
  return out.join('\n') + '\n';
}

export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_HEADER = [
  'section',
  'week',
  'week_start',
  'key',
  'region',
  'runs',
  'failed_runs',
  'median_decode_tps',
  'median_normalized_tps',
  'median_ttft_ms',
  'cost_per_m_output',
  'leader',
];

/**
 * Long-form CSV: one row per week and region ("region"), per week and model ("model"), and the
 * CN − US differences per week ("gap", numbers are differences, leader says who led).
 */
export function weeklyReportCsv(r: WeeklyReport): string {
  const lines = [CSV_HEADER.join(',')];
  const push = (xs: (string | number | null | undefined)[]) => lines.push(xs.map(csvField).join(','));
  const cells = (c: WeeklyCell) => [
    c.runs,
    c.failedRuns,
    c.medianDecodeTps,
    c.medianNormalizedTps,
    c.medianTtftMs,
    c.costPerMOutput,
  ];
  const starts = new Map(r.weeks.map((w) => [w.week, w.start]));
  for (const w of r.weeks) {
    for (const g of REGIONS) {
      const c = w.regions[g];
      if (c) push(['region', w.week, w.start, g, g, ...cells(c), '']);
    }
    push([
      'gap',
      w.week,
      w.start,
      'CN-US',
      '',
      '',
      '',
      w.gap.decodeTps,
      w.gap.normalizedTps,
      w.gap.ttftMs,
      w.gap.costPerMOutput,
      w.leader ?? '',
    ]);
  }
  for (const m of r.models)
    for (const x of m.weeks) push(['model', x.week, starts.get(x.week), m.modelId, m.region, ...cells(x), '']);
  return lines.join('\n') + '\n';
}

export function weeklyReportJson(r: WeeklyReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}

/** The all-time leaderboard as Markdown. */
export function leaderboardMarkdown(lb: Leaderboard, title = 'Tokenscope leaderboard'): string {
  const rows = (xs: LeaderboardRow[]) =>
    xs.map((x, i) => [
      String(i + 1),
      cell(x.label && x.label !== x.key ? `${x.label} (${x.key})` : x.key),
      x.region,
      String(x.runs),
      String(x.failedRuns),
      f1(x.medianDecodeTps),
      f1(x.medianNormalizedTps),
      f0(x.medianTtftMs),
      usd(x.costPerMOutput),
      x.lastRun,
    ]);
  const header = [
    '#',
    'Name',
    'Region',
    'Runs',
    'Failed',
    'tok/s (own tokens)',
    'tok/s (o200k)',
    'TTFT ms',
    '$ / 1M output',
    'Last run',
  ];
  const align: ('l' | 'r')[] = ['r', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'];
  return [
    `# ${title}`,
    '',
    '## Regions',
    '',
    table(header, rows(lb.regions), align),
    '',
    '## Models',
    '',
    table(header, rows(lb.models), align),
    '',
    'Medians over successful runs, fastest first (by o200k-normalised tok/s, else own-token tok/s).',
    '',
  ].join('\n');
}

export function leaderboardCsv(lb: Leaderboard): string {
  const lines = [
    'section,key,label,region,runs,failed_runs,median_decode_tps,median_normalized_tps,median_ttft_ms,cost_per_m_output,last_run',
  ];
  for (const [section, xs] of [
    ['region', lb.regions],
    ['model', lb.models],
  ] as const)
    for (const x of xs)
      lines.push(
        [
          section,
          x.key,
          x.label,
          x.region,
          x.runs,
          x.failedRuns,
          x.medianDecodeTps,
          x.medianNormalizedTps,
          x.medianTtftMs,
          x.costPerMOutput,
          x.lastRun,
        ]
          .map(csvField)
          .join(','),
      );
  return lines.join('\n') + '\n';
}
