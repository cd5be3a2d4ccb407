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
      {
        test: {
          name: 'unit',
          env,
          include: ['test/**/*.test.ts'],
          exclude: ['test/integration/**', 'test/e2e/**', 'test/hostile/**', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          env,
          include: ['test/integration/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 30_000,
        },
      },
      // Hostile servers and inputs; the heavy cases measure a child's memory and time, so one file at a time.
      {
        test: {
          name: 'hostile',
          env,
          include: ['test/hostile/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 30_000,
        },
      },
    ],
  },
});
