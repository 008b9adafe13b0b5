/**
 * The validation phase and the held-out test split, end to end through the CLI against the fake
 * server (target via the OpenAI SDK, optimizer via the Anthropic SDK).
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir } from './helpers/cli.js';
import {
  fixOneShownVariant,
  group,
  hasRule,
  optimize,
  optimizeSpec,
  readJson,
  reply,
  START_PROMPT,
  startWorld,
  withoutRule,
  withRules,
  wrongAnswer,
  writeTask,
  type OptimizeWorld,
  type TaskCase,
} from './helpers/optimize-harness.js';

let dir: string;
let world: OptimizeWorld | undefined;

beforeEach(async () => {
  dir = await makeTempDir('promptopt-opt-val-');
});

afterEach(async () => {
  await world?.close();
  world = undefined;
  await removeDir(dir);
});

describe('optimize: validation phase', () => {
  test('a candidate that breaks a train case is rejected (breaks_train) and the next request carries those cases as constraints', async () => {
    const cases: TaskCase[] = [
      ...group('alpha', 'train', 3),
      ...group('bravo', 'train', 3),
      ...group('charlie', 'validation', 3),
      ...group('alpha', 'test', 1),
    ];
    const start = withRules(START_PROMPT, ['alpha', 'bravo']); // train 6/6: converged at once
    world = await startWorld({
      cases,
      optimizer: (r) => {
        if (!r.validation) throw new Error('expected only validation-phase requests');
        const current = r.current!;
        // First: fixes validation (charlie) by trading away the alpha rule. Then: keeps every rule.
        return r.text.includes('# Training constraints to preserve')
          ? reply(withRules(current, ['charlie']), 'add charlie, keep alpha')
          : reply(withRules(withoutRule(current, 'alpha'), ['charlie']), 'swap alpha for charlie');
      },
    });
    await writeTask(dir, optimizeSpec(cases, { prompt: start, optimizer: { validation_iterations: 3, candidates: 1 } }));
    const result = await optimize(world, dir, ['--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);
    expect(summary.scores.final.validation).toEqual({ score: 1, passed: 3, total: 3, pass_rate: 1, mean_score: 1, unchecked: 0 });
    expect(summary.scores.final.train).toEqual({ score: 1, passed: 6, total: 6, pass_rate: 1, mean_score: 1, unchecked: 0 });

    const report = await readJson(summary.reports.json);
    const validationRows = (report.trajectory as Record<string, any>[]).filter((t) => t.phase === 'validation');
    expect(validationRows).toHaveLength(2);
    expect(validationRows[0]!.candidates).toHaveLength(1);
    expect(validationRows[0]!.candidates[0]).toMatchObject({ status: 'breaks_train', broken: 3 });
    expect(validationRows[0]!.candidates[0].validation).toBeUndefined(); // never scored on validation
    expect(validationRows[0]!.accepted).toBeUndefined();
    expect(validationRows[1]!.candidates[0]).toMatchObject({ status: 'accepted', validation: 1 });

    const [first, second] = world.optimizerRequests();
    expect(world.optimizerRequests()).toHaveLength(2);
    expect(first!.text).not.toContain('# Training constraints to preserve');
    const constraints = second!.text.split('# Training constraints to preserve\n')[1]!.split('\n# ')[0]!;
    for (const c of cases.filter((c) => c.split === 'train' && c.expected === 'alpha')) {
      expect(constraints).toContain(`- case ${c.id}\n`);
      expect(constraints).toContain(c.input);
      expect(constraints).toContain(`the broken candidate answered: "${wrongAnswer(c)}"`);
    }
    expect(constraints).toContain('expected: "alpha"');
    // Only the broken ones: no bravo case (still passing) is listed.
    expect(constraints).not.toContain('bravo');
    expect(hasRule(report.final_prompt as string, 'alpha')).toBe(true);
  });

  test('no held-out test case ever reaches the optimizer, in any phase, with any strategy', async () => {
    const train = [...group('alpha', 'train', 3), ...group('bravo', 'train', 3), ...group('charlie', 'train', 3)];
    const validation = [...group('alpha', 'validation', 2), ...group('delta', 'validation', 2)];
    const test_ = [...group('zulu', 'test', 2), ...group('yankee', 'test', 2)];
    const cases = [...train, ...validation, ...test_];
    world = await startWorld({ cases, optimizer: fixOneShownVariant });
    let runs = 0;
    for (const strategy of ['iterative', 'evolutionary', 'hybrid'] as const) {
      const runDir = await makeTempDir(`promptopt-opt-leak-${strategy}-`);
      try {
        await writeTask(
          runDir,
          optimizeSpec(cases, { optimizer: { strategy, candidates: 2, max_iterations: 3, patience: 3, validation_iterations: 2 } }),
        );
        const result = await optimize(world, runDir, ['--json']);
        expect(result.code, result.stderr).toBe(0);
        const summary = parseJsonOut(result);
        expect(summary.scores.final.test.total).toBe(4);
        runs += 1;
      } finally {
        await removeDir(runDir);
      }
    }
    expect(runs).toBe(3);

    // Every test case was scored by the target; its outputs are what the optimizer must never see.
    const testIds = new Set(test_.map((c) => c.id));
    const testOutputs = new Set(world.targetRequests().filter((r) => r.caseId && testIds.has(r.caseId)).map((r) => r.output));
    for (const c of test_) expect(world.targetRequests().some((r) => r.caseId === c.id)).toBe(true);
    expect(testOutputs.size).toBeGreaterThanOrEqual(test_.length);
    const forbidden = [...test_.map((c) => c.input), ...test_.map((c) => c.expected), ...testOutputs];

    const optimizerRequests = world.optimizerRequests();
    // Both phases and every request kind were exercised.
    expect(optimizerRequests.some((r) => r.text.includes('Every training case that passes now must keep passing'))).toBe(true);
    expect(optimizerRequests.some((r) => r.text.includes('<parent_b>'))).toBe(true);
    expect(optimizerRequests.some((r) => r.text.includes('# Starting prompt'))).toBe(true);
    // Train case text does reach it (the check below is not vacuous)...
    expect(optimizerRequests.some((r) => r.text.includes(train[0]!.input) || r.text.includes('expected: "alpha"'))).toBe(true);
    // ...test case text never does: not in any request body the server received for the optimizer
    // (answered or not), nor in the meta-prompt text.
    const anthropicBodies = world.server.requests.filter((r) => r.api === 'anthropic').map((r) => JSON.stringify(r.body ?? ''));
    expect(anthropicBodies.length).toBe(optimizerRequests.length);
    for (const body of anthropicBodies) {
      for (const text of forbidden) expect(body.includes(text), `optimizer request contains test text ${JSON.stringify(text)}`).toBe(false);
    }
    for (const request of optimizerRequests) {
      for (const text of forbidden) {
        expect(request.body.includes(text), `optimizer request contains test text ${JSON.stringify(text)}`).toBe(false);
        expect(request.text.includes(text), `optimizer request contains test text ${JSON.stringify(text)}`).toBe(false);
      }
    }
  });
});
