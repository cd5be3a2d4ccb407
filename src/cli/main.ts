import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { SETTING_LIMITS, type SettingName } from '../core/limits';
import { printable } from '../core/terminalText';
import { TOOL_VERSION } from '../core/version';
import { bench } from './bench';
import { tokens } from './tokens';
import { EXIT_STATUS } from './interrupts';
import { processIo, UsageError, type Io } from './io';
import { historyClear, historyExport, historyImport, report } from './report';
import { adviseCommand } from './advise';
import { merge } from './merge';
import { compareCommand } from './compare';
import { models } from './models';
import { prices } from './prices';
import { pricesCachePath, usePricesCache } from '../core/pricing';

/** A whole-number flag within the range the config file accepts for the same setting. */
function settingInt(flag: string, setting: SettingName) {
  const { min, max } = SETTING_LIMITS[setting];
  return (value: string) => {
    const n = /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(
        `${flag} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')} (the limit a config's settings.${setting} has), got "${value}"`,
      );
    return n;
  };
}

/**
 * Runs the CLI; resolves to the exit status: 0 ok, 1 some run failed or an output could not be written, 2 usage or
 * config error, 3 the regression gate failed, 129/130/143 stopped by SIGHUP/SIGINT/SIGTERM (finished runs saved),
 * 141 stdout closed early.
 */
