import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * One queue for every test file (unit and e2e together: vitest runs projects one after the other, so
 * a single queue, longest files first, keeps every worker busy to the end), in forked processes
 * WITHOUT per-file isolation: a worker imports a module once and reuses it for its next files,
 * instead of importing it again for every file. Forks, not threads: runCli changes the working
 * folder for a run (and puts it back), which a worker thread may not do at all. What makes sharing
 * safe: every e2e run gets its own temp folder, environment and fake server; src/ keeps no state
 * between runs but caches keyed by content or by (unique) path, and registers no process handlers
 * (only bin/'s main.ts does, and the tests spawn that); signals and kill -9 are sent to spawned
 * children, never to a worker. No file calls vi.mock (a mock would leak into the files after it in
 * the same worker): a file that must, needs a project of its own with `isolate: true`.
 *
 * Tests import src/ (and are type-checked against it), but run the code tsc compiled from it: an
 * import of `…/src/x.js` resolves to `…/dist/x.js`, which vitest leaves to Node's own loader. A
 * worker loaded the optimize command's graph (390 modules) from src/ through vitest's module runner
 * in about 4 s, and from dist/ natively in about 0.5 s; every worker paid that, and the e2e tests'
 * spawned CLIs run dist/ anyway. The global setup (test/support/fresh-build.ts) builds dist/ in place
 * when it does not match src/ (scripts/build.mjs says when), so a run never tests stale code; under
 * `vitest --watch`, run `npx tsc -p tsconfig.build.json --watch` beside it, as an edit to src/ does
 * not reach dist/ alone.
 * Stacks of failures point into dist/ (its source maps lead back to src/).
 *
 * Workers: vitest's default is cores - 1, which is ONE on a 2-core CI machine (the whole suite in
 * series). Two workers on 2 cores; more cores keep the default. Three were measured too: faster only
 * while other jobs load the machine (a bigger share of it), slower on a quiet one, where the suite is
 * CPU-bound (README, Benchmarks). `--maxWorkers` still overrides.
 */
/**
 * The files that take longest (about 3-13 s each on 2 cores, most of it in processes they spawn),
 * slowest first. vitest runs the files it has timed before longest first, but a fresh clone (CI)
 * has no timings, and a slow file started last makes a tail during which one worker runs alone.
 */
const SLOWEST = [
  'test/e2e/install.test.ts',
  'test/e2e/optimize-spend.test.ts',
  'test/e2e/cache-damage.test.ts',
  'test/e2e/examples.test.ts',
  'test/sim/sim-optimizer.test.ts',
  'test/e2e/bench.test.ts',
  'test/e2e/concurrent-runs.test.ts',
  'test/e2e/optimize-runs.test.ts',
];

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const at = SLOWEST.findIndex((path) => file.moduleId.endsWith(path));
      return at < 0 ? SLOWEST.length : at;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b)); // stable: the rest keep vitest's order
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ['test/support/temp-root.ts', 'test/support/fresh-build.ts'],
    alias: [{ find: /^(\.{1,2}\/(?:\.\.\/)*)src\/(.*)\.js$/, replacement: '$1dist/$2.js' }],
    server: { deps: { external: [/\/dist\//] } },
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: SlowestFirst },
  },
});
