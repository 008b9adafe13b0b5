/**
 * Selection that generalizes, end to end through the CLI against the fake server (target via the
 * OpenAI SDK, optimizer via the Anthropic SDK; see helpers/optimize-harness.ts: the target answers a
 * case right iff the prompt has a `RULE:<label>` line for its label). Each run is scripted so that
 * train and validation disagree on purpose.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli } from './helpers/cli.js';
import {
  group,
  hasRule,
  optimize,
  optimizeSpec,
  readJson,
  readVersions,
  reply,
  runDirs,
  START_PROMPT,
  startWorld,
  withoutRule,
  withRules,
  writeTask,
  type OptimizeWorld,
  type OptimizerScript,
  type TaskCase,
} from './helpers/optimize-harness.js';

let dir: string;
let world: OptimizeWorld | undefined;

beforeEach(async () => {
  dir = await makeTempDir('promptopt-opt-select-');
});

afterEach(async () => {
  await world?.close();
  world = undefined;
  await removeDir(dir);
});

/** report.json's candidate rows of one iteration. */
function candidatesOf(report: Record<string, any>, iteration: number, phase = 'train'): Record<string, any>[] {
  return (report.trajectory as Record<string, any>[]).find((t) => t.iteration === iteration && t.phase === phase)!.candidates;
}

/** The optimizer's reply per request of an iteration: the first request for a current prompt gets `first`, the next `second`. */
function perCandidate(first: (current: string) => string, second: (current: string) => string): OptimizerScript {
  const seen = new Map<string, number>();
  return (r) => {
    const current = r.current!;
    const n = seen.get(current) ?? 0;
    seen.set(current, n + 1);
    return n === 0 ? reply(first(current), 'first idea') : reply(second(current), 'second idea');
  };
}

