/**
 * Scores with partial credit, weights, case thresholds, named metrics and the objective, through
 * `promptopt eval` against the loopback server (the real OpenAI SDK on the target's side): what a case
 * scores, what a split reports (JSON, table, JUnit), and which figure the gate reads. And the cases
 * no assertion checked: in no figure, counted apart.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { startWorld, type OptimizeWorld, type TaskCase } from './helpers/optimize-harness.js';
import { findAll, parseXml } from './helpers/xml.js';

/** What the target answers, per case (the prompt does not matter here). */
const ANSWERS: Record<string, string> = {
  'c-good': 'good',
  'c-bad': 'nope',
  'c-half': 'half',
  'c-weighted': 'half',
  'c-unlabelled': 'something',
};
const INPUTS: Record<string, string> = {
  'c-good': 'first ticket about a printer',
  'c-bad': 'second ticket about an invoice',
  'c-half': 'third ticket about a password',
  'c-weighted': 'fourth ticket about shipping',
  'c-unlabelled': 'fifth ticket about a refund',
};

/** A custom check that gives partial credit: half right is `{ pass: false, score: 0.5 }`. */
const HALF = "output === 'half' ? { pass: false, score: 0.5, reason: 'half right' } : output === 'good'";

let world: OptimizeWorld;
let dir: string;

beforeAll(async () => {
  const cases: TaskCase[] = Object.keys(ANSWERS).map((id) => ({ id, input: INPUTS[id]!, expected: '', split: 'train' }));
  world = await startWorld({ cases, target: (_prompt, testCase) => ANSWERS[testCase.id]! });
});
afterAll(() => world.close());
beforeEach(async () => {
  dir = await makeTempDir('promptopt-scores-');
});
afterEach(() => removeDir(dir));

function spec(extra: Record<string, unknown> = {}, half = HALF): Record<string, unknown> {
  return {
    name: 'scores',
    description: 'Partial credit, weights and metrics',
    prompt: 'Answer the ticket: {{input}}',
    target: { provider: 'openai-compatible', model: 'fake-target-1', max_retries: 0 },
    defaults: { assert: [{ type: 'equals', value: '{{expected}}', metric: 'exact' }] },
    cases: [
      // Checked by the default equals only.
      { id: 'c-good', input: INPUTS['c-good'], expected: 'good', split: 'train' },
      { id: 'c-bad', input: INPUTS['c-bad'], expected: 'good', split: 'test' },
      // No expected: the default is left out, the function alone scores it (0.5).
      { id: 'c-half', input: INPUTS['c-half'], split: 'train', assert: [{ type: 'javascript', value: half, metric: 'f1' }] },
      // (0.5 × 1 + 1 × 3) / 4 = 0.875 ≥ its threshold 0.8: it passes although the function failed; the
      // failing weight-0 equals is reported (metric `exact`) and counts nowhere else.
      {
        id: 'c-weighted',
        input: INPUTS['c-weighted'],
        split: 'test',
        threshold: 0.8,
        assert: [
          { type: 'javascript', value: half, metric: 'f1' },
          { type: 'contains', value: 'ha', weight: 3, metric: 'format' },
          { type: 'equals', value: 'something else', weight: 0, metric: 'exact' },
        ],
      },
      // An imported case kept unlabelled: no assertion applies, it checks nothing.
      { id: 'c-unlabelled', input: INPUTS['c-unlabelled'], split: 'test', metadata: { feedback: 'unlabelled' } },
    ],
    threshold: 0.55,
    ...extra,
  };
}

const evalCli = (args: string[]) => runCli(['eval', 'task.yaml', '--split', 'all', ...args], { cwd: dir, env: world.env() });

describe('eval: partial credit, weights, case thresholds', () => {
  it('a function returning { pass: false, score: 0.5 } makes a case score of 0.5, and the mean score moves', async () => {
    await writeSpec(dir, spec());
    const result = await evalCli(['--json', '--junit', 'junit.xml']);
    const doc = parseJsonOut(result);
    const byId = Object.fromEntries((doc.cases as any[]).map((c) => [c.id, c]));
    expect(byId['c-half']).toMatchObject({ pass: false, score: 0.5, pass_rate: 0, unchecked: false });
    expect(byId['c-half'].failures).toEqual([
      expect.objectContaining({ type: 'javascript', metric: 'f1', score: 0.5, reason: expect.stringContaining('half right') }),
    ]);
    expect(byId['c-good']).toMatchObject({ pass: true, score: 1 });
    expect(byId['c-bad']).toMatchObject({ pass: false, score: 0 });
    // Weighted mean, and the case threshold decides: the failed function does not fail the case.
    expect(byId['c-weighted'].score).toBeCloseTo(0.875, 12);
    expect(byId['c-weighted'].pass).toBe(true);
    expect(byId['c-weighted'].failures).toEqual([]);
    expect(byId['c-weighted'].metrics).toEqual([
      { name: 'f1', score: 0.5, pass: false },
      { name: 'format', score: 1, pass: true },
      { name: 'exact', score: 0, pass: false },
    ]);

    const train = (doc.summary as any[]).find((s) => s.split === 'train');
    expect(train).toMatchObject({ total: 2, passed: 1, unchecked: 0, pass_rate: 0.5, mean_score: 0.75, score: 0.5 });
    const all = (doc.summary as any[]).find((s) => s.split === 'all');
    expect(all).toMatchObject({ total: 4, passed: 2, unchecked: 1, pass_rate: 0.5 });
    expect(all.mean_score).toBeCloseTo((1 + 0 + 0.5 + 0.875) / 4, 12);

    // The same task where the function gives no partial credit: the pass rate is the same, the mean score lower.
    await writeSpec(dir, spec({}, "output === 'good'"));
    const plain = parseJsonOut(await evalCli(['--json']));
    const plainTrain = (plain.summary as any[]).find((s) => s.split === 'train');
    expect(plainTrain).toMatchObject({ total: 2, passed: 1, pass_rate: 0.5, mean_score: 0.5 });
    expect((plain.cases as any[]).find((c) => c.id === 'c-half')).toMatchObject({ pass: false, score: 0 });
  });

  it('named metrics are reported per split: JSON, and a table in the terminal', async () => {
    await writeSpec(dir, spec());
    const doc = parseJsonOut(await evalCli(['--json']));
    const metrics = (split: string) => (doc.summary as any[]).find((s) => s.split === split).metrics;
    expect(metrics('train')).toEqual([
      { name: 'exact', cases: 1, passed: 1, score: 1 },
      { name: 'f1', cases: 1, passed: 0, score: 0.5 },
    ]);
    // Test: c-bad's equals and c-weighted's weight-0 equals both failed (reported only, but reported).
    expect(metrics('test')).toEqual([
      { name: 'exact', cases: 2, passed: 0, score: 0 },
      { name: 'f1', cases: 1, passed: 0, score: 0.5 },
      { name: 'format', cases: 1, passed: 1, score: 1 },
    ]);

    const text = await evalCli([]);
    expect(text.stdout).toMatch(/^split\s+passed\s+pass rate \*\s+mean score\s+unchecked\s+cost/m);
    expect(text.stdout).toMatch(/^train\s+1\/2\s+50\.0%\s+75\.0%\s+0\s/m);
    expect(text.stdout).toMatch(/^metric\s+split\s+passed\s+mean score$/m);
    expect(text.stdout).toMatch(/^f1\s+train\s+0\/1\s+50\.0%$/m);
    expect(text.stdout).toMatch(/^format\s+test\s+1\/1\s+100\.0%$/m);
  });
});

