/**
 * The CI side of `bench`: SLO, regression gate, JUnit XML, the GitHub job summary, shards and a common start
 * time. `bench.ts` calls `prepareCi` before running (every flag is checked before any request is sent) and
 * `finishCi` after, which returns the exit status the gate adds.
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { GateError, gateFromHistoryFile, parseTolerance, parseWindow, type GateResult } from '../core/gate';
import { gateLines, gateMarkdown } from '../core/report/gateReport';
import { junitXml } from '../core/report/junit';
import { parseShard, parseStartAt, planShard, ShardError, type ShardInfo } from '../core/shard';
import { applySlo, parseSlo, SloError, type SloTarget } from '../core/slo';
import { REFERENCE_TOKENIZER, tokenizerFamilyFor } from '../core/tokenizers/forModel';
import { loadTokenizer } from '../core/tokenizers';
import type { BenchmarkReport, ModelSpec } from '../core/types';
import { printWarnings } from './report';
import { UsageError, type Io } from './io';

/** Exit status when the gate finds a regression (1 = a run failed, 2 = usage). */
export const EXIT_REGRESSION = 3;

export interface CiArgs {
  slo?: string;
  gate?: string;
  gateWindow?: string;
  gateTolerance?: string;
  junit?: string;
  shard?: string;
  startAt?: string;
}

export interface CiPlan {
  slo: SloTarget[];
  gate?: { path: string; windowMs: number; windowText: string; tolerance: number };
  junit?: string;
  shard?: ShardInfo;
  startAt?: Date;
  /** Measured runs per model this process runs (its shard's part, or all of them). */
  runs: number;
}

function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SloError || e instanceof GateError || e instanceof ShardError) throw new UsageError(e.message);
    throw e;
  }
}

/** Validates the CI flags (and a config's settings.slo) before anything runs. */
export function prepareCi(args: CiArgs, configSlo: string | undefined, plannedRuns: number): CiPlan {
  const sloText = args.slo ?? configSlo;
  const slo = sloText === undefined ? [] : usage(() => parseSlo(sloText));
  if (!args.gate && (args.gateWindow !== undefined || args.gateTolerance !== undefined))
    throw new UsageError('--gate-window and --gate-tolerance need --gate HISTORY_FILE');
  const gate = args.gate
    ? {
        path: args.gate,
        windowText: args.gateWindow ?? '4w',
        windowMs: usage(() => parseWindow(args.gateWindow ?? '4w')),
        tolerance: usage(() => parseTolerance(args.gateTolerance ?? '10%')),
      }
    : undefined;
  const shard = args.shard ? usage(() => planShard(plannedRuns, parseShard(args.shard!))) : undefined;
  const startAt = args.startAt ? usage(() => parseStartAt(args.startAt!)) : undefined;
  if (shard && startAt) shard.startAt = startAt.toISOString();
  return {
    slo,
    ...(gate ? { gate } : {}),
    ...(args.junit ? { junit: args.junit } : {}),
    ...(shard ? { shard } : {}),
    ...(startAt ? { startAt } : {}),
    runs: shard?.runs ?? plannedRuns,
  };
}

/**
 * Does the slow part of starting before the common start time: loading a tokenizer parses its vocabulary
 * (up to 0.7 s of CPU), which would otherwise make shards on a busy machine begin late and apart.
 */
export async function readyToStart(models: readonly ModelSpec[]): Promise<void> {
  const families = new Set([REFERENCE_TOKENIZER, ...models.map((m) => tokenizerFamilyFor(m).family)]);
  await Promise.all([...families].map(loadTokenizer));
}

/** Marks the report with its shard and SLO results (before it is printed or written). */
export function annotateReport(report: BenchmarkReport, plan: CiPlan): void {
  if (plan.shard) report.shard = { ...plan.shard };
  applySlo(report, plan.slo);
}

/**
 * Runs the gate (against the history as it was before this benchmark is appended), prints its verdict,
 * appends the job summary and writes JUnit XML. Resolves to the gate's verdict, if there was a gate.
 */
export async function finishCi(report: BenchmarkReport, plan: CiPlan, io: Io): Promise<GateResult | undefined> {
  let gate: GateResult | undefined;
  if (plan.gate) {
    const { gate: result, warnings } = await gateFromHistoryFile(report, plan.gate.path, plan.gate);
    printWarnings(io, warnings);
    gate = result;
    for (const line of gateLines(gate)) io.err(line);
    const summaryFile = io.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) {
      try {
        await appendFile(summaryFile, gateMarkdown(gate) + '\n');
      } catch (e) {
        io.err(
          `warning: could not append the gate table to GITHUB_STEP_SUMMARY (${summaryFile}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
    }
  }
  if (plan.junit) {
    try {
      await writeFile(plan.junit, junitXml(report, gate));
    } catch (e) {
      throw new UsageError(
        `cannot write the JUnit file "${plan.junit}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  }
  return gate;
}
