/**
 * The spec's objective through `optimize` and `compare`, against the loopback server: a task where no
 * prompt passes a case (a slot-F1-like check never passes) but a better prompt earns more partial
 * credit. On the pass rate nothing is gained; on the mean score the better prompt is adopted, with
 * `--accept significant` resting on a paired bootstrap of the case scores; named metrics are reported
 * per split in the summary JSON and the reports. `compare` ranks and decides by the objective too.
 *
 * The target answers `better` when the prompt has a `BETTER` line (for every case, or only for the
 * cases `helped` names), `partial` otherwise; the check scores `better` 0.8 and `partial` 0.2, and
 * never passes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli } from './helpers/cli.js';
import {
  group,
  optimize,
  optimizeSpec,
  readCheckpointOf,
  readVersions,
  reply,
  runDirs,
  START_PROMPT,
  startWorld,
  writeTask,
  type OptimizeWorld,
} from './helpers/optimize-harness.js';

const CASES = [...group('alpha', 'train', 20), ...group('alpha', 'test', 10)];
const F1 = "output === 'better' ? { pass: false, score: 0.8, reason: 'most slots' } : { pass: false, score: 0.2, reason: 'few slots' }";
const hasBetter = (prompt: string) => prompt.split('\n').some((line) => line.trim() === 'BETTER');
/** The start prompt with a BETTER line (before the ticket). */
const BETTER_PROMPT = START_PROMPT.replace('\n\nTicket:', '\nBETTER\n\nTicket:');

/** Sums of 0.2s are not exactly 0.2. */
const near = (value: number) => expect.closeTo(value, 12);

let world: OptimizeWorld;
let dir: string;
/** Case ids the BETTER line helps; undefined: every case. */
let helped: Set<string> | undefined;

beforeAll(async () => {
  world = await startWorld({
    cases: CASES,
    target: (prompt, testCase) => (hasBetter(prompt) && (!helped || helped.has(testCase.id)) ? 'better' : 'partial'),
    // Adds the BETTER line once; then proposes the prompt it was given (nothing new to try).
    optimizer: (r) => reply(r.current && hasBetter(r.current) ? r.current : BETTER_PROMPT, 'ask for every slot'),
  });
});
afterAll(() => world.close());
beforeEach(async () => {
  helped = undefined;
  dir = await makeTempDir('promptopt-objective-');
});
afterEach(() => removeDir(dir));

function task(extra: Record<string, unknown> = {}, optimizer: Record<string, unknown> = {}): Record<string, unknown> {
  return optimizeSpec(CASES, {
    optimizer: { max_iterations: 2, patience: 2, candidates: 1, validation_iterations: 0, ...optimizer },
    extra: { defaults: { assert: [{ type: 'javascript', value: F1, metric: 'slot_f1' }] }, ...extra },
  });
}

