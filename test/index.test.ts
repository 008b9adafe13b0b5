/** The library API: the stages the CLI wires, used directly from a program. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createModel, loadSpec, ModelCaller, optimizeTask, requestShape, ResponseCache, runEval, splitCases, SpecError, type OptimizeTaskEvent } from '../src/index.js';

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

it('optimizes a task in one call: events out, the final version, its case results per split and the report paths back', async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptopt-lib-'));
  const cases = [
    ['so happy today', 'happy', 'train'],
    ['what a joyful day', 'happy', 'train'],
    ['this makes me sad', 'sad', 'train'],
    ['I feel so unhappy and sad', 'sad', 'train'],
    ['happy and glad', 'happy', 'validation'],
    ['sad news again', 'sad', 'validation'],
    ['happy birthday to me', 'happy', 'test'],
  ];
  await writeFile(
    join(dir, 'task.yaml'),
    [
      'name: lib-optimize',
      'description: Label the mood of a message as happy or sad.',
      'prompt: "Read the message.\\nInput: {{input}}"',
      'target: { provider: sim, model: sim-classifier }',
      'optimizer: { provider: sim, model: sim-optimizer, max_iterations: 2, candidates: 2, validation_iterations: 1 }',
      'cases:',
      ...cases.map(([input, expected, split]) => `  - { input: "${input}", expected: ${expected}, split: ${split} }`),
      'defaults: { assert: [ { type: equals, value: "{{expected}}" } ] }',
    ].join('\n'),
  );
  const events: OptimizeTaskEvent['type'][] = [];
  const outcome = await optimizeTask(join(dir, 'task.yaml'), { noCache: true }, { onEvent: (event) => events.push(event.type) });
  expect(events[0]).toBe('run_opened');
  expect(events).toContain('final_selected');
  expect(events.at(-1)).toBe('run_finished');
  expect(outcome.state.finishedAt).toBeDefined();
  expect(outcome.state.selection?.version).toBe(outcome.state.current.version);
  // Only the final version's results, on every split, with --no-cache (nothing replayed).
  expect(outcome.results.train?.cases).toHaveLength(4);
  expect(outcome.results.validation?.cases).toHaveLength(2);
  expect(outcome.results.test?.cases.map((c) => c.caseId)).toHaveLength(1);
  expect(outcome.cases).toHaveLength(7);
  expect(outcome.report.finalVersion.version).toBe(outcome.state.current.version);
  expect(outcome.reportPaths.html.startsWith(outcome.runDir)).toBe(true);
});
