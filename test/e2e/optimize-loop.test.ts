/**
 * The optimize loop end to end, through the built CLI against the fake LLM server: the target via the
 * OpenAI SDK (`openai-compatible`), the optimizer via the Anthropic SDK. Both sides are scripted (see
 * helpers/optimize-harness.ts): the target answers a case right iff the prompt has a `RULE:<label>`
 * line for its group; the optimizer adds rules for the failing labels it is shown.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir } from './helpers/cli.js';
import {
  fixOneShown,
  fixShown,
  group,
  optimize,
  optimizeSpec,
  readJson,
  readVersions,
  reply,
  START_PROMPT,
  startWorld,
  withoutRule,
  withRules,
  writeTask,
  type OptimizeWorld,
  type TaskCase,
} from './helpers/optimize-harness.js';

const CASES: TaskCase[] = [
  ...group('alpha', 'train', 3),
  ...group('bravo', 'train', 3),
  ...group('charlie', 'train', 3),
  ...group('alpha', 'validation', 1),
  ...group('bravo', 'validation', 1),
  ...group('charlie', 'test', 2),
];

let world: OptimizeWorld;
let dir: string;

beforeEach(async () => {
  world = await startWorld({ cases: CASES, optimizer: fixOneShown });
  dir = await makeTempDir('promptopt-opt-loop-');
});

afterEach(async () => {
  await world.close();
  await removeDir(dir);
});

/** report.json's candidate rows of one iteration. */
function candidatesOf(report: Record<string, any>, iteration: number, phase = 'train'): Record<string, any>[] {
  const row = (report.trajectory as Record<string, any>[]).find((t) => t.iteration === iteration && t.phase === phase);
  if (!row) throw new Error(`no ${phase} iteration ${iteration} in report.json`);
  return row.candidates as Record<string, any>[];
}

