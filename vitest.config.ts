import { defineConfig } from 'vitest/config';

// Unit tests sit beside integration tests that start real processes, sockets and containers, so
// timeouts are generous and workers few: this runs on a 2-core machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
