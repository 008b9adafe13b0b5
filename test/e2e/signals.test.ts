/**
 * Stopping a run: Ctrl-C (SIGINT) and SIGTERM, on a terminal and off it. The first signal stops new
 * calls, cancels the calls in flight (the server sees the client go away), writes the checkpoint and
 * exits 130 / 143; a second one exits at once. A terminal that reports no size (0×0) must not stop
 * the spinner from drawing or the run from calling. End to end against the fake server through the
 * real SDKs: in-process for the order of events, spawned for real signals.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makeTempDir, removeDir, runCli } from './helpers/cli.js';
import {
  fixOneShown,
  group,
  holdRequests,
  optimizeDetached,
  optimizeSpec,
  readCheckpointOf,
  startWorld,
  waitFor,
  writeTask,
  type OptimizeWorld,
  type TaskCase,
} from './helpers/optimize-harness.js';

const CASES: TaskCase[] = [...group('alpha', 'train', 4), ...group('bravo', 'train', 4), ...group('alpha', 'test', 2)];

let dir: string;
let world: OptimizeWorld | undefined;

beforeEach(async () => {
  dir = await makeTempDir('promptopt-signals-');
});

afterEach(async () => {
  await world?.close();
  world = undefined;
  await removeDir(dir);
});

describe.each([
  ['Ctrl-C (SIGINT)', 'SIGINT', 130],
  ['SIGTERM', 'SIGTERM', 143],
] as const)('%s on a terminal', (_name, reason, exitCode) => {
  test('no request starts after the signal, the calls in flight are cancelled, the checkpoint is written', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixOneShown });
    await writeTask(dir, optimizeSpec(CASES));
    const held = holdRequests(world, 'target', 4);
    const controller = new AbortController();
    const run = runCli(['optimize', 'task.yaml', '-j', '4'], { cwd: dir, env: world.env(), tty: { columns: 100 }, signal: controller.signal });
    await held.arrived; // four baseline calls are in flight, the other four wait for a worker
    const before = world.server.count;
    controller.abort(reason);
    const result = await run;
    held.release();
    expect(result.code, result.stderr).toBe(exitCode);
    expect(world.server.count, 'a request started after the signal').toBe(before);
    await waitFor(() => (world!.server.requests.filter((r) => r.clientAborted).length === 4 ? true : undefined), 5_000);
    const checkpoint = await readCheckpointOf(dir);
    expect(checkpoint, 'no checkpoint after the signal').toBeDefined();
    expect(checkpoint!.stopReason).toBe('interrupted');
    expect(result.stderr).toContain('--resume');
  });
});

test('a terminal that reports no size (0×0): the run calls the model and finishes, and the spinner draws a bounded number of frames', async () => {
  world = await startWorld({ cases: CASES, optimizer: fixOneShown, latencyMs: 5 });
  await writeTask(dir, optimizeSpec(CASES, { optimizer: { max_iterations: 2 } }));
  const result = await runCli(['optimize', 'task.yaml'], { cwd: dir, env: world.env(), tty: { columns: 0, rows: 0 } });
  expect(result.code, result.stderr).toBe(0);
  expect(world.targetRequests().length).toBeGreaterThan(0);
  // The spinner drew on the terminal, a frame every 80 ms or so: a few hundred writes at most for a
  // run this short (a width of 0 once made it redraw cursor movements in a tight loop).
  const drawn = result.drawn ?? [];
  expect(drawn.some((chunk) => chunk.includes('train'))).toBe(true);
  expect(drawn.length).toBeLessThan(2_000);
});

describe('real signals to the process', () => {
  test('SIGTERM: checkpoint written, exit 143, the calls in flight cancelled', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixOneShown });
    await writeTask(dir, optimizeSpec(CASES));
    const held = holdRequests(world, 'target', 2);
    const run = optimizeDetached(world, dir, ['-j', '2']);
    await held.arrived;
    run.child.kill('SIGTERM');
    const result = await run.done;
    held.release();
    expect(result.code, result.stderr).toBe(143);
    expect(result.stderr).toContain('SIGTERM: stopping');
    expect((await readCheckpointOf(dir))?.stopReason).toBe('interrupted');
    await waitFor(() => (world!.server.requests.filter((r) => r.clientAborted).length === 2 ? true : undefined), 5_000);
  });

  test('a second Ctrl-C exits at once, even while a stop is still under way', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixOneShown });
    await writeTask(dir, optimizeSpec(CASES));
    // The optimizer request is held and never released: only the second Ctrl-C can end the process
    // before the hold (the first one cancels it, but the second must not wait for anything).
    const held = holdRequests(world, 'target', 1);
    const run = optimizeDetached(world, dir, ['-j', '1']);
    await held.arrived;
    run.child.kill('SIGINT');
    await waitFor(() => (/interrupt: stopping/.test(run.stderr()) ? true : undefined), 5_000);
    run.child.kill('SIGINT');
    const result = await run.done;
    held.release();
    expect(result.code).toBe(130);
  });
});
