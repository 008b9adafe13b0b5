import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Two projects, so each file gets the cheapest runner that still keeps it honest.
 *
 * - `shared`: every file but those below, in forked processes WITHOUT per-file isolation: a worker
 *   imports src/ (zod schemas, the SDKs, lmdb, the CLI that runCli loads) once and reuses it for its
 *   next files, instead of importing it again for every file; that import was most of the time of
 *   a short e2e file. Forks, not threads: runCli changes the working folder for a run (and puts it
 *   back), which a worker thread may not do at all. What makes sharing safe: every e2e run gets its
 *   own temp folder, environment and fake server; src/ keeps no state between runs but caches keyed
 *   by content or by (unique) path, and registers no process handlers (only bin/'s main.ts does,
 *   and the tests spawn that); signals and kill -9 are sent to spawned children, never to a worker.
 * - `isolated`: files that need a fresh module graph, each in its own process. A file that calls
 *   vi.mock belongs here: the mock must be the module's first import, and must not leak into the
 *   files after it (internal-error.test.ts fails without isolation, which is why this list exists).
 *
 * One project for unit and e2e files (not one each): vitest runs projects one after the other, so
 * a single queue, longest files first, keeps every worker busy to the end.
 *
 * Workers: vitest's default is cores - 1, which is ONE on a 2-core CI machine (the whole suite in
 * series). Two workers on 2 cores; more cores keep the default. Three were measured too: faster only
 * while other jobs load the machine (a bigger share of it), slower on a quiet one, where the suite is
 * CPU-bound (README, Benchmarks). `--maxWorkers` still overrides.
 */
const ISOLATED = ['test/e2e/internal-error.test.ts'];

const shared = {
  testTimeout: 30_000,
  hookTimeout: 30_000,
};

export default defineConfig({
  test: {
    globalSetup: ['test/support/temp-root.ts'],
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: { ...shared, name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED, pool: 'forks', isolate: false },
      },
      {
        test: { ...shared, name: 'isolated', include: ISOLATED, pool: 'forks', isolate: true },
      },
    ],
  },
});
