import { writeFile } from 'node:fs/promises';
import { BUILTIN_MODELS, findBuiltin, retiredHint } from '../core/catalog';
import { ConfigError, parseConfig, type BenchSettings } from '../core/config';
import { DEFAULT_PROBES, discoverLocalModels, probesFromEnv } from '../core/discovery';
import { envApiKey, keyEnvConcerns, keyEnvConcernText } from '../core/keyEnv';
import { runOutcomeText, retryText } from '../core/report/format';
import { LiveReport } from '../core/report/live';
import { formatReportTable } from '../core/report/table';
import { DEFAULTS, USER_DEFAULT_WARMUP } from '../core/defaults';
import { runBenchmark } from '../core/runner';
import type { ProgressEvent } from '../core/types';
import type { BenchmarkReport, ModelSpec, TaskCategory } from '../core/types';
import { Interrupts } from './interrupts';
import { checkOutputFile, readTextFile, UsageError, type Io } from './io';
import { MAX_CONFIG_FILE_BYTES } from '../core/limits';
import { checkPromptText } from '../core/promptCheck';
import { HistoryStore, recordsFromReport } from '../core/history';
import { parseCategories } from './report';
import { classifyTask } from '../core/advisor/classify';
import { annotateReport, EXIT_REGRESSION, finishCi, prepareCi, readyToStart, type CiArgs } from './ci';
import { waitUntil } from '../core/shard';
import { DEMO_NOTE, DEMO_PROMPT, startDemoServer, type DemoServer } from '../core/demo';
import { formatTtftBreakdown } from '../core/report/ttftBreakdown';
import { parseInputTokens } from '../core/sweep';
import { CACHE_MODES, type CacheMode } from '../core/types';

function parseCacheMode(value: string | undefined): CacheMode | undefined {
  if (value === undefined) return undefined;
  if (!(CACHE_MODES as readonly string[]).includes(value))
    throw new UsageError(`--cache must be one of ${CACHE_MODES.join(', ')}, got "${value}"`);
  return value as CacheMode;
}

export interface BenchArgs extends CiArgs {
  promptFile?: string;
  config?: string;
  models?: string;
  runs?: number;
  warmup?: number;
  concurrency?: number;
  maxTokens?: number;
  timeout?: number;
  json?: string;
  progress?: boolean;
  /** Append the run's records to this history file (else $TOKENSCOPE_HISTORY if set; else not recorded). */
  history?: string;
  /** Task category recorded with the runs (default: classifyTask of the prompt). */
  category?: string;
  /** Store the prompt text itself in the history (off by default: only its sha256 is kept). */
  storePrompt?: boolean;
  /** Key variables the user confirmed may be sent although they do not look like the model's API key. */
  allowKeyEnv?: string[];
  /** Run against the built-in test server instead of real models: simulated numbers, never saved. */
  demo?: boolean;
  /** Prompt-cache state: cold (default), warm or both. */
  cache?: string;
  /** Prompt-length sweep sizes, e.g. "256,2048,8192". */
  inputTokens?: string;
  /** Where this machine is, as a label kept with the results (e.g. "Frankfurt office"). */
  location?: string;
}

/** The models to run: from the config, else built-ins with keys present plus local servers found. */
/** How to see the same thing with no key and no server; printed wherever nothing can be benchmarked. */
export const DEMO_HINT =
  'To see a whole benchmark now with simulated numbers (no key, no server, nothing saved): tokenscope demo (or: npm run demo).';

