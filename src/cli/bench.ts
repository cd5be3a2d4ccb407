import { writeFile } from 'node:fs/promises';
import { BUILTIN_MODELS, findBuiltin } from '../core/catalog';
import { ConfigError, parseConfig, type BenchSettings } from '../core/config';
import { DEFAULT_PROBES, discoverLocalModels, probesFromEnv } from '../core/discovery';
import { formatReportTable } from '../core/report/table';
import { DEFAULTS, USER_DEFAULT_WARMUP, runBenchmark, type ProgressEvent } from '../core/runner';
import type { ModelSpec } from '../core/types';
import { readTextFile, UsageError, type Io } from './io';
import { checkPromptText } from '../core/text';
import { HistoryStore, recordsFromReport } from '../core/history';
import { parseCategories } from './report';
import { classifyTask } from '../core/advisor/classify';
import { formatTtftBreakdown } from '../core/report/ttftBreakdown';
import { parseInputTokens } from '../core/sweep';
import { CACHE_MODES, type CacheMode } from '../core/types';

function parseCacheMode(value: string | undefined): CacheMode | undefined {
  if (value === undefined) return undefined;
  if (!(CACHE_MODES as readonly string[]).includes(value)) throw new UsageError(`--cache must be one of ${CACHE_MODES.join(', ')}, got "${value}"`);
  return value as CacheMode;
}

export interface BenchArgs {
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
  /** Prompt-cache state: cold (default), warm or both. */
  cache?: string;
  /** Prompt-length sweep sizes, e.g. "256,2048,8192". */
  inputTokens?: string;
  /** Where this machine is, as a label kept with the results (e.g. "Frankfurt office"). */
  location?: string;
}

/** The models to run: from the config, else built-ins with keys present plus local servers found. */
async function chooseModels(args: BenchArgs, io: Io): Promise<{ models: ModelSpec[]; settings: BenchSettings }> {
  const wanted = args.models?.split(',').map((s) => s.trim()).filter(Boolean);
  if (args.config) {
    const config = parseConfig(await readTextFile(args.config, 'config file'), args.config);
    let models = config.models;
    if (wanted) {
      const unknown = wanted.filter((id) => !models.some((m) => m.id === id) && !findBuiltin(id));
      if (unknown.length) throw new UsageError(`--models: unknown model id(s) ${unknown.join(', ')}; the config has ${models.map((m) => m.id).join(', ')}`);
      models = wanted.map((id) => models.find((m) => m.id === id) ?? findBuiltin(id)!);
    }
    return { models, settings: config.settings };
  }
  if (wanted) {
    const unknown = wanted.filter((id) => !findBuiltin(id));
    if (unknown.length) throw new UsageError(`--models: unknown model id(s) ${unknown.join(', ')}; built-in ids are ${BUILTIN_MODELS.map((m) => m.id).join(', ')} (or pass --config FILE)`);
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
      ].join('\n'),
    );
  }
  io.err(`No config given: using ${models.map((m) => m.id).join(', ')} (built-ins with keys set, and local servers found).`);
  return { models, settings: {} };
}

function progressPrinter(io: Io, enabled: boolean): (e: ProgressEvent) => void {
  let done = 0;
  let total = 0;
  return (e) => {
    if (e.type === 'start') total = e.totalRuns;
    if (e.type === 'warning') io.err(`warning: ${e.message}`);
    if (e.type === 'retry') io.err(`retry ${e.attempt} for ${e.modelId} in ${(e.waitMs / 1000).toFixed(1)} s: ${e.reason}`);
    if (e.type === 'run-end') {
      done++;
      if (enabled) {
        const m = e.metrics;
        const what = m.ok ? `TTFT ${m.ttftMs?.toFixed(0)} ms, ${m.decodeTps?.toFixed(1) ?? '—'} tok/s` : `failed (${m.errorKind})`;
        io.err(`[${done}/${total}] ${e.modelId}${e.warmup ? ' (warm-up)' : ''}: ${what}`);
      }
    }
  };
}

export async function bench(args: BenchArgs, io: Io): Promise<number> {
  const cache = parseCacheMode(args.cache);
  let inputTokens: number[] | undefined;
  try {
    inputTokens = args.inputTokens === undefined ? undefined : parseInputTokens(args.inputTokens);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (inputTokens && cache && cache !== 'cold') throw new UsageError(`--input-tokens measures prefill with cold prompts only; drop --cache ${cache} or run the sweep separately`);
  // A sweep builds its own prompts; a prompt file, if given, becomes the question that closes each one.
  if (!args.promptFile && !inputTokens) throw new UsageError('no prompt: pass --prompt FILE or the prompt file as the argument (or --input-tokens for a prompt-length sweep)');
  const prompt = args.promptFile ? await readTextFile(args.promptFile, 'prompt file') : '';
  if (args.promptFile) {
    const check = checkPromptText(prompt, 'benchmark', `the prompt file "${args.promptFile}"`);
    if (!check.ok) throw new UsageError(check.message.charAt(0).toLowerCase() + check.message.slice(1));
  }
  const location = (args.location ?? io.env.TOKENSCOPE_LOCATION ?? '').trim() || undefined;
  const historyFile = args.history || io.env.TOKENSCOPE_HISTORY || undefined;
  if (args.category?.includes(',')) throw new UsageError('--category takes one category for a benchmark run');
  const category = parseCategories(args.category)?.[0] ?? classifyTask(prompt).category;
  let chosen;
  try {
    chosen = await chooseModels(args, io);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
  const { models, settings } = chosen;
  const controller = new AbortController();
  const onSigint = () => {
    io.err('Cancelling… (partial results are kept)');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    const report = await runBenchmark({
      models,
      prompt,
      runs: args.runs ?? settings.runs,
      warmup: args.warmup ?? settings.warmup ?? USER_DEFAULT_WARMUP,
      concurrency: args.concurrency ?? settings.concurrency,
      maxTokens: args.maxTokens ?? settings.maxTokens,
      timeoutMs: args.timeout ?? settings.timeoutMs ?? DEFAULTS.timeoutMs,
      stallTimeoutMs: settings.stallTimeoutMs,
      signal: controller.signal,
      onProgress: progressPrinter(io, args.progress ?? io.isTTY),
      resolveApiKey: (spec) => (spec.apiKeyEnv ? io.env[spec.apiKeyEnv] || undefined : undefined),
      cache,
      inputTokens,
      location,
    });
    const json = JSON.stringify(report, null, 2) + '\n';
    const text = formatReportTable(report) + formatTtftBreakdown(report);
    if (args.json === '-') {
      io.out(json);
      io.err(text);
    } else {
      if (args.json) await writeFile(args.json, json);
      io.out(text + '\n');
    }
    if (historyFile) {
      try {
        const n = await new HistoryStore(historyFile).append(recordsFromReport(report, { category, prompt, storePrompt: args.storePrompt === true }));
        io.err(`History: ${n} run(s) appended to ${historyFile}${args.storePrompt ? ' (prompt text included)' : ''}.`);
      } catch (e) {
        io.err(`warning: could not append to the history ${historyFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
    const failed = report.results.some((r) => r.failedRuns > 0);
    return failed ? 1 : 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
