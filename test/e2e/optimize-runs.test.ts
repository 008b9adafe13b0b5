/**
 * How an optimize run stops and continues, end to end through the CLI against the fake server:
 * a budget stop, an abrupt kill -9 and `--resume latest`, Ctrl-C, `--dry-run`, a missing split.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { exists, makeTempDir, parseJsonOut, removeDir } from './helpers/cli.js';
import {
  fixOneShown,
  fixShownVariant,
  group,
  holdRequests,
  optimize,
  optimizeDetached,
  optimizeSpec,
  readCheckpointOf,
  readJson,
  readVersions,
  runDirs,
  START_PROMPT,
  startWorld,
  waitFor,
  withRules,
  writeTask,
  type OptimizeWorld,
  type TaskCase,
} from './helpers/optimize-harness.js';

const CASES: TaskCase[] = [
  ...group('alpha', 'train', 3),
  ...group('bravo', 'train', 3),
  ...group('charlie', 'train', 3),
  ...group('delta', 'train', 3),
  ...group('alpha', 'validation', 1),
  ...group('bravo', 'validation', 1),
  ...group('charlie', 'test', 2),
];

let dir: string;
let world: OptimizeWorld | undefined;

beforeEach(async () => {
  dir = await makeTempDir('promptopt-opt-runs-');
});

afterEach(async () => {
  await world?.close();
  world = undefined;
  await removeDir(dir);
});

describe('optimize: stopping and resuming', () => {
  test('the budget stops the run; exit 0 with the best version and the report written', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixOneShown });
    // Target: $1 per 1000 tokens, so a call (~30 tokens in, a few out) costs about $0.03; optimizer: a tenth of that.
    const price = { input_per_mtok: 1000, output_per_mtok: 1000 };
    const optimizerPrice = { input_per_mtok: 100, output_per_mtok: 100 };
    // max_tokens bound what a call may cost (its reservation): short answers, tight bounds.
    await writeTask(dir, optimizeSpec(CASES, { target: { price, max_tokens: 8 }, optimizer: { price: optimizerPrice, max_tokens: 512, max_iterations: 10, patience: 10 } }));
    const result = await optimize(world, dir, ['--json', '--max-cost', '2']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);
    expect(summary.stop_reason).toBe('budget');
    expect(summary.cost_incomplete).toBe(false);
    // Each paid call reserves an upper bound of its cost before it starts: the run stops short of the
    // budget (within one reservation) instead of overshooting by the calls in flight.
    expect(summary.cost_usd).toBeLessThanOrEqual(2);
    expect(summary.cost_usd).toBeGreaterThan(2 - 0.4);
    // It stopped early: not every label got its rule.
    expect(summary.scores.final.train.score).toBeLessThan(1);
    expect(summary.iterations).toBeGreaterThanOrEqual(1);
    expect(summary.best_version).toBeGreaterThanOrEqual(2); // iteration 1's gain was kept
    expect(await exists(summary.best_version_file)).toBe(true);
    const report = await readJson(summary.reports.json);
    expect(report.stop_reason).toBe('budget');
    expect(report.final_version.version).toBe(summary.best_version);
    expect(await exists(summary.reports.markdown)).toBe(true);
    expect(await readFile(summary.reports.markdown, 'utf8')).toContain('budget');
    // The checkpoint records the stop too.
    const checkpoint = await readCheckpointOf(dir);
    expect(checkpoint?.stopReason).toBe('budget');
  });

  test('a budget spent during the baseline still ends with exit 0, the start prompt as v1 and a report', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixOneShown });
    const price = { input_per_mtok: 1000, output_per_mtok: 1000 };
    await writeTask(dir, optimizeSpec(CASES, { target: { price }, optimizer: { price } }));
    // One call at a time: the budget is gone after two target calls, long before the baseline is done.
    const result = await optimize(world, dir, ['--json', '--max-cost', '0.05', '-j', '1']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);
    expect(summary.stop_reason).toBe('budget');
    expect(summary.iterations).toBe(0);
    expect(summary.best_version).toBe(1);
    expect(world.optimizerRequests()).toHaveLength(0);
    const versions = await readVersions(dir);
    expect(versions.map((v) => v.text)).toEqual([optimizeSpec(CASES).prompt]);
    expect(versions[0]!.meta.scores.train).toBeUndefined(); // not scored: no made-up 0%
    expect((await readJson(summary.reports.json)).stop_reason).toBe('budget');
    expect(await exists(summary.reports.markdown)).toBe(true);
  });

  test('resume after kill -9 repeats no completed call and duplicates no version', async () => {
    // No latency: the gate below holds the run where it is killed, whatever its pace.
    world = await startWorld({ cases: CASES, optimizer: fixOneShown });
    await writeTask(dir, optimizeSpec(CASES, { optimizer: { max_iterations: 8 } }));

    // Hold the 3rd target request of iteration 2's candidate (its prompt has two rules) until the
    // child is dead: with -j 1 every earlier call has completed (and been cached) by then.
    let held = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reachedGate!: () => void;
    const atGate = new Promise<void>((resolve) => (reachedGate = resolve));
    world.setHold((a) => {
      if (a.role !== 'target' || (a.prompt?.match(/^RULE:/gm) ?? []).length !== 2) return undefined;
      held += 1;
      if (held !== 3) return undefined;
      reachedGate();
      return gate;
    });

    const run = optimizeDetached(world, dir, ['-j', '1', '--quiet']);
    const checkpoint = await waitFor(async () => {
      const c = await readCheckpointOf(dir);
      return c && c.phase === 'train' && c.iteration >= 1 ? c : undefined;
    });
    expect(checkpoint.iteration).toBe(1);
    await atGate;
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.signal).toBe('SIGKILL');
    const before = world.seen.slice(); // answered before the kill (the held one is not among them)
    const completedTarget = before.filter((r) => r.role === 'target').map((r) => r.body);
    const completedOptimizer = before.filter((r) => r.role === 'optimizer').map((r) => r.body);
    expect(completedOptimizer).toHaveLength(2); // iterations 1 and 2
    release();
    await waitFor(() => (world!.seen.length > before.length ? true : undefined)); // the held answer went to a dead socket
    world.setHold(undefined);
    const afterKill = world.seen.length;

    const resumed = await optimize(world, dir, ['--resume', 'latest', '--json', '-j', '1']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = parseJsonOut(resumed);
    expect(summary.stop_reason).toBe('converged');
    expect(summary.scores.final.train.score).toBe(1);
    expect(summary.cache_hits).toBeGreaterThan(0);
    expect(await runDirs(dir)).toHaveLength(1);

    const after = world.seen.slice(afterKill);
    const afterBodies = new Set(after.map((r) => r.body));
    const repeatedTarget = completedTarget.filter((b) => afterBodies.has(b));
    expect(repeatedTarget, 'target requests completed before the kill were sent again').toEqual([]);
    const repeatedOptimizer = completedOptimizer.filter((b) => afterBodies.has(b));
    expect(repeatedOptimizer, 'optimizer requests completed before the kill were sent again').toEqual([]);
    // The resumed run did real work after the kill: the held call, the rest of iteration 2, then more.
    expect(after.some((r) => r.role === 'optimizer')).toBe(true);
    expect(after.filter((r) => r.role === 'target').length).toBeGreaterThan(0);

    const versions = await readVersions(dir);
    const folder = join(dir, 'prompt-versions');
    const promptFiles = (await readdir(folder)).filter((name) => /^v\d+\.txt$/.test(name));
    const texts = await Promise.all(promptFiles.map((name) => readFile(join(folder, name), 'utf8')));
    expect(texts.length).toBe(versions.length);
    expect(new Set(texts).size, 'two version files hold the same prompt').toBe(texts.length);
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3, 4, 5]); // start + one rule per label
    expect(versions.at(-1)!.version).toBe(summary.best_version);
  });

  test('Ctrl-C (SIGINT) writes the checkpoint and exits 130', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixOneShown });
    await writeTask(dir, optimizeSpec(CASES, { optimizer: { max_iterations: 8 } }));
    // The first optimizer request (the baseline is done) waits for its answer while Ctrl-C arrives:
    // the run is mid-training whatever the machine's pace.
    const held = holdRequests(world, 'optimizer');
    // In-process, Ctrl-C as the process entry delivers it (an abort with reason SIGINT); the signal
    // itself, to a real process, is signals.test.ts's.
    const ctrlC = new AbortController();
    const run = optimize(world, dir, ['-j', '1'], { signal: ctrlC.signal });
    await held.arrived;
    const baseline = await waitFor(async () => {
      const c = await readCheckpointOf(dir);
      return c && c.phase === 'train' ? c : undefined; // baseline done
    });
    expect(baseline.stopReason).toBeUndefined();
    ctrlC.abort('SIGINT');
    const result = await run;
    held.release();
    world.setHold(undefined);
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('interrupt');
    const checkpoint = await readCheckpointOf(dir);
    expect(checkpoint?.stopReason).toBe('interrupted');
    expect(checkpoint?.finishedAt).toBeUndefined();
    // ...and it can be resumed to the end.
    const resumed = await optimize(world, dir, ['--resume', 'latest', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(parseJsonOut(resumed).stop_reason).toBe('converged');
  });

  test('Ctrl-C in the validation phase, then --resume: the run ends with the training phase\'s stop reason', async () => {
    const cases = [...group('alpha', 'train', 3), ...group('bravo', 'train', 3), ...group('charlie', 'validation', 2), ...group('alpha', 'test', 1)];
    world = await startWorld({ cases, optimizer: fixShownVariant });
    // Train is 6/6 from the start (converged); validation needs a charlie rule it is never shown.
    await writeTask(dir, optimizeSpec(cases, { prompt: withRules(START_PROMPT, ['alpha', 'bravo']), optimizer: { validation_iterations: 2 } }));
    const held = holdRequests(world, 'optimizer');
    const ctrlC = new AbortController();
    const run = optimize(world, dir, [], { signal: ctrlC.signal });
    await held.arrived; // the first validation-phase request is waiting for its answer
    ctrlC.abort('SIGINT');
    const interrupted = await run;
    held.release();
    expect(interrupted.code, interrupted.stderr).toBe(130);
    const checkpoint = await readCheckpointOf(dir);
    expect(checkpoint).toMatchObject({ phase: 'validation' });
    expect(checkpoint?.finishedAt).toBeUndefined();

    world.setHold(undefined);
    const resumed = await optimize(world, dir, ['--resume', 'latest', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = parseJsonOut(resumed);
    expect(summary.stop_reason).toBe('converged');
    expect((await readJson(summary.reports.json)).stop_reason).toBe('converged');
    expect(summary.scores.final.test).toEqual({ score: 1, passed: 1, total: 1, pass_rate: 1, mean_score: 1, unchecked: 0 });
  });

  test('--dry-run makes no request', async () => {
    world = await startWorld({ cases: CASES });
    await writeTask(dir, optimizeSpec(CASES));
    const text = await optimize(world, dir, ['--dry-run']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('dry run: no calls made');
    const json = await optimize(world, dir, ['--dry-run', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(parseJsonOut(json)).toMatchObject({ dry_run: true });
    expect(world.server.count).toBe(0);
    expect(await runDirs(dir)).toEqual([]);
    expect(await readVersions(dir)).toEqual([]);
  });

  test('a missing test split is exit 2 with a clear message, before any request', async () => {
    world = await startWorld({ cases: CASES });
    const noTest = CASES.filter((c) => c.split !== 'test');
    await writeTask(dir, optimizeSpec(noTest));
    const result = await optimize(world, dir, []);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/split "test" has 0 cases/);
    expect(result.stderr).toContain('task.yaml');
    expect(world.server.count).toBe(0);
    const json = await optimize(world, dir, ['--json']);
    expect(json.code).toBe(2);
    expect(parseJsonOut(json).error.message).toMatch(/split "test" has 0 cases/);
    expect(await exists(join(dir, '.promptopt', 'runs'))).toBe(false);
  });
});