describe('optimize: selection that generalizes', () => {
  test('a training candidate that raises train but lowers validation beyond noise is not adopted', async () => {
    // Validation holds 6 charlie cases the start passes; one candidate trades the charlie rule for
    // both train rules (train 0 → 6/6, validation 6/6 → 0/6: McNemar p = 0.031), the other adds alpha only.
    const cases: TaskCase[] = [...group('alpha', 'train', 3), ...group('bravo', 'train', 3), ...group('charlie', 'validation', 6), ...group('charlie', 'test', 1)];
    const start = withRules(START_PROMPT, ['charlie']);
    world = await startWorld({
      cases,
      optimizer: perCandidate(
        (current) => withRules(withoutRule(current, 'charlie'), ['alpha', 'bravo']),
        (current) => withRules(current, ['alpha']),
      ),
    });
    await writeTask(dir, optimizeSpec(cases, { prompt: start, optimizer: { max_iterations: 1, candidates: 2 } }));
    const result = await optimize(world, dir, ['--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);
    const report = await readJson(summary.reports.json);
    const [overfit, honest] = [...candidatesOf(report, 1)].sort((a, b) => b.train - a.train);
    expect(overfit).toMatchObject({ status: 'hurts_validation', train: 1, validation: 0 });
    expect(overfit!.reason).toMatch(/lowered validation 100\.0% → 0\.0%, more than noise \(McNemar p=0\.031, fixed 0, broke 6\)/);
    expect(honest).toMatchObject({ status: 'accepted', train: 0.5, validation: 1 });
    expect(report.trajectory[0].accepted).toBe(honest!.id);
    // The overfitting prompt is no version; the final one keeps charlie and passes the held-out test.
    const versions = await readVersions(dir);
    expect(versions).toHaveLength(2);
    expect(versions.every((v) => hasRule(v.text, 'charlie'))).toBe(true);
    expect(summary.scores.final).toMatchObject({ train: { passed: 3 }, validation: { passed: 6 }, test: { passed: 1, total: 1 } });
    // Train below validation: no gap warning.
    expect(summary.generalization).toEqual({ objective: 'pass_rate', gap_validation_points: -50, gap_test_points: -50, warning: null });
    expect(await readFile(summary.reports.markdown, 'utf8')).toMatch(/`i1c\d` \*\*hurts_validation\*\*/);
  });

  test('the final version is the best on validation among those not significantly worse on train, not the last train-best; no call after the test split, even under --no-cache', async () => {
    // v2 adds alpha and charlie (train 3/4, validation 4/6); v3 then adds bravo but drops charlie
    // (train 4/4, validation 2/6: 2 cases lost, within noise, so it is adopted). v2 is 1 train case
    // below v3 (not significant) and best on validation: the final version, and the one the test scores.
    const cases: TaskCase[] = [
      ...group('alpha', 'train', 3),
      ...group('bravo', 'train', 1),
      ...group('alpha', 'validation', 2),
      ...group('charlie', 'validation', 2),
      ...group('delta', 'validation', 2),
      ...group('charlie', 'test', 1),
    ];
    world = await startWorld({
      cases,
      optimizer: (r) =>
        hasRule(r.current!, 'alpha')
          ? reply(withRules(withoutRule(r.current!, 'charlie'), ['bravo']), 'bravo instead of charlie')
          : reply(withRules(r.current!, ['alpha', 'charlie']), 'alpha and charlie'),
    });
    await writeTask(dir, optimizeSpec(cases, { optimizer: { max_iterations: 3 } }));
    const result = await optimize(world, dir, ['--json', '--no-cache']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);
    expect(summary.stop_reason).toBe('converged');
    expect(summary.best_version).toBe(2);
    expect(summary.selection).toMatchObject({ by: 'validation', version: 2 });
    expect(summary.scores.final).toEqual({
      train: { score: 0.75, pass_rate: 0.75, mean_score: 0.75, passed: 3, total: 4, unchecked: 0 },
      validation: { score: 4 / 6, pass_rate: 4 / 6, mean_score: 4 / 6, passed: 4, total: 6, unchecked: 0 },
      test: { score: 1, pass_rate: 1, mean_score: 1, passed: 1, total: 1, unchecked: 0 },
    });
    const versions = await readVersions(dir);
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(versions[2]!.meta.scores).toMatchObject({ train: 1, validation: 2 / 6 }); // v3 was adopted, then not chosen
    expect(versions[1]!.meta.scores).toMatchObject({ train: 0.75, validation: 4 / 6, test: 1 });
    const report = await readJson(summary.reports.json);
    expect(report.selection.entries.map((e: Record<string, unknown>) => [e.version, e.eligible])).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
    expect(report.final_prompt).toBe(versions[1]!.text);
    expect(await readFile(summary.reports.markdown, 'utf8')).toContain('## Final selection');

    // Every case result of the final version reached cases.json without a replay: 10 + 10 + 10
    // target calls for the baseline and two iterations (train then validation), 1 for the test, none after.
    const targets = world.targetRequests();
    expect(targets).toHaveLength(31);
    expect(targets.at(-1)!.caseId).toBe('te-charlie-01');
    const saved = await readJson(join(summary.run_dir, 'cases.json'));
    expect(saved.prompt_version).toBe(2);
    expect(saved.cases.map((c: { case_id: string }) => c.case_id).sort()).toEqual(cases.map((c) => c.id).sort());
    expect(result.stderr).not.toContain('response cache');

    // compare re-scores every version on validation: the chosen one is the best there.
    const compared = await runCli(['compare', 'task.yaml', '--versions', 'v1,v2,v3', '--split', 'validation', '--json', '--min-cases', '1'], { cwd: dir, env: world.env() });
    expect(compared.code, compared.stderr).toBe(0);
    const rates = Object.fromEntries((parseJsonOut(compared).pairs as { version: string; pass_rate: number }[]).map((p) => [p.version, p.pass_rate]));
    expect(Math.max(...Object.values(rates))).toBe(rates.v2);
  });

  test('a lateral move writes no version, and the trajectory and reports say it was recorded, not adopted', async () => {
    const cases: TaskCase[] = [...group('alpha', 'train', 2), ...group('bravo', 'train', 2), ...group('alpha', 'validation', 2), ...group('alpha', 'test', 1)];
    const start = withRules(START_PROMPT, ['alpha']);
    world = await startWorld({ cases, optimizer: (r) => reply(`Be precise (${r.n}).\n${r.current}`, 'reword the opening') });
    await writeTask(dir, optimizeSpec(cases, { prompt: start, optimizer: { max_iterations: 2, patience: 5 } }));
    const result = await optimize(world, dir, []);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('after 2 training + 0 validation iterations (2 lateral moves recorded, not adopted)');
    expect(result.stderr).toMatch(/train iteration 1: 50\.0% → 50\.0% · lateral i1c1: the same score on every split, recorded, not adopted/);
    expect((await readVersions(dir)).map((v) => v.text)).toEqual([start]);
    const [run] = await runDirs(dir);
    const report = await readJson(join(run!, 'report.json'));
    expect(report.trajectory.map((t: Record<string, unknown>) => [t.lateral_id, t.accepted])).toEqual([
      ['i1c1', undefined],
      ['i2c1', undefined],
    ]);
    expect(report.iterations).toEqual({ train: 2, validation: 0, lateral: 2 });
    const markdown = await readFile(join(run!, 'report.md'), 'utf8');
    expect(markdown).toContain('it is recorded here, not adopted (the current prompt stays, no version is written)');
    expect(markdown).toMatch(/`i1c1` \*\*lateral\*\* .* lateral move: the same score on every split \(train 50\.0%, validation 100\.0%\); recorded, not adopted/);
    expect(await readFile(join(run!, 'report.html'), 'utf8')).toContain('(recorded, not adopted)');
  });

  test('--accept significant applies in the validation phase: a validation gain without paired evidence is not adopted there', async () => {
    // Train is 3/3 from the start (converged at once); the validation candidate adds charlie: 2 fixed, none broken (p = 0.5).
    const cases: TaskCase[] = [...group('alpha', 'train', 3), ...group('alpha', 'validation', 2), ...group('charlie', 'validation', 2), ...group('alpha', 'test', 1)];
    const start = withRules(START_PROMPT, ['alpha']);
    world = await startWorld({ cases, optimizer: (r) => reply(withRules(r.current!, ['charlie']), 'add charlie') });
    const spec = optimizeSpec(cases, { prompt: start, optimizer: { validation_iterations: 1 } });
    await writeTask(dir, spec);
    const significant = parseJsonOut(await optimize(world, dir, ['--json', '--accept', 'significant']));
    const report = await readJson(significant.reports.json);
    const [candidate] = candidatesOf(report, 1, 'validation');
    expect(candidate).toMatchObject({ status: 'not_significant', validation: 1 });
    expect(candidate!.reason).toBe('validation gain not significant (McNemar p=0.500, fixed 2, broke 0)');
    expect(significant.best_version).toBe(significant.start_version);

    // The same run scored by score alone adopts it.
    const byScore = await makeTempDir('promptopt-opt-select-score-');
    try {
      await writeTask(byScore, spec);
      const scored = parseJsonOut(await optimize(world, byScore, ['--json', '--accept', 'score']));
      expect(candidatesOf(await readJson(scored.reports.json), 1, 'validation')[0]).toMatchObject({ status: 'accepted', validation: 1 });
      expect(scored.best_version).toBe(2);
    } finally {
      await removeDir(byScore);
    }
  });

  test('without a validation split the report says selection used train only; a gap over 15 points is a warning everywhere', async () => {
    const cases: TaskCase[] = [...group('alpha', 'train', 2), ...group('bravo', 'train', 2), ...group('charlie', 'test', 2)];
    world = await startWorld({ cases, optimizer: (r) => reply(withRules(r.current!, r.shownLabels), 'rules for what failed') });
    await writeTask(dir, optimizeSpec(cases, { optimizer: { max_iterations: 2 } }));
    const result = await optimize(world, dir, []);
    expect(result.code, result.stderr).toBe(0);
    // Train 100%, held-out test 0% (charlie is never shown): the gap, and the warning in plain words.
    expect(result.stdout).toContain('gap         train − test +100.0 pts');
    expect(result.stdout).toMatch(/⚠ train is 100\.0 points above the held-out test \(more than 15\): the prompt fits the cases it was tuned on much better than cases it never saw/);
    expect(result.stdout).toContain('there is no validation split, so selection used train only');
    const [run] = await runDirs(dir);
    const report = await readJson(join(run!, 'report.json'));
    expect(report.selection).toMatchObject({ by: 'train' });
    expect(report.generalization).toMatchObject({ train: 1, test: 0, test_points: 100 });
    const markdown = await readFile(join(run!, 'report.md'), 'utf8');
    expect(markdown).toContain('Selection used train only: the task has no validation split');
    expect(markdown).toContain('- **⚠ Warning:** train is 100.0 points above the held-out test');
    expect(await readFile(join(run!, 'report.html'), 'utf8')).toContain('class="gap warning"');
  });

  test('the live view shows the gap, and says "best validation" in the validation phase', async () => {
    const cases: TaskCase[] = [...group('alpha', 'train', 2), ...group('alpha', 'validation', 2), ...group('bravo', 'validation', 2), ...group('alpha', 'test', 1)];
    world = await startWorld({ cases, optimizer: (r) => reply(withRules(r.current!, ['alpha']), 'alpha') });
    await writeTask(dir, optimizeSpec(cases, { optimizer: { max_iterations: 1, validation_iterations: 1 } }));
    const result = await runCli(['optimize', 'task.yaml'], { cwd: dir, env: world.env(), tty: { columns: 200 } });
    expect(result.code, result.stderr).toBe(0);
    const drawn = (result.drawn ?? []).join('');
    expect(drawn).toMatch(/train · iteration 1\/1 .*best train 0\.0% · validation 0\.0%/);
    expect(drawn).toMatch(/validation · iteration 1\/1 .*best validation 50\.0% · train 100\.0% · gap train − validation \+50\.0 pts/);
    expect(drawn).toContain('⚠ train is 50.0 points above validation (more than 15)');
  });
});
