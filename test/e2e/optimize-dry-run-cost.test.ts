/**
 * `optimize --dry-run` against what runs cost, end to end through the CLI and the real SDKs against
 * the fake server, with PRICED models (the simulator is free, so it would prove nothing): for a few
 * different tasks, the dry run is made first (no request), then the run, and what the run paid (its
 * summary, and the server's own token counts at the same prices) must fall inside the projected range,
 * role by role for the call counts. The figures are printed for the record (`DRY_RUN_FIGURES=1`).
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir } from './helpers/cli.js';
import {
  fixOneShown,
  fixOneShownVariant,
  fixShownVariant,
  group,
  optimize,
  optimizeSpec,
  startWorld,
  writeTask,
  type OptimizerScript,
  type OptimizeWorld,
  type TaskCase,
} from './helpers/optimize-harness.js';
import { serverCost, type SpecPrices } from './helpers/spend.js';

// Prices of today's kind (USD per million tokens): a small target, a large optimizer, a mid judge.
const PRICES: SpecPrices = {
  'fake-target-1': { input_per_mtok: 0.15, output_per_mtok: 0.6 },
  'fake-optimizer-1': { input_per_mtok: 15, output_per_mtok: 75 },
  'fake-judge-1': { input_per_mtok: 3, output_per_mtok: 15 },
};
const target = { price: PRICES['fake-target-1'], max_tokens: 64 };
const optimizerPrice = { price: PRICES['fake-optimizer-1'], max_tokens: 1024 };

const LABELS = ['alpha', 'bravo', 'charlie', 'delta'];
const cases = (train: number, validation: number, test: number): TaskCase[] =>
  LABELS.flatMap((label) => [...group(label, 'train', train), ...group(label, 'validation', validation), ...group(label, 'test', test)]);

interface Task {
  name: string;
  cases: TaskCase[];
  spec: Record<string, unknown>;
  optimizer: OptimizerScript;
}

const TASKS: Task[] = [
  {
    // One fix an iteration: the run goes through several training iterations, then the validation phase.
    name: 'classification (iterative, 1 candidate, validation phase)',
    cases: cases(3, 2, 2),
    optimizer: fixOneShown,
    spec: optimizeSpec(cases(3, 2, 2), {
      target,
      optimizer: { ...optimizerPrice, strategy: 'iterative', candidates: 1, max_iterations: 8, patience: 2, validation_iterations: 2 },
    }),
  },
  {
    // Graded by a judge: one judge call per case and evaluation, billed at the judge's price.
    name: 'llm-rubric judge calls (iterative, 2 candidates)',
    cases: cases(3, 1, 1),
    optimizer: fixShownVariant,
    spec: optimizeSpec(cases(3, 1, 1), {
      target,
      optimizer: { ...optimizerPrice, strategy: 'iterative', candidates: 2, max_iterations: 6, patience: 2, validation_iterations: 1 },
      extra: {
        judge: { provider: 'openai-compatible', model: 'fake-judge-1', max_retries: 0, price: PRICES['fake-judge-1'] },
        defaults: { assert: [{ type: 'llm-rubric', value: 'The answer is the name of one support team, nothing else.' }] },
      },
    }),
  },
  {
    // Every case sampled twice, three candidates a generation.
    name: 'repeat 2, evolutionary, 3 candidates',
    cases: cases(2, 1, 1),
    optimizer: fixShownVariant,
    spec: optimizeSpec(cases(2, 1, 1), {
      target,
      optimizer: { ...optimizerPrice, strategy: 'evolutionary', candidates: 3, max_iterations: 5, patience: 2, validation_iterations: 2 },
      extra: { repeat: 2 },
    }),
  },
  {
    // Reflections on a parent's minibatch, children screened there first.
    name: 'pareto, 2 candidates',
    cases: cases(3, 1, 1),
    optimizer: fixOneShownVariant,
    spec: optimizeSpec(cases(3, 1, 1), {
      target,
      optimizer: { ...optimizerPrice, strategy: 'pareto', candidates: 2, max_iterations: 4, patience: 2, validation_iterations: 1 },
    }),
  },
  {
    // One meta-prompt sampled three times.
    name: 'opro, 3 samples',
    cases: cases(3, 1, 1),
    optimizer: fixOneShownVariant,
    spec: optimizeSpec(cases(3, 1, 1), {
      target,
      optimizer: { ...optimizerPrice, strategy: 'opro', candidates: 3, max_iterations: 4, patience: 2, validation_iterations: 1 },
    }),
  },
];

let dir: string;
let world: OptimizeWorld | undefined;

beforeEach(async () => {
  dir = await makeTempDir('promptopt-dry-cost-');
});

afterEach(async () => {
  await world?.close();
  world = undefined;
  await removeDir(dir);
});

describe('optimize --dry-run: the actual cost of a run falls inside the projected range', () => {
  for (const task of TASKS) {
    test(task.name, async () => {
      world = await startWorld({ cases: task.cases, optimizer: task.optimizer });
      await writeTask(dir, task.spec);

      const dry = await optimize(world, dir, ['--dry-run', '--json']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(world.server.count).toBe(0);
      const projection = parseJsonOut(dry);
      if (process.env.DRY_RUN_FIGURES) console.log((await optimize(world, dir, ['--dry-run'])).stdout);
      expect(projection.cost_complete).toBe(true);

      const run = await optimize(world, dir, ['--json'], { timeoutMs: 60_000 });
      expect(run.code, run.stderr).toBe(0);
      const summary = parseJsonOut(run);
      const paid = summary.cost_usd as number;
      const billed = serverCost(world.server, PRICES);
      const calls = {
        optimizer: world.seen.filter((s) => s.role === 'optimizer').length,
        target: world.seen.filter((s) => s.role === 'target').length,
        judge: world.seen.filter((s) => s.role === 'judge').length,
      };
      if (process.env.DRY_RUN_FIGURES) {
        const usd = (x: number) => `$${x.toFixed(5)}`;
        const c = projection.cost_usd;
        console.log(
          `${task.name}: projected ${usd(c.min)} – ${usd(c.max)} (expected ${usd(c.expected)}); paid ${usd(paid)} (server ${usd(billed)}); ` +
            `calls ${JSON.stringify(calls)} vs expected ${JSON.stringify({ optimizer: projection.optimizer_calls.expected, target: projection.target_calls.expected, judge: projection.judge_calls.expected })}; ` +
            `iterations ${JSON.stringify(summary.iterations_by_phase)}`,
        );
      }

      expect(paid).toBeCloseTo(billed, 10);
      expect(paid).toBeGreaterThanOrEqual(projection.cost_usd.min);
      expect(paid).toBeLessThanOrEqual(projection.cost_usd.max);
      for (const role of ['optimizer', 'target', 'judge'] as const) {
        expect(calls[role], role).toBeGreaterThanOrEqual(projection[`${role}_calls`].min);
        expect(calls[role], role).toBeLessThanOrEqual(projection[`${role}_calls`].max);
      }
      if (calls.judge > 0) expect(projection.judge_calls.min).toBeGreaterThan(0);
    });
  }
});

describe('optimize --dry-run: budget and keys', () => {
  test('a budget caps the projected range, and the run stays within it', async () => {
    const task = TASKS[0]!;
    world = await startWorld({ cases: task.cases, optimizer: task.optimizer });
    await writeTask(dir, { ...task.spec, budget: { max_cost_usd: 0.05 } });
    const text = await optimize(world, dir, ['--dry-run']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/expected cost \$0\.0500 \(the budget; uncapped \$0\.\d+\) · range \$0\.0\d+ – \$0\.0500 \(the budget; .*\(low: the budget stops the run at its first optimizer call; .* · a run stops at the budget \$0\.0500/);
    expect(text.stdout).toMatch(/^ {2}worst .*→ stops at the budget \$0\.0500$/m);
    const projection = parseJsonOut(await optimize(world, dir, ['--dry-run', '--json']));
    expect(projection.cost_usd.max).toBe(0.05);
    expect(projection.scenarios.high.cost_usd).toBeGreaterThan(0.05);
    expect(projection.budget_may_stop_early).toBe(true);
    expect(projection.cost_usd.min).toBeLessThan(projection.scenarios.low.cost_usd);
    expect(world.server.count).toBe(0);

    const summary = parseJsonOut(await optimize(world, dir, ['--json'], { timeoutMs: 60_000 }));
    expect(summary.stop_reason).toBe('budget');
    expect(summary.cost_usd).toBeGreaterThanOrEqual(projection.cost_usd.min);
    expect(summary.cost_usd).toBeLessThanOrEqual(projection.cost_usd.max);
  });

  test("needs no key: a missing optimizer (or target) key is a note, and the run itself still refuses it", async () => {
    const task = TASKS[0]!;
    world = await startWorld({ cases: task.cases, optimizer: task.optimizer });
    await writeTask(dir, task.spec);
    const noKey = { ANTHROPIC_API_KEY: '' };
    const text = await optimize(world, dir, ['--dry-run'], { env: noKey });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/note: no key needed for a dry run, but the run will need one: .*ANTHROPIC_API_KEY/);
    const json = parseJsonOut(await optimize(world, dir, ['--dry-run', '--json'], { env: noKey }));
    expect(json.missing_keys).toEqual([expect.objectContaining({ role: 'optimizer', env: expect.arrayContaining(['ANTHROPIC_API_KEY']) })]);
    expect(json.cost_usd.expected).toBeGreaterThan(0); // the optimizer's price is still known
    expect(world.server.count).toBe(0);
    const run = await optimize(world, dir, [], { env: noKey });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ANTHROPIC_API_KEY');
    expect(world.server.count).toBe(0);
    // No key at all: the target's missing key is a note too (a dry run makes no call of any role).
    const none = parseJsonOut(await optimize(world, dir, ['--dry-run', '--json'], { env: { ...noKey, OPENAI_API_KEY: '' } }));
    expect(none.missing_keys.map((k: { role: string }) => k.role).sort()).toEqual(['optimizer', 'target']);
    expect(none.cost_usd.expected).toBeGreaterThan(0);
    expect(world.server.count).toBe(0);
  });
});