describe('optimize: the objective decides acceptance', () => {
  it('on the pass rate a prompt that only earns partial credit is not adopted', async () => {
    await writeTask(dir, task());
    const result = await optimize(world, dir, ['--json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = parseJsonOut(result);
    expect(doc.objective).toBe('pass_rate');
    expect(doc.best_version).toBe(doc.start_version);
    expect(doc.scores.final.train).toMatchObject({ score: 0, pass_rate: 0, mean_score: near(0.2), passed: 0, total: 20 });
    expect((await readVersions(dir)).map((v) => v.text)).toEqual([START_PROMPT]);
    const checkpoint = (await readCheckpointOf(dir))!;
    const first = checkpoint.iterations[0].candidates[0];
    expect(first.status).toBe('rejected');
    expect(first.reason).toMatch(/no improvement at 0\.0%/);
  });

  it('on the mean score it is adopted, `--accept significant` resting on the paired bootstrap; metrics per split in the summary and reports', async () => {
    await writeTask(dir, task({ objective: 'mean_score' }));
    const result = await optimize(world, dir, ['--json', '--accept', 'significant']);
    expect(result.code, result.stderr).toBe(0);
    const doc = parseJsonOut(result);
    expect(doc.objective).toBe('mean_score');
    expect(doc.best_version).toBeGreaterThan(doc.start_version);
    const versions = await readVersions(dir);
    expect(versions.find((v) => v.version === doc.best_version)!.text).toBe(`${BETTER_PROMPT}\n`); // a written version ends with a newline
    expect(doc.scores.start.train).toMatchObject({ score: near(0.2), pass_rate: 0, mean_score: near(0.2) });
    expect(doc.scores.final.train).toMatchObject({ score: near(0.8), pass_rate: 0, mean_score: near(0.8), passed: 0 });
    expect(doc.scores.final.test).toMatchObject({ score: near(0.8), mean_score: near(0.8), total: 10 });

    const checkpoint = (await readCheckpointOf(dir))!;
    const accepted = checkpoint.iterations[0].candidates[0];
    expect(accepted.status).toBe('accepted');
    expect(accepted.train).toMatchObject({ objective: 'mean_score', score: near(0.8), passRate: 0, meanScore: near(0.8) });

    // Named metrics, per split: start and final on train, final on the held-out test.
    expect(doc.metrics).toEqual([
      { name: 'slot_f1', split: 'train', start: { cases: 20, passed: 0, score: near(0.2) }, final: { cases: 20, passed: 0, score: near(0.8) } },
      { name: 'slot_f1', split: 'test', start: null, final: { cases: 10, passed: 0, score: near(0.8) } },
    ]);
    const [run] = await runDirs(dir);
    const markdown = await readFile(join(run!, 'report.md'), 'utf8');
    expect(markdown).toContain('## Pass rate and mean score');
    expect(markdown).toMatch(/\| train \| 0\.0% → 0\.0% \| 20\.0% → 80\.0% \| 0 \|/);
    expect(markdown).toMatch(/\| `slot_f1` \| train \| 20\.0% \(0\/20 passed\) \| 80\.0% \(0\/20 passed\) \|/);
    const html = await readFile(join(run!, 'report.html'), 'utf8');
    expect(html).toContain('<th class="num">mean score (objective)</th>');
    expect(html).toContain('<td><code>slot_f1</code></td><td>test (held out)</td><td class="num">—</td><td class="num">80.0% (0/10 passed)</td>');
    const json = JSON.parse(await readFile(join(run!, 'report.json'), 'utf8'));
    expect(json.objective).toBe('mean_score');
    expect(json.metrics[0]).toMatchObject({ name: 'slot_f1', split: 'train', final: { score: near(0.8) } });
  });

  it('on the mean score with `--accept significant`, a gain on one case of 20 is not significant (paired bootstrap)', async () => {
    helped = new Set(['tr-alpha-01']);
    await writeTask(dir, task({ objective: 'mean_score' }, { max_iterations: 1 }));
    const result = await optimize(world, dir, ['--json', '--accept', 'significant']);
    expect(result.code, result.stderr).toBe(0);
    const checkpoint = (await readCheckpointOf(dir))!;
    const candidate = checkpoint.iterations[0].candidates[0];
    expect(candidate.train.score).toBeCloseTo(0.23, 12); // (0.8 + 19 × 0.2) / 20: higher...
    expect(candidate.status).toBe('not_significant'); // ...but not by more than noise
    expect(candidate.reason).toMatch(/^train gain not significant \(paired bootstrap p=0\.\d+, mean score \+3\.0 points on 20 cases\)$/);
    expect(parseJsonOut(result).best_version).toBe(1);
  });
});

describe('compare: the objective ranks and decides', () => {
  const compare = (args: string[]) =>
    runCli(['compare', 'task.yaml', '--versions', 'current,better.md', '--split', 'all', '--resamples', '2000', ...args], { cwd: dir, env: world.env() });

  it('on the pass rate McNemar sees no flip; on the mean score the paired bootstrap calls the better prompt better', async () => {
    await writeFile(join(dir, 'better.md'), BETTER_PROMPT);
    await writeTask(dir, task());
    const byPassRate = await compare(['--json']);
    expect(byPassRate.code, byPassRate.stderr).toBe(0);
    const a = parseJsonOut(byPassRate);
    expect(a.objective).toBe('pass_rate');
    expect(a.comparisons[0]).toMatchObject({ test: 'mcnemar_exact', verdict: 'no_significant_difference', bootstrap: null, pass_rate_difference: 0 });
    expect(a.comparisons[0].score_difference).toBeCloseTo(0.6, 12);

    await writeTask(dir, task({ objective: 'mean_score' }));
    const byMeanScore = await compare(['--json']);
    expect(byMeanScore.code, byMeanScore.stderr).toBe(0);
    const b = parseJsonOut(byMeanScore);
    expect(b.comparisons[0]).toMatchObject({ test: 'paired_bootstrap', verdict: 'better', n: 30, bootstrap: { resamples: 2000 } });
    expect(b.comparisons[0].bootstrap.mean_difference).toBeCloseTo(0.6, 12);
    expect(b.per_model[0].ranking).toEqual(['better.md', 'current']);
    const pairs = Object.fromEntries((b.pairs as any[]).map((p) => [p.version, p]));
    expect(pairs['current']).toMatchObject({ pass_rate: 0, unchecked: 0, metrics: [{ name: 'slot_f1', cases: 30, passed: 0, score: near(0.2) }] });
    expect(pairs['better.md'].score).toBeCloseTo(0.8, 12);
    expect(pairs['better.md'].metrics[0].score).toBeCloseTo(0.8, 12);

    const html = await readFile(b.report_html, 'utf8');
    expect(html).toContain('<h2>Named metrics</h2>');
    expect(html).toContain('a paired bootstrap of the mean score difference (the objective is the mean score)');
    const text = await compare([]);
    expect(text.stdout).toMatch(/^pair\s+pass rate\s+95% CI\s+mean score \*/m);
    expect(text.stdout).toMatch(/^slot_f1\s+better\.md@openai-compatible:fake-target-1\s+0\/30\s+80\.0%$/m);
    expect(text.stdout).toMatch(/better\.md@openai-compatible:fake-target-1: better \(.*Δ mean score \+60\.0 pts/);
  });
});
