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
    // Held Docker faults' holders and helpers run the image the suite builds from this host
    // (scripts/build-test-images.sh), named through the override a user would set, so the
    // defaults (public images) are never pulled by a test unless it means to.
    env: {
      FAULTLINE_DOCKER_HOLDER_IMAGE: 'faultline-test/tools:latest',
      FAULTLINE_DOCKER_HELPER_IMAGE: 'faultline-test/tools:latest',
    },
  },
});
