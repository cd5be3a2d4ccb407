/** `tokenscope report --compare A.json B.json [--format md|json]`: per-model deltas between two runs. */
import { compareReports } from '../core/compare';
import { comparisonJson, comparisonMarkdown } from '../core/report/compareReport';
import { readReportFile } from './merge';
import { UsageError, type Io } from './io';

export async function compareCommand(files: string[], format: string | undefined, io: Io): Promise<number> {
  if (files.length !== 2)
    throw new UsageError(`--compare takes two report files (A = baseline, B = compared with it), got ${files.length}`);
  const f = (format ?? 'md').toLowerCase();
  if (f !== 'md' && f !== 'markdown' && f !== 'json')
    throw new UsageError(`--compare: --format must be md or json, got "${format}"`);
  const [a, b] = await Promise.all(files.map(readReportFile));
  const comparison = compareReports(a.report, b.report, { a: a.name, b: b.name });
  io.out(f === 'json' ? comparisonJson(comparison) : comparisonMarkdown(comparison));
  return 0;
}
