import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests that spawn the CLI are I/O bound; two cores are enough for a few forks.
    pool: 'forks',
  },
});
