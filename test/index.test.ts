/** The library API: the stages the CLI wires, used directly from a program. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createModel, loadSpec, ModelCaller, requestShape, ResponseCache, runEval, splitCases, SpecError } from '../src/index.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('loads a spec, splits its cases and evaluates its prompt on the simulator', async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptopt-lib-'));
  await writeFile(
    join(dir, 'task.yaml'),
    [
      'name: lib',
      'description: labels',
      'prompt: "Labels: happy, sad. Answer with only the label.\\nInput: {{input}}"',
      'target: { provider: sim, model: sim-classifier }',
      'cases:',
      '  - { input: "so happy today", expected: happy, split: train }',
      '  - { input: "this makes me sad", expected: sad, split: test }',
      'defaults: { assert: [ { type: equals, value: "{{expected}}" } ] }',
    ].join('\n'),
  );
  const spec = await loadSpec(join(dir, 'task.yaml'));
  const cases = splitCases(spec.cases, spec.splits);
  const result = await runEval({
    cases,
    prompt: spec.prompt.text,
    shape: requestShape(spec),
    defaultAssert: spec.defaultAssert,
    baseDir: spec.dir,
    target: createModel(spec.target, { role: 'target' }),
    caller: new ModelCaller({ cache: new ResponseCache(spec.cache.dir) }),
    concurrency: 2,
    repeat: 1,
  });
  expect(result.cases.map((c) => [c.split, c.output])).toEqual([
    ['train', 'happy'],
    ['test', 'sad'],
  ]);
  expect(result.summaries.at(-1)).toMatchObject({ split: 'all', passed: 2, total: 2 });
});

it('reports a bad spec as a SpecError with every problem', async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptopt-lib-'));
  await writeFile(join(dir, 'task.yaml'), 'name: x\ndescription: y\nprompt: hi\ntarget: { provider: sim }\ncases: []\n');
  const error = await loadSpec(join(dir, 'task.yaml')).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SpecError);
  expect((error as SpecError).issues.map((i) => i.path)).toContain('target.model');
});