async function chooseModels(args: BenchArgs, io: Io): Promise<{ models: ModelSpec[]; settings: BenchSettings }> {
  const wanted = args.models
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (args.config) {
    const config = parseConfig(await readTextFile(args.config, 'config file', MAX_CONFIG_FILE_BYTES), args.config);
    let models = config.models;
    if (wanted) {
      const unknown = wanted.filter((id) => !models.some((m) => m.id === id) && !findBuiltin(id));
      const retired = unknown.map(retiredHint).filter(Boolean);
      if (retired.length) throw new UsageError(`--models: ${retired.join(' ')}`);
      if (unknown.length)
        throw new UsageError(
          `--models: unknown model id(s) ${unknown.join(', ')}; the config has ${models.map((m) => m.id).join(', ')}`,
        );
      models = wanted.map((id) => models.find((m) => m.id === id) ?? findBuiltin(id)!);
    }
    return { models, settings: config.settings };
  }
  if (wanted) {
    const unknown = wanted.filter((id) => !findBuiltin(id));
    const retired = unknown.map(retiredHint).filter(Boolean);
    if (retired.length) throw new UsageError(`--models: ${retired.join(' ')}`);
    if (unknown.length)
      throw new UsageError(
        `--models: unknown model id(s) ${unknown.join(', ')}; built-in ids are ${BUILTIN_MODELS.map((m) => m.id).join(', ')} (or pass --config FILE)`,
      );
    return { models: wanted.map((id) => findBuiltin(id)!), settings: {} };
  }
  const withKeys = BUILTIN_MODELS.filter((m) => m.apiKeyEnv && io.env[m.apiKeyEnv]);
  const probes = probesFromEnv(io.env.TOKENSCOPE_LOCAL_PORTS) ?? [...DEFAULT_PROBES];
  const local = await discoverLocalModels(probes);
  const models = [...withKeys, ...local];
  if (models.length === 0) {
    const envs = [...new Set(BUILTIN_MODELS.map((m) => m.apiKeyEnv).filter(Boolean))].join(', ');
    const servers = probes.map((p) => `${p.name} (127.0.0.1:${p.port})`).join(', ');
    throw new UsageError(
      [
        'nothing to benchmark: no config was given, no API key is set and no local server answered.',
        `  looked for keys in: ${envs}`,
        `  looked for local servers: ${servers}`,
        'To add one: set a key (e.g. export DEEPSEEK_API_KEY=...), start a local server (e.g. ollama serve), or pass --config FILE (see README).',
        DEMO_HINT,
      ].join('\n'),
    );
  }
  io.err(
    `No config given: using ${models.map((m) => m.id).join(', ')} (built-ins with keys set, and local servers found).`,
  );
  return { models, settings: {} };
}

/** Progress on stderr: warnings and retries always, one line per finished run when `enabled`. */
export function progressPrinter(io: Io, enabled: boolean): (e: ProgressEvent) => void {
  let done = 0;
  let total = 0;
  return (e) => {
    if (e.type === 'start') total = e.totalRuns;
    if (e.type === 'warning') io.err(`warning: ${e.message}`);
    if (e.type === 'retry') io.err(retryText(e));
    if (e.type === 'run-end') {
      done++;
      if (enabled)
        io.err(`[${done}/${total}] ${e.modelId}${e.warmup ? ' (warm-up)' : ''}: ${runOutcomeText(e.metrics)}`);
    }
  };
}

export async function bench(args: BenchArgs, io: Io): Promise<number> {
  const demo: { server?: DemoServer } = {};
  try {
    return await runBench(args, io, demo);
  } finally {
    await demo.server?.close();
  }
}

