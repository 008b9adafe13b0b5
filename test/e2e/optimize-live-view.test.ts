/**
 * The live view says SIMULATED when the target or the optimizer is the built-in simulator (its scores
 * and costs say nothing about a real model), on the TTY status line and in the plain log, and never
 * for real providers (here the fake server through the real SDKs).
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makeTempDir, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { CASES, sentimentSpec } from './helpers/sentiment-task.js';
import { group, optimize, optimizeSpec, reply, startWorld, withRules, writeTask, type OptimizeWorld, type TaskCase } from './helpers/optimize-harness.js';

const ANSI = /\u001b\[[0-9;]*m/g;

let dir: string;
let world: OptimizeWorld | undefined;

beforeEach(async () => {
  dir = await makeTempDir('promptopt-live-view-');
});

afterEach(async () => {
  await world?.close();
  world = undefined;
  await removeDir(dir);
});

const simCases = CASES.map((c, i) => ({ id: c.id, input: c.input, expected: c.expected, split: i < 2 ? 'train' : 'test' }));

describe('optimize live view: SIMULATED', () => {
  test('a simulated target and optimizer: the status line and the first log line say so', async () => {
    await writeSpec(dir, {
      ...sentimentSpec({ provider: 'sim', model: 'sim-classifier' }, { cases: simCases }),
      optimizer: { provider: 'sim', model: 'sim-optimizer', max_iterations: 1, validation_iterations: 0 },
    });
    const tty = await runCli(['optimize', 'task.yaml'], { cwd: dir, env: {}, tty: { columns: 200 } });
    expect(tty.code, tty.stderr).toBe(0);
    const drawn = (tty.drawn ?? []).join('').replace(ANSI, '');
    expect(drawn).toMatch(/SIMULATED target and optimizer · train · iteration 1\/1/);

    const plain = await runCli(['optimize', 'task.yaml'], { cwd: dir, env: {} });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr.replace(ANSI, '')).toMatch(/^starting run \S+ \(strategy \w+\) · SIMULATED target and optimizer: the built-in simulator, not a real model$/m);
  });

  test('a real target with the simulated optimizer names the optimizer only', async () => {
    const cases: TaskCase[] = [...group('alpha', 'train', 2), ...group('alpha', 'validation', 1), ...group('alpha', 'test', 1)];
    world = await startWorld({ cases });
    await writeTask(dir, { ...optimizeSpec(cases), optimizer: { provider: 'sim', model: 'sim-optimizer', max_iterations: 1, validation_iterations: 0 } });
    const tty = await runCli(['optimize', 'task.yaml'], { cwd: dir, env: world.env(), tty: { columns: 200 } });
    expect(tty.code, tty.stderr).toBe(0);
    const drawn = (tty.drawn ?? []).join('').replace(ANSI, '');
    expect(drawn).toMatch(/SIMULATED optimizer · train · iteration 1\/1/);
    expect(drawn).not.toContain('SIMULATED target');
  });

  test('real providers: no SIMULATED anywhere', async () => {
    const cases: TaskCase[] = [...group('alpha', 'train', 2), ...group('alpha', 'validation', 1), ...group('alpha', 'test', 1)];
    world = await startWorld({ cases, optimizer: (r) => reply(withRules(r.current!, ['alpha']), 'alpha') });
    await writeTask(dir, optimizeSpec(cases, { optimizer: { max_iterations: 1, validation_iterations: 1 } }));
    const tty = await runCli(['optimize', 'task.yaml'], { cwd: dir, env: world.env(), tty: { columns: 200 } });
    expect(tty.code, tty.stderr).toBe(0);
    expect((tty.drawn ?? []).join('')).toMatch(/train · iteration 1\/1/);
    expect((tty.drawn ?? []).join('') + tty.stderr).not.toContain('SIMULATED');
    const plain = await optimize(world, dir, []);
    expect(plain.stderr).toMatch(/^starting run \S+ \(strategy \w+\)$/m);
  });
});
