/**
 * The loop context scores each (prompt, split) once and remembers the results, within a memory
 * bound (20k case results by default; 2k here, at a tenth of the cost), least recently used dropped
 * first, never the current prompt's.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { splitCases } from '../../src/dataset/split-cases.js';
import { initialState } from '../../src/optimizer/engine.js';
import { createLoopContext, type LoopSettings } from '../../src/optimizer/loop-context.js';
import { taskContext } from '../../src/optimizer/meta-prompt.js';
import { IterativeStrategy } from '../../src/optimizer/strategies/iterative/iterative-strategy.js';
import { ModelCaller } from '../../src/runner/model-caller.js';
import { loadSpec } from '../../src/session/load-spec.js';
import { recordingModel } from '../support/recording-model.js';

/** 2.5 prompts' results fit: 3 prompts' do not. */
const CASE_RESULTS = 2000;
const TRAIN = 800;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptopt-loop-context-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const settings: LoopSettings = {
  maxIterations: 1,
  candidates: 1,
  patience: 1,
  validationIterations: 0,
  strictBelow: 0.1,
  accept: 'score',
  alpha: 0.05,
  concurrency: 50,
  repeat: 1,
  seed: 0,
  metaPromptTokens: 12_000,
  optimizerMaxTokens: 2000,
  showValidationCases: false,
  feedback: true,
  minibatch: 3,
  merge: true,
};

describe('loop context evaluations', () => {
  test('remembered within the case-result bound: the oldest other prompt is dropped, the current one never', async () => {
    const cases = Array.from({ length: TRAIN }, (_, i) => ({ id: `c${i}`, input: `ticket ${i}`, expected: 'x', split: 'train' }));
    const file = join(dir, 'task.yaml');
    await writeFile(
      file,
      stringify({
        name: 'memo',
        description: 'memo fixture',
        prompt: 'P0 {{input}}',
        target: { provider: 'sim', model: 'sim-classifier' },
        optimizer: { provider: 'sim', model: 'sim-optimizer' },
        cases: [...cases, { id: 't', input: 'test ticket', expected: 'x', split: 'test' }],
        defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
      }),
    );
    const spec = await loadSpec(file, { env: {} });
    const splitted = splitCases(spec.cases, spec.splits);
    const target = recordingModel(() => 'x');
    const state = initialState({ spec, cases: splitted, settings }, 'run-1', 'iterative');
    const context = createLoopContext({
      spec,
      cases: splitted,
      task: taskContext(spec),
      target,
      optimizer: recordingModel(() => ''),
      caller: new ModelCaller(),
      strategy: new IterativeStrategy(),
      settings,
      hooks: { emit: () => undefined, checkpoint: async () => undefined, writeVersion: async () => 1, recordTestScore: async () => undefined },
      state,
      memory: { evaluations: 32, caseResults: CASE_RESULTS },
    });
    const calls = async (prompt: string) => {
      const before = target.requests.length;
      const result = await context.evaluate(prompt, 'train');
      expect(result.cases).toHaveLength(TRAIN);
      return target.requests.length - before;
    };

    expect(await calls('P0 {{input}}')).toBe(TRAIN); // the current prompt (the state's start)
    expect(await calls('P1 {{input}}')).toBe(TRAIN);
    expect(await calls('P2 {{input}}')).toBe(TRAIN); // 2.4k remembered > 2k: P1 dropped, P0 kept
    expect(await calls('P0 {{input}}')).toBe(0);
    expect(await calls('P2 {{input}}')).toBe(0);
    expect(await calls('P1 {{input}}')).toBe(TRAIN); // scored again; P2 is now the oldest other one
    expect(await calls('P2 {{input}}')).toBe(TRAIN);
    expect(await calls('P0 {{input}}')).toBe(0);
  });

  test('minibatch results: kept for the whole split (those cases are not asked again), cut from whole-split results when at hand', async () => {
    const cases = Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, input: `ticket ${i}`, expected: i % 2 ? 'x' : 'y', split: 'train' }));
    const file = join(dir, 'task.yaml');
    await writeFile(
      file,
      stringify({
        name: 'minibatch',
        description: 'minibatch fixture',
        prompt: 'P0 {{input}}',
        target: { provider: 'sim', model: 'sim-classifier' },
        optimizer: { provider: 'sim', model: 'sim-optimizer' },
        cases: [...cases, { id: 't', input: 'test ticket', expected: 'x', split: 'test' }],
        defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
      }),
    );
    const spec = await loadSpec(file, { env: {} });
    const splitted = splitCases(spec.cases, spec.splits);
    const target = recordingModel(() => 'x');
    const context = createLoopContext({
      spec,
      cases: splitted,
      task: taskContext(spec),
      target,
      optimizer: recordingModel(() => ''),
      caller: new ModelCaller(), // no response cache: every request reaches the model
      strategy: new IterativeStrategy(),
      settings,
      hooks: { emit: () => undefined, checkpoint: async () => undefined, writeVersion: async () => 1, recordTestScore: async () => undefined },
      state: initialState({ spec, cases: splitted, settings }, 'run-1', 'pareto'),
    });
    const asked = (from: number) => target.requests.slice(from).map((r) => /ticket (\d+)/.exec(r.messages.at(-1)!.content)?.[1]);

    const batch = await context.evaluateCases('P1 {{input}}', 'train', ['c7', 'c2', 'c4']);
    expect(batch.cases.map((c) => c.caseId)).toEqual(['c2', 'c4', 'c7']); // the split's order
    expect(batch.summaries.find((s) => s.split === 'train')).toMatchObject({ total: 3, passed: 1 });
    expect(asked(0).sort()).toEqual(['2', '4', '7']);

    const before = target.requests.length;
    const whole = await context.evaluate('P1 {{input}}', 'train');
    expect(whole.cases.map((c) => c.caseId)).toEqual(cases.map((c) => c.id));
    expect(whole.summaries.find((s) => s.split === 'train')).toMatchObject({ total: 10, passed: 5 });
    expect(asked(before).sort()).toEqual(['0', '1', '3', '5', '6', '8', '9']); // the minibatch cases are not asked again

    const after = target.requests.length;
    const again = await context.evaluateCases('P1 {{input}}', 'train', ['c9', 'c0']);
    expect(again.cases.map((c) => c.caseId)).toEqual(['c0', 'c9']);
    expect(target.requests.length).toBe(after); // cut from the whole-split results
  });
});