describe('eval: unchecked cases', () => {
  it('a case no assertion applies to is no pass: left out of the figures, counted, skipped in JUnit', async () => {
    await writeSpec(dir, spec());
    const result = await evalCli(['--json', '--junit', 'junit.xml']);
    const doc = parseJsonOut(result);
    const unlabelled = (doc.cases as any[]).find((c) => c.id === 'c-unlabelled');
    expect(unlabelled).toMatchObject({ pass: null, score: null, unchecked: true, failures: [] });
    const test = (doc.summary as any[]).find((s) => s.split === 'test');
    // Two checked cases (c-bad fails, c-weighted passes) and one unchecked: 1/2, not 2/3.
    expect(test).toMatchObject({ total: 2, passed: 1, unchecked: 1, pass_rate: 0.5 });

    const junit = parseXml(await readFile(join(dir, 'junit.xml'), 'utf8'));
    expect(junit.attributes).toMatchObject({ tests: '5', skipped: '1' });
    const testcase = findAll(junit, 'testcase').find((t) => t.attributes.name!.startsWith('c-unlabelled: '))!;
    expect(testcase.children.map((c) => c.name)).toEqual(['skipped']);

    const text = await evalCli([]);
    expect(text.stdout).toContain('1 case(s) unchecked: no assertion applies to them');
    expect(text.stdout).toMatch(/^test\s+1\/2\s+50\.0%\s+43\.8%\s+1\s/m);
  });

  it('a split whose cases are all unchecked has no figure, and its eval exits 2 (nothing to gate on)', async () => {
    const only = spec();
    only.cases = [
      { id: 'c-good', input: INPUTS['c-good'], expected: 'good', split: 'train' },
      { id: 'c-unlabelled', input: INPUTS['c-unlabelled'], split: 'test', metadata: { feedback: 'unlabelled' } },
    ];
    await writeSpec(dir, only);
    const result = await runCli(['eval', 'task.yaml', '--split', 'test'], { cwd: dir, env: world.env() });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toMatch(/^test\s+0\/0\s+—\s+—\s+1\s/m);
    expect(result.stdout).toContain('ERROR: no case of the test split was checked (1 unchecked): there is nothing to gate on (exit 2).');
  });
});

describe('eval: the objective', () => {
  it('decides the gate: the same results fail on the pass rate and pass on the mean score', async () => {
    await writeSpec(dir, spec()); // pass rate 0.5, mean score 0.59375, threshold 0.55
    const byPassRate = await evalCli([]);
    expect(byPassRate.code, byPassRate.stderr).toBe(1);
    expect(byPassRate.stdout).toContain('FAIL: pass rate 50.0% < threshold 55.0%');

    await writeSpec(dir, spec({ objective: 'mean_score' }));
    const byMeanScore = await evalCli([]);
    expect(byMeanScore.code, byMeanScore.stderr).toBe(0);
    expect(byMeanScore.stdout).toContain('PASS: mean score 59.4% >= threshold 55.0%');
    expect(byMeanScore.stdout).toMatch(/^split\s+passed\s+pass rate\s+mean score \*/m);
    const doc = parseJsonOut(await evalCli(['--json']));
    expect(doc).toMatchObject({ objective: 'mean_score', passed: true });
    expect(doc.score).toBeCloseTo(0.59375, 12);
  });

  it('an unknown objective is a spec error naming the field', async () => {
    await writeSpec(dir, spec({ objective: 'accuracy' }));
    const before = world.targetRequests().length;
    const result = await evalCli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/task\.yaml:\d+:\d+: objective: /);
    expect(result.stderr).toContain('pass_rate');
    expect(world.targetRequests()).toHaveLength(before);
  });
});