describe('optimize: the loop', () => {
  test('reaches 100% train: stop reason converged, versions v1..vN with diffs, reports, exit 0', async () => {
    await writeTask(dir, optimizeSpec(CASES, { optimizer: { max_iterations: 6 } }));
    const result = await optimize(world, dir, ['--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);
    expect(summary.stop_reason).toBe('converged');
    // One label fixed per iteration: three iterations from 0/9 to 9/9.
    expect(summary.iterations).toBe(3);
    expect(summary.scores.start.train).toEqual({ score: 0, passed: 0, total: 9, pass_rate: 0, mean_score: 0, unchecked: 0 });
    expect(summary.scores.final.train).toEqual({ score: 1, passed: 9, total: 9, pass_rate: 1, mean_score: 1, unchecked: 0 });
    expect(summary.scores.final.test).toEqual({ score: 1, passed: 2, total: 2, pass_rate: 1, mean_score: 1, unchecked: 0 });
    expect(summary.start_version).toBe(1);
    expect(summary.best_version).toBe(4);

    const versions = await readVersions(dir);
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3, 4]);
    expect(versions[0]!.text).toBe(START_PROMPT);
    expect(versions[0]!.diff).toBeUndefined();
    for (const [i, label] of ['alpha', 'bravo', 'charlie'].entries()) {
      const v = versions[i + 1]!;
      expect(v.meta.parent).toBe(i + 1);
      expect(v.diff).toContain(`+RULE:${label}`);
      expect(v.meta.hypothesis).toBe(`add a rule for ${label}`);
    }
    // A candidate is a text file's text: the optimizer's prompt with one final newline.
    expect(versions[3]!.text).toBe(`${withRules(START_PROMPT, ['alpha', 'bravo', 'charlie'])}\n`);
    expect(summary.best_version_file).toBe(join(dir, 'prompt-versions', 'v4.txt'));

    expect(existsSync(summary.reports.markdown)).toBe(true);
    expect(existsSync(summary.reports.json)).toBe(true);
    const report = await readJson(summary.reports.json);
    expect(report.stop_reason).toBe('converged');
    expect(report.final_prompt).toBe(versions[3]!.text);
    expect((report.trajectory as unknown[]).length).toBe(3);
  });

  test('a regression candidate is rejected and the current version stays', async () => {
    const start = withRules(START_PROMPT, ['alpha', 'bravo']); // 6/9
    const worse = withoutRule(start, 'alpha'); // 3/9
    world.setOptimizer(() => reply(worse, 'drop the alpha rule'));
    await writeTask(dir, optimizeSpec(CASES, { prompt: start, optimizer: { max_iterations: 1 } }));
    const result = await optimize(world, dir, ['--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);
    expect(summary.stop_reason).toBe('max_iterations');
    expect(summary.best_version).toBe(summary.start_version);
    expect(summary.scores.final.train).toEqual(summary.scores.start.train);

    const report = await readJson(summary.reports.json);
    const [candidate] = candidatesOf(report, 1);
    expect(candidate).toMatchObject({ status: 'rejected', train: 3 / 9, broken: 3 });
    expect(report.trajectory[0].accepted).toBeUndefined();
    expect(report.final_prompt).toBe(start);
    expect((await readVersions(dir)).map((v) => v.text)).toEqual([start]);
  });

  test('two candidates tied on train: the other is rejected as tied, naming the winner and what decided', async () => {
    const better = withRules(START_PROMPT, ['alpha']); // 3/9 both
    world.setOptimizer((r) => reply(r.n === 0 ? `${better}\nBe thorough and careful with every single ticket.` : better, 'add the alpha rule'));
    await writeTask(dir, optimizeSpec(CASES, { optimizer: { max_iterations: 1, candidates: 2 } }));
    const result = await optimize(world, dir, ['--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = await readJson(parseJsonOut(result).reports.json);
    const rows = candidatesOf(report, 1);
    const winner = rows.find((c) => c.status === 'accepted')!;
    const tied = rows.find((c) => c.status === 'rejected')!;
    expect(tied.reason).toMatch(new RegExp(`^tied with ${winner.id} on train \\(33\\.3%\\), which won on `));
  });

  test('adaptive acceptance: an equal score is rejected below 10%, recorded as a lateral move (no version) above it', async () => {
    // Low: 0/9 at the start; the candidate is reworded but still 0/9.
    world.setOptimizer((r) => reply(`Be precise.\n${r.current}`, 'reword'));
    await writeTask(dir, optimizeSpec(CASES, { optimizer: { max_iterations: 1, strict_below: 0.1 } }));
    const low = parseJsonOut(await optimize(world, dir, ['--json']));
    const lowReport = await readJson(low.reports.json);
    const [rejected] = candidatesOf(lowReport, 1);
    expect(rejected).toMatchObject({ status: 'rejected', train: 0 });
    expect(rejected!.reason).toMatch(/below 10\.0% only strict gains/);
    expect(lowReport.trajectory[0].lateral).toBe(false);
    expect(low.best_version).toBe(low.start_version);

    // High: 6/9 at the start; the reworded candidate keeps 6/9 on train and 2/2 on validation: a
    // lateral move, recorded in the trajectory, not adopted (the start stays current, no version).
    const highDir = await makeTempDir('promptopt-opt-lateral-');
    try {
      const start = withRules(START_PROMPT, ['alpha', 'bravo']);
      await writeTask(highDir, optimizeSpec(CASES, { prompt: start, optimizer: { max_iterations: 1, strict_below: 0.1 } }));
      const high = parseJsonOut(await optimize(world, highDir, ['--json']));
      const report = await readJson(high.reports.json);
      const [lateral] = candidatesOf(report, 1);
      expect(lateral).toMatchObject({ status: 'lateral', train: 6 / 9, validation: 1 });
      expect(lateral!.reason).toMatch(/lateral move: the same score on every split \(train 66\.7%, validation 100\.0%\); recorded, not adopted/);
      expect(report.trajectory[0]).toMatchObject({ lateral: true, lateral_id: lateral!.id, score_before: 6 / 9, score_after: 6 / 9 });
      expect(report.trajectory[0].accepted).toBeUndefined();
      expect(high.best_version).toBe(high.start_version);
      expect(report.final_prompt).toBe(start);
      expect((await readVersions(highDir)).map((v) => v.text)).toEqual([start]);
    } finally {
      await removeDir(highDir);
    }
  });

  test('memory: the second iteration\'s request carries the accumulated lessons and iteration 1\'s summary', async () => {
    await writeTask(dir, optimizeSpec(CASES, { optimizer: { max_iterations: 2 } }));
    const result = await optimize(world, dir, ['--json']);
    expect(result.code, result.stderr).toBe(0);
    const [first, second] = world.optimizerRequests();
    expect(first!.text).toContain('# Optimization memory\nNo earlier iterations yet.');
    expect(first!.text).not.toContain('Accumulated lessons');
    expect(second!.text).toContain('# Optimization memory\nAccumulated lessons:');
    expect(second!.text).toMatch(/• ✓ add a rule for alpha → train 0%→33%/);
    expect(second!.text).toContain('Iteration 1 (train): ✓ ACCEPTED');
    expect(second!.text).toContain('  Change made: add a rule for alpha');
    expect(second!.text).toContain('  Result: 0.0% → 33.3%; fixed 3, broke 0');
  });

  test('--no-feedback: an optimizer that only fixes what it is shown makes no progress', async () => {
    world.setOptimizer(fixShown);
    await writeTask(dir, optimizeSpec(CASES, { optimizer: { max_iterations: 3, patience: 3, candidates: 3, validation_iterations: 1 } }));
    const ablated = parseJsonOut(await optimize(world, dir, ['--json', '--no-feedback']));
    expect(ablated.scores.final.train).toEqual(ablated.scores.start.train);
    expect(ablated.best_version).toBe(ablated.start_version);
    expect(['patience', 'max_iterations']).toContain(ablated.stop_reason);
    const requests = world.optimizerRequests();
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.some((r) => r.text.includes('Every training case that passes now must keep passing'))).toBe(true); // validation phase too
    for (const r of requests) {
      expect(r.text).toContain('Failure details withheld: --no-feedback');
      // Nothing about the failures: no case, no label, no target output, not even in the directions.
      expect(r.text).not.toMatch(/^\s*expected: "/m);
      expect(r.text).not.toMatch(/alpha|bravo|charlie|undecided-|wrong_answer/);
    }

    // The same task with feedback converges (a fresh folder: nothing shared with the ablation).
    const withFeedback = await makeTempDir('promptopt-opt-feedback-');
    try {
      await writeTask(withFeedback, optimizeSpec(CASES, { optimizer: { max_iterations: 3, patience: 3 } }));
      const full = parseJsonOut(await optimize(world, withFeedback, ['--json']));
      expect(full.stop_reason).toBe('converged');
      expect(full.scores.final.train.score).toBe(1);
    } finally {
      await removeDir(withFeedback);
    }
  });
});
