import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { TOOL_VERSION } from '../core/version';
import { bench } from './bench';
import { processIo, UsageError, type Io } from './io';

function positiveInt(name: string, min = 1) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}, got "${value}"`);
    return n;
  };
}

/** Runs the CLI; resolves to the exit status (0 ok, 1 some run failed, 2 usage or config error). */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let status = 0;
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
    .option('-n, --runs <n>', 'measured runs per model', positiveInt('--runs'))
    .option('--warmup <n>', 'warm-up runs per model, not counted', positiveInt('--warmup', 0))
    .option('--concurrency <n>', 'requests in flight at once', positiveInt('--concurrency'))
    .option('--max-tokens <n>', 'output token limit per request', positiveInt('--max-tokens'))
    .option('--timeout <ms>', 'per-request time limit in ms', positiveInt('--timeout'))
    .option('--json <file>', 'write the full results as JSON to a file, or - for stdout')
    .option('--no-progress', 'do not print per-run progress')
    .action(async (promptArg: string | undefined, opts: Record<string, unknown>) => {
      if (promptArg && opts.prompt) throw new UsageError('give the prompt file once: either as the argument or with --prompt');
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
        },
        io,
      );
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
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
