import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Two projects, so each kind of test gets the cheapest runner that still keeps it honest:
 *
 * - `unit` (everything outside test/e2e): library code called directly, no working-folder changes,
 *   no signals, no process-wide state left behind. Worker threads, and no per-file isolation: the
 *   modules (zod schemas, the SDKs, lmdb) are imported once per worker instead of once per file.
 * - `e2e` (test/e2e): runs the CLI in-process (runCli changes the working folder, which a worker
 *   thread may not do) and spawns it (signals, kill -9). Forked processes, isolated per file.
 *
 * Workers: vitest's default is cores - 1, which is ONE on a 2-core CI machine (the whole suite in
 * series). The e2e files spend most of their time waiting on child processes and loopback sockets,
 * so two workers overlap that waiting; more cores keep the default. `--maxWorkers` still overrides.
 */
const shared = {
  testTimeout: 30_000,
  hookTimeout: 30_000,
};

export default defineConfig({
  test: {
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          pool: 'threads',
          isolate: false,
        },
      },
      {
        test: {
          ...shared,
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Tests that spawn the CLI are I/O bound; two cores are enough for a few forks.
          pool: 'forks',
        },
      },
    ],
  },
});
