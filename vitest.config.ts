import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Projects, so each kind of test gets the cheapest runner that still keeps it honest. Without
 * per-file isolation a worker imports src/ (zod schemas, the SDKs, lmdb, the CLI) once and reuses it
 * for its next files, instead of importing it again for every file: that import was most of the
 * time of a short e2e file.
 *
 * - `unit` (everything outside test/e2e): library code called directly; no working-folder changes,
 *   signals, mocks or process state left behind. Worker threads, not isolated.
 * - `e2e` (test/e2e): runs the CLI in-process (runCli changes the working folder for a run and puts
 *   it back, which a worker thread may not do at all) and spawns it (signals, kill -9). Forked
 *   processes, not isolated: every run gets its own temp folder, environment and fake server, and
 *   src/ keeps no state between runs but caches keyed by content or by (unique) path.
 * - `isolated`: files that need a fresh module graph, each in its own process. A file that calls
 *   vi.mock belongs here: the mock must be the module's first import, and must not leak into the
 *   files after it.
 *
 * Workers: vitest's default is cores - 1, which is ONE on a 2-core CI machine (the whole suite in
 * series). The e2e files spend much of their time waiting on child processes and loopback sockets,
 * so two workers overlap that waiting; more cores keep the default. `--maxWorkers` still overrides.
 */
const ISOLATED = ['test/e2e/internal-error.test.ts'];

const shared = {
  testTimeout: 30_000,
  hookTimeout: 30_000,
};

export default defineConfig({
  test: {
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: { ...shared, name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', ...ISOLATED], pool: 'threads', isolate: false },
      },
      {
        test: { ...shared, name: 'e2e', include: ['test/e2e/**/*.test.ts'], exclude: ISOLATED, pool: 'forks', isolate: false },
      },
      {
        test: { ...shared, name: 'isolated', include: ISOLATED, pool: 'forks', isolate: true },
      },
    ],
  },
});
