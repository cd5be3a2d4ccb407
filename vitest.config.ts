import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Costs in tests come from the bundled price data, never from an update cached on the developer's machine.
const env = { TOKENSCOPE_PRICES_CACHE: join(tmpdir(), 'tokenscope-tests-no-price-cache.json') };

// Timing-sensitive suites (integration) run one file at a time so that other test files do not
// compete for this machine's two cores while a stream is being timed.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', env, include: ['test/**/*.test.ts'], exclude: ['test/integration/**', 'test/hostile/**', 'test/e2e/**', '**/node_modules/**'] } },
      { test: { name: 'integration', env, include: ['test/integration/**/*.test.ts', 'test/hostile/**/*.test.ts'], fileParallelism: false, testTimeout: 30_000 } },
    ],
  },
});
