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
import { DEMO_NOTE, DEMO_PROMPT, startDemoServer, type DemoServer } from '../core/demo';

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
  /** Run against the built-in test server instead of real models: simulated numbers, never saved. */
  demo?: boolean;
}

/** How to see the same thing with no key and no server; printed wherever nothing can be benchmarked. */
export const DEMO_HINT = 'To see a whole benchmark now with simulated numbers (no key, no server, nothing saved): tokenscope demo (or: npm run demo).';

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
        DEMO_HINT,
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
  if (!args.promptFile && !args.demo) throw new UsageError('no prompt: pass --prompt FILE or the prompt file as the argument');
  const prompt = args.promptFile ? await readTextFile(args.promptFile, 'prompt file') : DEMO_PROMPT;
  const check = checkPromptText(prompt, 'benchmark', `the prompt file "${args.promptFile}"`);
  if (!check.ok) throw new UsageError(check.message.charAt(0).toLowerCase() + check.message.slice(1));
  // Demo numbers are simulated: never mixed into a history of measured runs.
  if (args.demo && args.history) throw new UsageError('--demo runs are simulated and never saved: drop --history');
  const historyFile = args.demo ? undefined : args.history || io.env.TOKENSCOPE_HISTORY || undefined;
  if (args.category?.includes(',')) throw new UsageError('--category takes one category for a benchmark run');
  const category = parseCategories(args.category)?.[0] ?? classifyTask(prompt).category;
  let demo: DemoServer | undefined;
  let chosen;
  if (args.demo) {
    if (args.config || args.models) throw new UsageError('--demo runs the built-in demo models only: drop --config and --models');
    demo = await startDemoServer();
    chosen = { models: demo.models, settings: {} };
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
    });
    const json = JSON.stringify(demo ? { simulated: 'demo', note: DEMO_NOTE, ...report } : report, null, 2) + '\n';
    const table = demo ? `SIMULATED — DEMO (not real measurements)\n${formatReportTable(report)}\n${DEMO_NOTE}` : formatReportTable(report);
    if (args.json === '-') {
      io.out(json);
      io.err(table);
    } else {
      if (args.json) await writeFile(args.json, json);
      io.out(table + '\n');
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
    await demo?.close();
  }
}
