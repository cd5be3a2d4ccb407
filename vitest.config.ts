import { defineConfig } from 'vitest/config';

// Timing-sensitive suites (integration) run one file at a time so that other test files do not
// compete for this machine's two cores while a stream is being timed.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/integration/**', 'test/hostile/**', 'test/e2e/**', '**/node_modules/**'] } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts', 'test/hostile/**/*.test.ts'], fileParallelism: false, testTimeout: 30_000 } },
    ],
  },
});
