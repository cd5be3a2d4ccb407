/** `tokenscope merge FILE… -o OUT`: joins the reports of shards (or of repeated runs) into one. */
import { writeFile } from 'node:fs/promises';
import { asReport, mergeReports, MergeError, mergeWarnings, type NamedReport } from '../core/merge';
import { formatReportTable } from '../core/report/table';
import { EXIT_REGRESSION, finishCi, prepareCi, type CiArgs } from './ci';
import { readTextFile, UsageError, type Io } from './io';

/** Reads a benchmark report file; a missing, unparsable or foreign file is a usage error naming it. */
export async function readReportFile(path: string): Promise<NamedReport> {
  const text = await readTextFile(path, 'report file');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path} is not valid JSON (${(e as Error).message})`);
  }
  try {
    return { name: path, report: asReport(json, path) };
  } catch (e) {
    if (e instanceof MergeError) throw new UsageError(e.message);
    throw e;
  }
}

export interface MergeArgs extends Pick<CiArgs, 'gate' | 'gateWindow' | 'gateTolerance' | 'junit'> {
  output?: string;
}

/** Exit status as bench's: 3 when the gate finds a regression, 1 when any merged run had failed, else 0. */
export async function merge(files: string[], args: MergeArgs, io: Io): Promise<number> {
  if (!args.output) throw new UsageError('merge: name the merged file with -o FILE (or -o - for stdout)');
  if (files.length < 2) throw new UsageError(`merge: give two or more report files, got ${files.length}`);
  const parts = await Promise.all(files.map(readReportFile));
  const ci = prepareCi(
    { gate: args.gate, gateWindow: args.gateWindow, gateTolerance: args.gateTolerance, junit: args.junit },
    undefined,
    1,
  );
  let merged;
  try {
    merged = mergeReports(parts);
  } catch (e) {
    if (e instanceof MergeError) throw new UsageError(`merge refused: ${e.message}`);
    throw e;
  }
  for (const w of mergeWarnings(parts)) io.err(`warning: ${w}`);
  const json = JSON.stringify(merged, null, 2) + '\n';
  if (args.output === '-') {
    io.out(json);
    io.err(formatReportTable(merged));
  } else {
    try {
      await writeFile(args.output, json);
    } catch (e) {
      throw new UsageError(
        `cannot write "${args.output}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    io.out(formatReportTable(merged) + '\n');
    const runs = merged.results.reduce((s, r) => s + r.runs.length, 0);
    io.err(
      `Merged ${files.length} file(s), ${runs} run(s) of ${merged.results.length} model(s), into ${args.output}; summaries recomputed from all runs.`,
    );
  }
  const gate = await finishCi(merged, ci, io);
  const failed = merged.results.some((r) => r.failedRuns > 0);
  return gate?.regressions ? EXIT_REGRESSION : failed ? 1 : 0;
}