async function runBench(args: BenchArgs, io: Io, demo: { server?: DemoServer }): Promise<number> {
  const cache = parseCacheMode(args.cache);
  let inputTokens: number[] | undefined;
  try {
    inputTokens = args.inputTokens === undefined ? undefined : parseInputTokens(args.inputTokens);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (inputTokens && cache && cache !== 'cold')
    throw new UsageError(
      `--input-tokens measures prefill with cold prompts only; drop --cache ${cache} or run the sweep separately`,
    );
  // A sweep builds its own prompts; a prompt file, if given, becomes the question that closes each one.
  if (!args.promptFile && !args.demo && !inputTokens)
    throw new UsageError(
      'no prompt: pass --prompt FILE or the prompt file as the argument (or --input-tokens for a prompt-length sweep)',
    );
  const prompt = args.promptFile ? await readTextFile(args.promptFile, 'prompt file') : args.demo ? DEMO_PROMPT : '';
  if (args.promptFile) {
    const check = checkPromptText(prompt, 'benchmark', `the prompt file "${args.promptFile}"`);
    if (!check.ok) throw new UsageError(check.message.charAt(0).toLowerCase() + check.message.slice(1));
  }
  const location = (args.location ?? io.env.TOKENSCOPE_LOCATION ?? '').trim() || undefined;
  // Demo numbers are simulated: never mixed into a history of measured runs.
  if (args.demo && args.history) throw new UsageError('--demo runs are simulated and never saved: drop --history');
  const historyFile = args.demo ? undefined : args.history || io.env.TOKENSCOPE_HISTORY || undefined;
  if (args.category?.includes(',')) throw new UsageError('--category takes one category for a benchmark run');
  const category = parseCategories(args.category)?.[0] ?? classifyTask(prompt).category;
  // Found now, not after every request ran: a typo in an output path must not cost the measurements.
  if (args.json && args.json !== '-') await checkOutputFile(args.json, '--json');
  if (historyFile) await checkOutputFile(historyFile, args.history ? '--history' : 'TOKENSCOPE_HISTORY', true);
  let chosen;
  if (args.demo) {
    if (args.config || args.models)
      throw new UsageError('--demo runs the built-in demo models only: drop --config and --models');
    demo.server = await startDemoServer();
    chosen = { models: demo.server.models, settings: {} };
    io.err(DEMO_NOTE);
  } else {
    try {
      chosen = await chooseModels(args, io);
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(e.message);
      throw e;
    }
  }
  const { models, settings } = chosen;
  const concerns = keyEnvConcerns(models, args.allowKeyEnv ?? []);
  if (concerns.length)
    throw new UsageError(
      concerns
        .map((c) => `${keyEnvConcernText(c)}. Nothing was sent. If that is intended, pass --allow-key-env ${c.env}.`)
        .join('\n'),
    );

  const ci = prepareCi(args, settings.slo, args.runs ?? settings.runs ?? DEFAULTS.runs);
  const runSettings = {
    runs: ci.runs,
    warmup: args.warmup ?? settings.warmup ?? USER_DEFAULT_WARMUP,
    concurrency: args.concurrency ?? settings.concurrency ?? DEFAULTS.concurrency,
    maxTokens: args.maxTokens ?? settings.maxTokens ?? DEFAULTS.maxTokens,
    timeoutMs: args.timeout ?? settings.timeoutMs ?? DEFAULTS.timeoutMs,
  };
  // Everything that finished so far, whatever stops the benchmark (a signal, a bug) before its report.
  const live = new LiveReport(models, prompt, runSettings);
  const printProgress = progressPrinter(io, args.progress ?? io.isTTY);
  const interrupts = new Interrupts(io);
  interrupts.install();
  try {
    if (ci.startAt) {
      await readyToStart(models);
      const lateMs = Date.now() - ci.startAt.getTime();
      if (lateMs > 0)
        io.err(
          `warning: --start-at ${ci.startAt.toISOString()} had passed ${(lateMs / 1000).toFixed(1)} s ago when this process was ready; starting now, so it does not begin together with the others. Give a later start time.`,
        );
      else
        io.err(
          `Waiting until ${ci.startAt.toISOString()} to start${ci.shard ? ` shard ${ci.shard.index}/${ci.shard.count}` : ''} (Ctrl-C cancels)…`,
        );
      if (!(await waitUntil(ci.startAt, interrupts.controller.signal))) {
        io.err('Cancelled before the start time; nothing was run.');
        return interrupts.status ?? 130;
      }
    }
    let report: BenchmarkReport;
    let crash: Error | undefined;
    try {
      const finished = runBenchmark({
        models,
        prompt,
        ...runSettings,
        stallTimeoutMs: settings.stallTimeoutMs,
        signal: interrupts.controller.signal,
        onProgress: (e) => {
          live.apply(e);
          printProgress(e);
        },
        resolveApiKey: (spec) => envApiKey(spec, io.env),
        cache,
        inputTokens,
        location,
      });
      finished.catch(() => {}); // after a forced stop nobody awaits it any more
      report = (await Promise.race([finished, interrupts.forced.then(() => undefined)])) ?? partial(live);
    } catch (e) {
      crash = e as Error;
      report = partial(live);
    }
    crash ??= interrupts.crash;
    if (interrupts.signalName) report.interrupted = interrupts.signalName;
    else if (crash) report.interrupted = 'error';
    annotateReport(report, ci);
    let gate: Awaited<ReturnType<typeof finishCi>> | undefined;
    // The gate reads the history before this benchmark's runs are appended to it; an interrupted or broken
    // benchmark is not gated (its medians are not comparable).
    const saved = await saveResults(
      report,
      args,
      io,
      { historyFile, category, prompt, demo: demo.server !== undefined },
      async () => {
        if (!crash && interrupts.status === undefined) gate = await finishCi(report, ci, io);
      },
    );
    const ran = report.results.reduce((n, r) => n + r.okRuns + r.failedRuns, 0);
    if (crash) {
      io.err(
        `tokenscope: unexpected error: ${crash.message}. The ${ran} run(s) that finished are in the output above${saved.history ? ' and in the history' : ''}.`,
      );
      return 2;
    }
    if (interrupts.status !== undefined) {
      const planned = models.length * runSettings.runs;
      io.err(
        `Stopped by ${interrupts.signalName} after ${ran} of ${planned} measured run(s); ${saved.history ? 'they are saved in the history and ' : ''}${args.json ? 'written to the --json output' : 'in the table above'}.`,
      );
      return interrupts.status;
    }
    if (gate?.regressions) return EXIT_REGRESSION;
    if (!saved.ok) return 1;
    const failed = report.results.some((r) => r.failedRuns > 0);
    return failed ? 1 : 0;
  } finally {
    interrupts.dispose();
  }
}

/** The report as far as it got, from the progress events. */
function partial(live: LiveReport): BenchmarkReport {
  live.stop(true);
  return live.current;
}

/**
 * Prints the table, writes --json and appends the history. Each output is tried on its own: one that fails
 * (a full disk, a closed pipe) says so and does not keep the others from being written.
 */
async function saveResults(
  report: BenchmarkReport,
  args: BenchArgs,
  io: Io,
  history: { historyFile?: string; category: TaskCategory; prompt: string; demo?: boolean },
  /** Runs after the table and --json, before the history is appended (the regression gate). */
  beforeHistory?: () => Promise<void>,
): Promise<{ ok: boolean; history: boolean }> {
  let ok = true;
  const json =
    JSON.stringify(history.demo ? { simulated: 'demo', note: DEMO_NOTE, ...report } : report, null, 2) + '\n';
  const text = formatReportTable(report) + formatTtftBreakdown(report);
  const table = history.demo ? `SIMULATED — DEMO (not real measurements)\n${text}\n${DEMO_NOTE}` : text;
  if (args.json === '-') {
    io.out(json);
    io.err(table);
  } else {
    io.out(table + '\n');
    if (args.json) {
      try {
        await writeFile(args.json, json);
      } catch (e) {
        ok = false;
        io.err(
          `error: could not write --json "${args.json}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; the results are in the table above${history.historyFile ? ' and the history' : ''}.`,
        );
      }
    }
  }
  await beforeHistory?.();
  let saved = false;
  if (history.historyFile) {
    try {
      const n = await new HistoryStore(history.historyFile).append(
        recordsFromReport(report, {
          category: history.category,
          prompt: history.prompt,
          storePrompt: args.storePrompt === true,
        }),
      );
      saved = true;
      io.err(
        `History: ${n} run(s) appended to ${history.historyFile}${args.storePrompt ? ' (prompt text included)' : ''}.`,
      );
    } catch (e) {
      ok = false;
      io.err(
        `warning: could not append to the history ${history.historyFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  }
  return { ok, history: saved };
}
