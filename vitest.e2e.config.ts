import { defineConfig } from 'vitest/config';

// Browser tests: real server, real PostgreSQL, Debian's Chromium. Flaky tests get fixed, not retried.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    retry: 0,
    fileParallelism: false,
    environment: 'node',
  },
});
