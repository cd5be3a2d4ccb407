import { defineConfig } from 'vitest/config';

// Timing-sensitive suites (integration) run one file at a time so that other test files do not
// compete for this machine's two cores while a stream is being timed.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/integration/**', 'test/e2e/**', 'test/hostile/**', '**/node_modules/**'] } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], fileParallelism: false, testTimeout: 30_000 } },
      // Hostile servers and inputs; the heavy cases measure a child's memory and time, so one file at a time.
      { test: { name: 'hostile', include: ['test/hostile/**/*.test.ts'], fileParallelism: false, testTimeout: 30_000 } },
    ],
  },
});
