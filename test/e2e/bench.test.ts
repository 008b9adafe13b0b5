/**
 * `promptopt bench` end to end, in process, against the loopback LLM server (real SDKs on both sides:
 * the target as openai-compatible, the optimizer as anthropic): two tiny tasks, two strategies, two
 * seeds. What the tables say is checked against what the server received, the budget against what
 * each run was charged, the verdicts against an exact enumeration of the two-level bootstrap, and an
 * interrupted bench against a second invocation that must not redo a finished run.
 */
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { fixOneShownVariant, group, optimizeSpec, startWorld, type OptimizeWorld, type TaskCase } from './helpers/optimize-harness.js';
import { exactTwoLevelP } from '../support/exact-two-level.js';

/** Task A routes to alpha/beta/gamma, task B to delta/epsilon: inputs differ, so one server plays both. */
const TASK_A: TaskCase[] = [
  ...['alpha', 'beta', 'gamma'].flatMap((label) => group(label, 'train', 2)),
  ...['alpha', 'beta', 'gamma'].flatMap((label) => group(label, 'validation', 1)),
  ...group('alpha', 'test', 2),
  ...group('gamma', 'test', 2),
];
const TASK_B: TaskCase[] = [
  ...['delta', 'epsilon'].flatMap((label) => group(label, 'train', 3)),
  ...['delta', 'epsilon'].flatMap((label) => group(label, 'validation', 1)),
  ...group('delta', 'test', 1),
  ...group('epsilon', 'test', 3),
];
const PRICE = { input_per_mtok: 100, output_per_mtok: 100 };

let world: OptimizeWorld;
let dir: string;

beforeAll(async () => {
  world = await startWorld({ cases: [...TASK_A, ...TASK_B], optimizer: fixOneShownVariant });
  dir = await makeTempDir('promptopt-bench-e2e-');
  for (const [name, cases] of [
    ['task-a', TASK_A],
    ['task-b', TASK_B],
  ] as const) {
    const spec = optimizeSpec(cases, {
      optimizer: { max_iterations: 4, candidates: 2, patience: 2, validation_iterations: 1, price: PRICE },
      target: { price: PRICE },
    });
    await mkdir(join(dir, name));
    await writeSpec(join(dir, name), { ...spec, name });
  }
});
afterAll(async () => {
  await world?.close();
  await removeDir(dir);
});

async function bench(args: string[], signal?: AbortSignal) {
  return runCli(['bench', 'task-a/task.yaml', 'task-b/task.yaml', '--strategies', 'iterative,evolutionary', '--runs', '2', '--seed', '1', ...args], {
    cwd: dir,
    env: world.env(),
    timeoutMs: 60_000,
    ...(signal ? { signal } : {}),
  });
}

async function resultFiles(out: string): Promise<string[]> {
  const files: string[] = [];
  for (const task of ['task-a', 'task-b']) {
    const names = await readdir(join(out, 'tasks', task, 'results')).catch(() => [] as string[]);
    files.push(...names.filter((n) => /-seed\d+\.json$/.test(n)).map((n) => join(out, 'tasks', task, 'results', n)));
  }
  return files;
}

