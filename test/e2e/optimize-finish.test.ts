/**
 * How an optimize run finishes and what `--resume` finds, end to end through the CLI against the
 * fake server: reports are written before the run is marked finished, a finished run without its
 * reports gets them on --resume, a run killed before its first checkpoint can be resumed,
 * `latest` is the newest run (named, never silently an older one), and temp files a kill left
 * beside a checkpoint are removed by the next run.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { exists, makeTempDir, parseJsonOut, removeDir, runCli } from './helpers/cli.js';
import { fixOneShown, group, interruptedRun, optimize, optimizeSpec, readJson, runDirs, startWorld, writeTask, type OptimizeWorld, type TaskCase } from './helpers/optimize-harness.js';
import { runWithKills } from './helpers/spend.js';

const CASES: TaskCase[] = [
  ...group('alpha', 'train', 3),
  ...group('bravo', 'train', 3),
  ...group('charlie', 'train', 3),
  ...group('alpha', 'validation', 1),
  ...group('bravo', 'validation', 1),
  ...group('charlie', 'test', 2),
];
const PRICES = { 'fake-target-1': { input_per_mtok: 1, output_per_mtok: 1 }, 'fake-optimizer-1': { input_per_mtok: 1, output_per_mtok: 1 } };
const SPEC = optimizeSpec(CASES, { target: { price: PRICES['fake-target-1'] }, optimizer: { price: PRICES['fake-optimizer-1'], max_iterations: 6 } });
const REPORTS = ['report.md', 'report.json', 'report.html', 'cases.json'];

let dir: string;
let world: OptimizeWorld | undefined;

beforeEach(async () => {
  dir = await makeTempDir('promptopt-opt-finish-');
});

afterEach(async () => {
  await world?.close();
  world = undefined;
  await removeDir(dir);
});

describe('optimize: finishing is the last step', () => {
  test('a failure while the reports are written leaves a run that --resume finishes, with its case table', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixOneShown });
    await writeTask(dir, SPEC);
    // Something in the way of report.html (as a kill in the middle of writing the reports would leave them half done).
    let obstacle: string | undefined;
    let placing: Promise<void> | undefined;
    // Requests arrive together: the first one places the obstacle, the others wait for it (a second
    // mkdir would fail, and the server would answer that request with a 500).
    world.setHold(() => {
      placing ??= runDirs(dir).then(async ([run]) => {
        obstacle = join(run!, 'report.html');
        await mkdir(obstacle);
      });
      return obstacle ? undefined : placing;
    });
    const broken = await optimize(world, dir, ['--json']);
    world.setHold(undefined);
    expect(broken.code).not.toBe(0);
    const [run] = await runDirs(dir);
    const checkpoint = await readJson(join(run!, 'checkpoint.json'));
    expect(checkpoint.stopReason).toBe('converged');
    expect(checkpoint.stoppedAt).toBeDefined();
    expect(checkpoint.finishedAt, 'marked finished before its reports were written').toBeUndefined();

    await rmdir(obstacle!);
    const requests = world.server.count;
    const resumed = await optimize(world, dir, ['--resume', 'latest', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming run ${basename(run!)}`);
    expect(resumed.stderr).toContain('writing its reports');
    expect(world.server.count).toBe(requests); // no model call: everything comes from the checkpoint and the cache
    const summary = parseJsonOut(resumed);
    expect(summary.stop_reason).toBe('converged');
    for (const name of REPORTS) expect(await exists(join(run!, name)), name).toBe(true);
    expect((await readJson(join(run!, 'checkpoint.json'))).finishedAt).toBeDefined();
    const cases = await readJson(join(run!, 'cases.json'));
    const splits = cases.cases.map((c: { split: string }) => c.split).sort();
    expect(splits).toEqual(['test', 'test', ...Array(9).fill('train'), 'validation', 'validation']);

    const rendered = await runCli(['report', 'latest', 'task.yaml'], { cwd: dir, env: world.env() });
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(rendered.stdout).not.toContain('no cases.json');
    expect(await readFile(join(run!, 'report.html'), 'utf8')).toContain('te-charlie-01');

    const again = await optimize(world, dir, ['--resume', 'latest']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already finished/);
  });

  test('--resume of a finished run whose reports are missing writes them and exits 0', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixOneShown });
    await writeTask(dir, SPEC);
    const first = parseJsonOut(await optimize(world, dir, ['--json']));
    const [run] = await runDirs(dir);
    for (const name of REPORTS) await rm(join(run!, name));
    const requests = world.server.count;
    const resumed = await optimize(world, dir, ['--resume', first.run_id, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(world.server.count).toBe(requests);
    for (const name of REPORTS) expect(await exists(join(run!, name)), name).toBe(true);
    const summary = parseJsonOut(resumed);
    expect(summary.cost_usd).toBeCloseTo(first.cost_usd, 12); // the spend is the run's, not this process's
    expect(summary.best_version).toBe(first.best_version);
    expect(await readFile(join(run!, 'report.html'), 'utf8')).toContain('te-charlie-02'); // test cases replayed from the cache
  });
});

describe('optimize: --resume latest', () => {
  test('a run killed before its first checkpoint can be resumed, and latest picks it (the newest), by name', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixOneShown });
    await writeTask(dir, SPEC);
    // An older run, stopped in its first iteration (after its baseline checkpoint).
    await interruptedRun(world, dir, ['--quiet', '-j', '1'], 15);
    const [older] = await runDirs(dir);
    // A newer run killed at its first request, long before its baseline ends (--no-cache: nothing is served).
    await runWithKills(world, dir, ['--quiet', '-j', '1', '--no-cache'], [world.arrived.length], PRICES);
    const newer = (await runDirs(dir)).find((d) => d !== older)!;
    expect(newer).toBeDefined();

    const resumed = await optimize(world, dir, ['--resume', 'latest', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming run ${basename(newer)} (latest: the newest run in`);
    expect(parseJsonOut(resumed).run_id).toBe(basename(newer));
    expect(parseJsonOut(resumed).stop_reason).toBe('converged');
    expect((await readJson(join(older!, 'checkpoint.json'))).finishedAt).toBeUndefined(); // untouched
  });

  test('latest never falls back silently to an older run when the newest cannot be resumed', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixOneShown });
    await writeTask(dir, SPEC);
    await interruptedRun(world, dir, ['--quiet', '-j', '1'], 15);
    const [older] = await runDirs(dir);
    await interruptedRun(world, dir, ['--quiet', '-j', '1', '--no-cache'], world.arrived.length + 3);
    const newer = (await runDirs(dir)).find((d) => d !== older)!;
    await writeFile(join(newer, 'checkpoint.json'), '{"schemaVersion": 1, "runId": "cut');

    const result = await optimize(world, dir, ['--resume', 'latest']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the newest run, ${basename(newer)}, cannot be resumed`);
    expect(result.stderr).toContain(`--resume ${basename(older!)}`);
  });

  test('temp files a kill left beside a checkpoint are removed by the next run of the folder', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixOneShown });
    await writeTask(dir, SPEC);
    await interruptedRun(world, dir, ['--quiet', '-j', '1'], 16); // a run to resume; its temp files are planted below
    const [run] = await runDirs(dir);
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const stale = join(run!, `.checkpoint.json.${deadPid}.0123abcd.tmp`);
    const live = join(run!, `.checkpoint.json.${process.pid}.4567cdef.tmp`); // a writer still running: left alone
    await writeFile(stale, '{"half": ');
    await writeFile(live, '{"half": ');
    const resumed = await optimize(world, dir, ['--resume', 'latest', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await exists(stale)).toBe(false);
    expect(await exists(live)).toBe(true);
  });
});
