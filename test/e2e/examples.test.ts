/**
 * The bundled examples, run as a new user would type the commands (on a temp copy, so the
 * repository is not written to): the CI-gate example passes `eval`, and both optimize examples
 * improve their prompt offline.
 */
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'promptopt-examples-'));
  await cp(join(ROOT, 'examples'), join(work, 'clone', 'examples'), { recursive: true, filter: (src) => !/prompt-versions|\.promptopt/.test(src) });
  await cp(join(ROOT, 'evals'), join(work, 'clone', 'evals'), { recursive: true });
  // Like a clone: a git work tree, so evals/poem-sentiment.yaml may read ../examples (a spec reads
  // only inside the work tree that holds it, and a home folder is never one: see hostile-spec.test.ts).
  await mkdir(join(work, 'clone', '.git'), { recursive: true });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('bundled examples', () => {
  it('the CI-gate example passes promptopt eval on its held-out split', async () => {
    for (const spec of ['examples/poem-sentiment/task.yaml', 'evals/poem-sentiment.yaml']) {
      const result = await runCli(['eval', spec, '--split', 'test', '--json'], { cwd: join(work, 'clone'), home: work });
      expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('few held-out cases'); // 60 validation and 90 test cases
      const doc = JSON.parse(result.stdout) as { passed: boolean; score: number; target: { simulated: boolean } };
      expect(doc.passed).toBe(true);
      expect(doc.score).toBeGreaterThanOrEqual(0.28);
      expect(doc.target.simulated).toBe(true);
    }
  });

  it.each(['banking77', 'snips-extraction'])('optimize improves the %s prompt offline and writes versions and reports', async (name) => {
    const result = await runCli(['optimize', `examples/${name}/task.yaml`, '--json', '--max-iterations', '3'], { cwd: join(work, 'clone'), home: work });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      best_version: number;
      scores: { start: { train: { score: number } }; final: { train: { score: number }; test: { total: number } } };
      reports: { markdown: string };
    };
    expect(summary.scores.final.train.score).toBeGreaterThan(summary.scores.start.train.score + 0.2);
    expect(summary.best_version).toBeGreaterThan(1);
    expect(summary.scores.final.test.total).toBeGreaterThanOrEqual(40);
  }, 60_000);
});