describe('promptopt bench against the loopback server', () => {
  it('counts what the server received, holds the budget, and writes complete tables', async () => {
    world.server.reset();
    const result = await bench(['--max-calls', '40', '--out', 'out-calls', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.command).toBe('bench');
    expect(doc.tasks.map((t: any) => t.task)).toEqual(['task-a', 'task-b']);

    // The table's call counts are the calls the server received, row by row and in all.
    const rows = doc.tasks.flatMap((t: any) => t.rows);
    expect(doc.sent_to_provider).toBe(world.server.count);
    expect(rows.reduce((n: number, r: any) => n + r.server_requests, 0)).toBe(world.server.count);
    const runs = doc.tasks.flatMap((t: any) => t.runs);
    const starts = doc.tasks.map((t: any) => t.start);
    const sent = (usage: any) => usage.sent.target + usage.sent.optimizer + usage.sent.judge;
    expect([...runs, ...starts].reduce((n: number, r: any) => n + sent(r.usage), 0)).toBe(world.server.count);
    const optimizerRequests = world.server.requests.filter((r) => r.api === 'anthropic').length;
    expect(runs.reduce((n: number, r: any) => n + r.usage.sent.optimizer, 0)).toBe(optimizerRequests);

    // No run was charged more than its budget (cache hits included), and the budget did bind.
    for (const run of runs) expect(run.usage.charged.target.calls).toBeLessThanOrEqual(40);
    expect(runs.some((r: any) => r.stop_reason === 'budget')).toBe(true);
    // A budget stop never leaves a run without its test score.
    for (const task of doc.tasks) {
      const ids = Object.keys(task.start.test_cases).sort();
      expect(ids).toHaveLength(4);
      for (const run of task.runs) expect(Object.keys(run.test_cases).sort()).toEqual(ids);
    }
    expect(runs.filter((r: any) => r.stop_reason === 'budget').every((r: any) => r.test_scored_by === 'bench')).toBe(true);

    // Complete: 2 tasks × 2 strategies × 2 seeds, each task with its start, rows, pairs and trajectories.
    expect(runs).toHaveLength(8);
    for (const task of doc.tasks) {
      expect(task.status).toBe('ran');
      expect(task.rows.map((r: any) => r.strategy)).toEqual(['start', 'iterative', 'evolutionary']);
      expect(task.pairs.map((p: any) => `${p.a}/${p.b}`)).toEqual(['iterative/start', 'evolutionary/start', 'iterative/evolutionary']);
      expect(task.trajectory.strategies.map((s: any) => s.runs)).toEqual([2, 2]);
      for (const run of task.runs) {
        expect(run.trajectory.length).toBeGreaterThan(0);
        expect(run.scores.test).toBeGreaterThanOrEqual(0);
        expect(run.iterations).toBeGreaterThanOrEqual(0);
      }
    }
    for (const name of ['bench.md', 'bench.json', 'bench.html']) expect((await stat(join(dir, 'out-calls', name))).size).toBeGreaterThan(500);
    const html = await readFile(join(dir, 'out-calls', 'bench.html'), 'utf8');
    expect(html).toContain('<svg class="chart trajectory-chart"');
    expect(html).not.toMatch(/<script/i);
  }, 90_000);

  it('states each verdict as an exact enumeration of the two-level bootstrap does', async () => {
    const doc = JSON.parse(await readFile(join(dir, 'out-calls', 'bench.json'), 'utf8'));
    let checked = 0;
    for (const task of doc.tasks) {
      const ids = Object.keys(task.start.test_cases).sort();
      const vector = (cases: Record<string, number>) => ids.map((id) => cases[id]!);
      const runsOf = (strategy: string) => task.runs.filter((r: any) => r.strategy === strategy).sort((a: any, b: any) => a.seed - b.seed);
      for (const pair of task.pairs) {
        const a = runsOf(pair.a).map((r: any) => vector(r.test_cases));
        const b = pair.b === 'start' ? a.map(() => vector(task.start.test_cases)) : runsOf(pair.b).map((r: any) => vector(r.test_cases));
        const exact = exactTwoLevelP(b, a);
        expect(pair.mean_difference).toBeCloseTo(exact.delta, 12);
        expect(Math.abs(pair.p_value - exact.p)).toBeLessThan(0.02);
        if (Math.abs(exact.p - 0.05) > 0.02) {
          const expected = exact.p < 0.05 ? (exact.delta > 0 ? 'better' : 'worse') : 'no_significant_difference';
          expect(pair.verdict).toBe(expected);
        }
        checked += 1;
      }
    }
    expect(checked).toBe(6);
  });

  it('holds a USD budget, cache hits charged as if paid', async () => {
    const result = await bench(['--budget-per-run', '0.02', '--out', 'out-usd', '--json']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    for (const run of doc.tasks.flatMap((t: any) => t.runs)) {
      const charged = run.usage.charged;
      expect(charged.target.cost_usd + charged.optimizer.cost_usd + charged.judge.cost_usd).toBeLessThanOrEqual(0.02);
    }
    expect(doc.tasks.flatMap((t: any) => t.runs).some((r: any) => r.stop_reason === 'budget')).toBe(true);
  }, 90_000);

  it('continues an interrupted bench without repeating a finished run', async () => {
    const controller = new AbortController();
    const out = join(dir, 'out-resume');
    const watcher = setInterval(() => {
      void resultFiles(out).then((files) => {
        if (files.length >= 3) controller.abort('SIGINT');
      });
    }, 5);
    const first = await bench(['--max-calls', '40', '--out', 'out-resume', '--parallel', '1'], controller.signal).finally(() => clearInterval(watcher));
    expect(first.code).toBe(130);
    expect(first.stderr).toMatch(/runs are finished and kept in .*out-resume; run the same command again to continue/);
    const kept = await resultFiles(out);
    expect(kept.length).toBeGreaterThanOrEqual(3);
    expect(kept.length).toBeLessThan(8);
    const before = new Map(await Promise.all(kept.map(async (f) => [f, await readFile(f, 'utf8')] as const)));

    const second = await bench(['--max-calls', '40', '--out', 'out-resume', '--parallel', '1']);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`continuing: ${kept.length} of 8 runs already finished`);
    const redone = [...second.stderr.matchAll(/^\[\d+\/8\] /gm)].length;
    expect(redone).toBe(8 - kept.length);
    for (const [file, text] of before) expect(await readFile(file, 'utf8')).toBe(text);
    expect(await resultFiles(out)).toHaveLength(8);
    expect(second.stdout).toContain('## task-a');
    expect(second.stdout).toContain('| iterative vs evolutionary |');
  }, 120_000);

  it('benches pareto and opro under the same budget and counts', async () => {
    world.server.reset();
    const result = await runCli(['bench', 'task-a/task.yaml', 'task-b/task.yaml', '--strategies', 'pareto,opro', '--runs', '2', '--max-calls', '40', '--out', 'out-new', '--json'], {
      cwd: dir,
      env: world.env(),
      timeoutMs: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    const runs = doc.tasks.flatMap((t: any) => t.runs);
    expect(runs).toHaveLength(8);
    expect(doc.sent_to_provider).toBe(world.server.count);
    for (const run of runs) expect(run.usage.charged.target.calls).toBeLessThanOrEqual(40);
    for (const task of doc.tasks) {
      expect(task.rows.map((r: any) => r.strategy)).toEqual(['start', 'pareto', 'opro']);
      expect(task.pairs.map((p: any) => `${p.a}/${p.b}`)).toEqual(['pareto/start', 'opro/start', 'pareto/opro']);
      for (const run of task.runs) expect(Object.keys(run.test_cases).sort()).toEqual(Object.keys(task.start.test_cases).sort());
    }
    // Every run asked the optimizer itself (proposals are never shared), and the server's optimizer
    // requests are exactly the runs' own.
    for (const run of runs) expect(run.usage.sent.optimizer).toBeGreaterThan(0);
    const optimizerRequests = world.server.requests.filter((r) => r.api === 'anthropic').length;
    expect(runs.reduce((n: number, r: any) => n + r.usage.sent.optimizer, 0)).toBe(optimizerRequests);
  }, 90_000);

  it('refuses bad input before any call: an unknown strategy, a suite file with a typo', async () => {
    world.server.reset();
    const unknown = await bench(['--strategies', 'iterative,genetic']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown strategy: genetic');
    expect(unknown.stderr).toContain('choose from: iterative, evolutionary, hybrid, pareto, opro');
    await writeSpec(dir, 'tasks:\n  - spec: task-a/task.yaml\n    max_cals: 10\n', { name: 'suite.yaml' });
    const typo = await runCli(['bench', 'suite.yaml'], { cwd: dir, env: world.env() });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('suite.yaml:3:5: tasks[0].max_cals: unknown key "max_cals" (did you mean "max_calls"?)');
    await writeSpec(dir, 'tasks:\n  - spec: task-a/task.yaml\n  - spec: task-b/task.yml\n', { name: 'suite.yaml' });
    const missing = await runCli(['bench', 'suite.yaml'], { cwd: dir, env: world.env() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('suite.yaml:3:11: tasks[1].spec: spec file task-b/task.yml not found');
    expect(world.server.count).toBe(0);
  });
});
