/**
 * Where-TTFT-goes fidelity: cold/warm medians against the test server's records (simulated prefix cache), and
 * the fitted prefill rate and overhead against the server's prefill schedule. Runs the server in this process.
 * Usage: npm run bench:ttft [-- --quick]
 */
import { runBenchmark } from '../../src/core/runner';
import { median } from '../../src/core/stats';
import type { ModelSpec } from '../../src/core/types';
import { startStreamServer, truth } from '../../test/server/streamServer';

const quick = process.argv.includes('--quick');
const TRIALS = quick ? 2 : 5;

async function main() {
  const server = await startStreamServer();
  const spec = (model: string): ModelSpec => ({
    id: model,
    protocol: 'openai-chat',
    baseUrl: `${server.url}/v1`,
    model,
    region: 'local',
    tokenizer: 'o200k',
  });
  const prompt = 'Summarise the notes on the harbour town in two sentences. '.repeat(40);

  const cacheErr: number[] = [];
  const savingErr: number[] = [];
  for (const [i, dialect] of Array.from({ length: TRIALS }, (_, i) => [i, i % 2 ? 'deepseek' : 'openai'] as const)) {
    const model = `cache-${i}`;
    server.setModel(model, {
      ttftMs: 250,
      tokensPerSecond: 300,
      outputTokens: 10,
      prefixCache: { hitSavingMs: 150 },
      usageDialect: dialect,
    });
    const report = await runBenchmark({ models: [spec(model)], prompt, runs: 5, warmup: 1, cache: 'both' });
    const recs = server.records.filter((r) => r.model === model).slice(1); // the warm-up
    const cold = recs.slice(0, 5);
    const warm = recs.slice(6); // after the priming request
    const by = report.results[0].byCache!;
    cacheErr.push(
      Math.abs(by.cold!.ttftMs!.median - median(cold.map((r) => truth(r).ttftMs!))),
      Math.abs(by.warm!.ttftMs!.median - median(warm.map((r) => truth(r).ttftMs!))),
    );
    savingErr.push(Math.abs(report.results[0].cache!.savingMs! - 150));
  }
  console.log(
    `cache: |median TTFT − server record| over ${cacheErr.length} cold/warm medians: max ${Math.max(...cacheErr).toFixed(2)} ms, median ${median(cacheErr).toFixed(2)} ms; |saving − 150 ms| max ${Math.max(...savingErr).toFixed(2)} ms`,
  );

  for (const rate of [5_000, 20_000, 80_000]) {
    const rateErr: number[] = [];
    const overheadErr: number[] = [];
    for (let i = 0; i < TRIALS; i++) {
      const model = `prefill-${rate}-${i}`;
      server.setModel(model, { ttftMs: 40, tokensPerSecond: 300, outputTokens: 5, prefillTokensPerSec: rate });
      const report = await runBenchmark({
        models: [spec(model)],
        prompt: '',
        runs: 3,
        warmup: 1,
        inputTokens: [256, 2048, 8192],
        maxTokens: 16,
      });
      const fit = report.results[0].prefill!;
      rateErr.push(Math.abs(fit.tokensPerSec! / rate - 1) * 100);
      overheadErr.push(Math.abs(fit.overheadMs - 40));
    }
    console.log(
      `prefill ${rate} tok/s: rate error max ${Math.max(...rateErr).toFixed(2)}% (median ${median(rateErr).toFixed(2)}%), overhead error max ${Math.max(...overheadErr).toFixed(2)} ms over ${TRIALS} sweeps of 256/2048/8192 tokens × 3 runs`,
    );
  }
  await server.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
