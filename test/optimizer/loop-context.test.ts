/**
 * The loop context scores each (prompt, split) once and remembers the results, within a memory
 * bound: at most 20k case results, least recently used dropped first, never the current prompt's.
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
import { loadSpec } from '../../src/spec/load-spec.js';
import { recordingModel } from '../support/recording-model.js';

const TRAIN = 8000;
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
  test('remembered within 20k case results: the oldest other prompt is dropped, the current one never', async () => {
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
    });
    const calls = async (prompt: string) => {
      const before = target.requests.length;
      const result = await context.evaluate(prompt, 'train');
      expect(result.cases).toHaveLength(TRAIN);
      return target.requests.length - before;
    };

    expect(await calls('P0 {{input}}')).toBe(TRAIN); // the current prompt (the state's start)
    expect(await calls('P1 {{input}}')).toBe(TRAIN);
    expect(await calls('P2 {{input}}')).toBe(TRAIN); // 24k remembered > 20k: P1 dropped, P0 kept
    expect(await calls('P0 {{input}}')).toBe(0);
    expect(await calls('P2 {{input}}')).toBe(0);
    expect(await calls('P1 {{input}}')).toBe(TRAIN); // scored again; P2 is now the oldest other one
    expect(await calls('P2 {{input}}')).toBe(TRAIN);
    expect(await calls('P0 {{input}}')).toBe(0);
  });
});