export async function main(argv: string[], rawIo: Io = processIo): Promise<number> {
  let status = 0;
  // Everything printed may carry server text (error bodies, discovered model names, imported histories):
  // control characters and bidi controls are shown as \uXXXX escapes, which JSON output reads back unchanged.
  const io: Io = {
    ...rawIo,
    out: (s) => rawIo.out(printable(s, { multiline: true })),
    err: (s) => rawIo.err(printable(s, { multiline: true })),
  };
  usePricesCache(pricesCachePath(io.env));
  const program = new Command('tokenscope')
    .description('Benchmark LLM streaming speed, tokens and cost across Chinese, US and local models.')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  program
    .command('bench')
    .description('stream a prompt to each model and measure TTFT, tokens/s, latency, tokens and cost')
    .argument('[prompt-file]', 'file holding the prompt (same as --prompt)')
    .option('-p, --prompt <file>', 'file holding the prompt')
    .option('-c, --config <file>', 'JSON config listing models (see README)')
    .option('-m, --models <ids>', 'comma-separated model ids to run (from the config or the built-in catalog)')
    .option('-n, --runs <n>', 'measured runs per model', settingInt('--runs', 'runs'))
    .option(
      '--warmup <n>',
      'warm-up runs per model, not counted (default 1); with warm-up on, one connection per concurrency slot is opened before the timed runs',
      settingInt('--warmup', 'warmup'),
    )
    .option('--concurrency <n>', 'requests in flight at once', settingInt('--concurrency', 'concurrency'))
    .option('--max-tokens <n>', 'output token limit per request', settingInt('--max-tokens', 'maxTokens'))
    .option('--timeout <ms>', 'per-request time limit in ms', settingInt('--timeout', 'timeoutMs'))
    .option('--json <file>', 'write the full results as JSON to a file, or - for stdout')
    .option('--no-progress', 'do not print per-run progress')
    .option('--history <file>', 'append the runs to this history file (default: $TOKENSCOPE_HISTORY if set)')
    .option('--category <c>', 'task category recorded in the history (default: classified from the prompt)')
    .option('--store-prompt', 'store the prompt text in the history too (default: only its sha256)')
    .option(
      '--allow-key-env <names>',
      "send these key variables although they do not look like the model's API key (comma-separated; see README)",
    )
    .option(
      '--slo <targets>',
      'service-level objective, e.g. "ttft<=800,ttfo<=2000,tps>=30,e2e<=10000": runs that met it and goodput per model',
    )
    .option(
      '--gate <history>',
      'regression gate: compare each model with its runs in this history file; exit 3 if slower',
    )
    .option('--gate-window <len>', 'history the gate looks back over: 4w (default), 14d, 36h')
    .option(
      '--gate-tolerance <pct>',
      'how far past the history p90 (TTFT, e2e) or p10 (tok/s) counts as a regression (default 10%)',
    )
    .option('--junit <file>', 'write JUnit XML, one testcase per model (failure on failed runs or a regression)')
    .option('--shard <i/n>', 'run the i-th of n equal parts of the runs (merge the parts with "tokenscope merge")')
    .option(
      '--start-at <iso-time>',
      'wait until this time (e.g. 2026-12-03T10:00:00Z) before the first request, so shards start together',
    )
    .option('--demo', 'run against the built-in local test server: simulated numbers, no key needed, never saved')
    .option(
      '--cache <mode>',
      'prompt cache: cold (each prompt unique, default), warm (one priming request, then the same prompt) or both',
    )
    .option(
      '--input-tokens <sizes>',
      'prompt-length sweep: build cold prompts of about these token counts (e.g. 256,2048,8192,32768) and fit the prefill rate',
    )
    .option(
      '--location <label>',
      'where this machine is (e.g. "Shanghai office"), kept with the results and the history (default: $TOKENSCOPE_LOCATION)',
    )
    .action(async (promptArg: string | undefined, opts: Record<string, unknown>) => {
      if (promptArg && opts.prompt)
        throw new UsageError('give the prompt file once: either as the argument or with --prompt');
      status = await bench(
        {
          promptFile: (opts.prompt as string | undefined) ?? promptArg,
          config: opts.config as string | undefined,
          models: opts.models as string | undefined,
          runs: opts.runs as number | undefined,
          warmup: opts.warmup as number | undefined,
          concurrency: opts.concurrency as number | undefined,
          maxTokens: opts.maxTokens as number | undefined,
          timeout: opts.timeout as number | undefined,
          json: opts.json as string | undefined,
          progress: opts.progress === false ? false : undefined,
          history: opts.history as string | undefined,
          category: opts.category as string | undefined,
          storePrompt: opts.storePrompt === true,
          allowKeyEnv: (opts.allowKeyEnv as string | undefined)
            ?.split(',')
            .map((x) => x.trim())
            .filter(Boolean),
          slo: opts.slo as string | undefined,
          gate: opts.gate as string | undefined,
          gateWindow: opts.gateWindow as string | undefined,
          gateTolerance: opts.gateTolerance as string | undefined,
          junit: opts.junit as string | undefined,
          shard: opts.shard as string | undefined,
          startAt: opts.startAt as string | undefined,
          demo: opts.demo === true,
          cache: opts.cache as string | undefined,
          inputTokens: opts.inputTokens as string | undefined,
          location: opts.location as string | undefined,
        },
        io,
      );
    });

  program
    .command('demo')
    .description(
      'a whole benchmark against the built-in local test server: simulated numbers, no key needed, never saved',
    )
    .argument('[prompt-file]', 'file holding the prompt (default: a short built-in prompt)')
    .option('-n, --runs <n>', 'measured runs per model', settingInt('--runs', 'runs'))
    .option('--json <file>', 'write the full (simulated) results as JSON to a file, or - for stdout')
    .action(async (promptArg: string | undefined, opts: { runs?: number; json?: string }) => {
      // No warm-up: the demo server has no cold start to absorb, and the demo should be quick.
      status = await bench({ promptFile: promptArg, demo: true, runs: opts.runs, warmup: 0, json: opts.json }, io);
    });

  program
    .command('tokens')
    .description("count a file's tokens with each model family's tokenizer, and its input cost per model")
    .argument('<file>', 'the text to count')
    .option('--json', 'print JSON')
    .option('-c, --config <file>', 'price the models of this config instead of the built-in catalog')
    .action(async (file: string, opts: { json?: boolean; config?: string }) => {
      status = await tokens({ file, json: opts.json, config: opts.config }, io);
    });

  program
    .command('models')
    .description(
      "list the built-in models (or a config's) with provider, region, context window, the date their facts were read and their price now",
    )
    .option(
      '--json',
      'print JSON: { "models": [{ id, provider, region, protocol, baseUrl, model, apiKeyEnv, contextWindow, readOn, priceSource? }] }',
    )
    .option('-c, --config <file>', 'list the models of this config instead of the built-in catalog')
    .action(async (opts: { json?: boolean; config?: string }) => {
      status = await models(opts, io);
    });

  program
    .command('prices')
    .description('say which price data costs use (genai-prices, bundled or updated); --update fetches newer data')
    .option('--update', 'fetch the newer price data genai-prices publishes, validate it and cache it for later runs')
    .option('--url <url>', "fetch from this URL instead (default: $TOKENSCOPE_PRICES_URL, else genai-prices' own)")
    .action(async (opts: { update?: boolean; url?: string }) => {
      status = await prices(opts, io);
    });

  const historyOption = '--history <file>';
  const historyHelp = 'history file (default: $TOKENSCOPE_HISTORY, else ~/.tokenscope/history.jsonl)';
  program
    .command('report')
    .description(
      'report on the benchmark history: the weekly CN vs US table, the streak and per-model trends (--weekly), else the all-time leaderboard',
    )
    .option('--weekly', 'weekly medians per region and model, the CN − US gap and the current streak')
    .option('--by-hour', 'median TTFT and decode rate per model and UTC hour of day (cold runs)')
    .option('--location <label>', 'with --by-hour: only runs recorded with this --location')
    .option(historyOption, historyHelp)
    .option('-f, --format <format>', 'md (Markdown, for a wiki), json or csv', 'md')
    .option('--category <c>', 'only runs of this task category (comma-separated for several)')
    .option(
      '--tz-offset <min>',
      'week boundaries at this offset from UTC: minutes east (480 = UTC+08:00), "+08:00", or "local"; default 0 (UTC)',
    )
    .option('--since <date>', 'only runs started on or after this ISO date or time')
    .option(
      '--compare <files...>',
      'compare two benchmark reports (bench --json files): per-model deltas of TTFT, decode rate, e2e and cost (md or json)',
    )
    .action(async (opts: Record<string, string | boolean | string[] | undefined>) => {
      if (opts.compare) {
        const historyOnly = ['weekly', 'history', 'category', 'tzOffset', 'since'].filter((k) => opts[k] !== undefined);
        if (historyOnly.length)
          throw new UsageError(
            `--compare reads two report files, not the history: drop --${historyOnly.map((k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)).join(', --')}`,
          );
        status = await compareCommand(opts.compare as string[], opts.format as string | undefined, io);
        return;
      }
      status = await report(
        {
          weekly: opts.weekly === true,
          byHour: opts.byHour === true,
          location: opts.location as string | undefined,
          history: opts.history as string | undefined,
          format: opts.format as string | undefined,
          category: opts.category as string | undefined,
          tzOffset: opts.tzOffset as string | undefined,
          since: opts.since as string | undefined,
        },
        io,
      );
    });
  const history = program.command('history').description('manage the benchmark history file');
  history
    .command('clear')
    .description('delete every record in the history')
    .option(historyOption, historyHelp)
    .option('--yes', 'confirm')
    .action(async (opts: { history?: string; yes?: boolean }) => {
      status = await historyClear(opts, io);
    });
  history
    .command('export')
    .description('write the history (valid records only) to FILE, to share it')
    .argument('<file>', 'file to write')
    .option(historyOption, historyHelp)
    .option('--include-prompts', 'keep stored prompt texts (left out by default)')
    .action(async (file: string, opts: { history?: string; includePrompts?: boolean }) => {
      status = await historyExport(file, opts, io);
    });
  history
    .command('import')
    .description("merge other history files (colleagues' exports) into the history, skipping records already there")
    .argument('<files...>', 'history files to merge')
    .option(historyOption, historyHelp)
    .action(async (files: string[], opts: { history?: string }) => {
      status = await historyImport(files, opts, io);
    });

  program
    .command('advise')
    .description(
      "estimate how much speculative decoding (prompt lookup, draft model / MTP) would speed up a prompt's task",
    )
    .option('-p, --prompt <file>', 'file holding the prompt')
    .option('-o, --output <file>', "a model's output for the prompt: replays prompt lookup over it")
    .option('--json', 'print the advice as JSON')
    .option(
      '--tokenizer <family>',
      'tokenizer for the replay: o200k (default), cl100k, deepseek-v3, qwen3, claude, llama3',
    )
    .option('--language <id>', 'language id of code in the prompt (e.g. typescript): marks the prompt as carrying code')
    .option('--gamma <n>', 'draft tokens per step for the draft-model estimate (default 3)')
    .option('--draft-cost <c>', 'draft/target cost ratio per draft token (default 0.05)')
    .option('--vllm-metrics <file>', 'a vLLM /metrics scrape taken after the run: measured acceptance')
    .option('--vllm-metrics-before <file>', 'a vLLM /metrics scrape taken before the run, to diff against')
    .option('--llamacpp-metrics <file>', 'a llama.cpp server /metrics scrape taken after the run: measured acceptance')
    .option(
      '--llamacpp-metrics-before <file>',
      'a llama.cpp server /metrics scrape taken before the run, to diff against',
    )
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      status = await adviseCommand(
        {
          prompt: opts.prompt as string | undefined,
          output: opts.output as string | undefined,
          json: opts.json === true,
          tokenizer: opts.tokenizer as string | undefined,
          language: opts.language as string | undefined,
          gamma: opts.gamma as string | undefined,
          draftCost: opts.draftCost as string | undefined,
          vllmMetrics: opts.vllmMetrics as string | undefined,
          vllmMetricsBefore: opts.vllmMetricsBefore as string | undefined,
          llamacppMetrics: opts.llamacppMetrics as string | undefined,
          llamacppMetricsBefore: opts.llamacppMetricsBefore as string | undefined,
        },
        io,
      );
    });
  // ---- end advisor ----

  program
    .command('merge')
    .description(
      'merge benchmark reports of the same prompt and config (e.g. bench --shard parts) into one, summaries recomputed from all runs',
    )
    .argument('<files...>', 'report files written by bench --json')
    .option('-o, --output <file>', 'the merged report (JSON), or - for stdout')
    .option('--gate <history>', 'regression gate on the merged result (as bench --gate); exit 3 if slower')
    .option('--gate-window <len>', 'history the gate looks back over: 4w (default), 14d, 36h')
    .option(
      '--gate-tolerance <pct>',
      'how far past the history p90 (TTFT, e2e) or p10 (tok/s) counts as a regression (default 10%)',
    )
    .option('--junit <file>', 'write JUnit XML of the merged result, one testcase per model')
    .action(
      async (
        files: string[],
        opts: { output?: string; gate?: string; gateWindow?: string; gateTolerance?: string; junit?: string },
      ) => {
        status = await merge(files, opts, io);
      },
    );

  try {
    await program.parseAsync(argv, { from: 'user' });
    // A write to a closed pipe reports EPIPE a tick later.
    await new Promise((resolve) => setImmediate(resolve));
    const stdoutError = rawIo.stdoutError?.();
    if (stdoutError && status < 128) {
      const why =
        stdoutError === 'EPIPE'
          ? 'stdout was closed before all output was written (EPIPE)'
          : `stdout could not be written (${stdoutError})`;
      io.err(
        `tokenscope: ${why}; the rest of it was dropped. Files the command writes (--json, the history) were written as usual.`,
      );
      return stdoutError === 'EPIPE' ? EXIT_STATUS.SIGPIPE : Math.max(status, 1);
    }
    return status;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) {
      io.err(`tokenscope: ${e.message}`);
      return 2;
    }
    io.err(`tokenscope: unexpected error: ${(e as Error).message}`);
    return 2;
  }
}
