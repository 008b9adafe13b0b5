/**
 * `eval --dry-run` against what the eval then costs, through the real SDK against the fake server with
 * priced models: target and judge calls (one llm-rubric assertion for every case, `repeat: 2`), and
 * the cost, fall inside the dry run's range. The judge sees only the rubric and the answer, so the
 * samples of a case that answer alike, and cases with the same right answer, are judged once: the low
 * end counts that (with every answer right), the high end every judge call.
 */
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { caseOf, isJudgeRequest, judgeVerdict, sentimentSpec, startSentimentServer, type E2eServer } from './helpers/sentiment-task.js';
import { serverCost, type SpecPrices } from './helpers/spend.js';

const KEY = 'sk-test-SECRET-dryrun-0123456789';
const PRICES: SpecPrices = {
  'fake-target-1': { input_per_mtok: 0.15, output_per_mtok: 0.6 },
  'fake-judge-1': { input_per_mtok: 3, output_per_mtok: 15 },
};

let fake: E2eServer;
let dir: string;

beforeAll(async () => {
  fake = await startSentimentServer();
});
afterAll(() => fake.server.close());
beforeEach(async () => {
  dir = await makeTempDir('promptopt-eval-dry-');
  fake.reset();
  // A model that answers every case right (its expected label).
  fake.setRespond((request) => (isJudgeRequest(request) ? judgeVerdict(request) : (caseOf(request)?.expected ?? 'unknown')));
});
afterEach(() => removeDir(dir));

describe('eval --dry-run: judge calls and cost', () => {
  it('the eval makes the calls and pays the cost the dry run projected, within its range', async () => {
    const base = fake.server.openaiBaseUrl;
    await writeSpec(dir, {
      ...sentimentSpec({ provider: 'openai-compatible', model: 'fake-target-1', base_url: base, price: PRICES['fake-target-1'], max_tokens: 16 }),
      judge: { provider: 'openai-compatible', model: 'fake-judge-1', base_url: base, price: PRICES['fake-judge-1'] },
      defaults: { assert: [{ type: 'llm-rubric', value: 'The answer is one word: positive, negative or neutral.' }] },
      repeat: 2,
    });
    const env = { OPENAI_API_KEY: KEY };
    const dry = await runCli(['eval', 'task.yaml', '--dry-run', '--json'], { cwd: dir, env });
    expect(dry.code, dry.stderr).toBe(0);
    expect(fake.server.count).toBe(0);
    const projection = parseJsonOut(dry);
    // 4 cases × 2 samples; 3 labels among them (positive twice): 8 judge calls at most, 3 at least.
    expect(projection).toMatchObject({ calls_to_make: 8, judge_calls: 8, judge_calls_to_make: 8, judge_calls_to_make_min: 3, cost_complete: true });
    const text = await runCli(['eval', 'task.yaml', '--dry-run'], { cwd: dir, env });
    expect(text.stdout).toContain('8 judge calls (one per llm-rubric assertion and sample); 0 cached, 3–8 to make (the same rubric and answer are judged once)');

    const run = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    const judged = fake.server.requests.filter((r) => r.model === 'fake-judge-1').length;
    const targeted = fake.server.requests.length - judged;
    expect(targeted).toBe(projection.calls_to_make);
    expect(judged).toBeGreaterThanOrEqual(projection.judge_calls_to_make_min);
    expect(judged).toBeLessThanOrEqual(projection.judge_calls_to_make);
    const paid = serverCost(fake.server, PRICES);
    expect(paid).toBeGreaterThanOrEqual(projection.cost_low_usd);
    expect(paid).toBeLessThanOrEqual(projection.cost_high_usd);
    if (process.env.DRY_RUN_FIGURES) console.log(`eval: projected $${projection.cost_low_usd} – $${projection.cost_high_usd}; paid $${paid}; target ${targeted}, judge ${judged}`);

    // Cached now: nothing left to make.
    const again = parseJsonOut(await runCli(['eval', 'task.yaml', '--dry-run', '--json'], { cwd: dir, env }));
    expect(again).toMatchObject({ calls_to_make: 0, judge_calls_to_make: 0, judge_calls_to_make_min: 0 });
  });

  it('needs no key: a missing one is a note naming its role, and the eval itself still refuses it', async () => {
    const base = fake.server.openaiBaseUrl;
    await writeSpec(dir, sentimentSpec({ provider: 'openai-compatible', model: 'fake-target-1', base_url: base, price: PRICES['fake-target-1'] }));
    const env = { OPENAI_API_KEY: '' };
    const text = await runCli(['eval', 'task.yaml', '--dry-run'], { cwd: dir, env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/note: no key needed for a dry run, but the run will need one: the target .*OPENAI_API_KEY/);
    const json = parseJsonOut(await runCli(['eval', 'task.yaml', '--dry-run', '--json'], { cwd: dir, env }));
    expect(json.missing_keys).toEqual([expect.objectContaining({ role: 'target', env: ['OPENAI_API_KEY'] })]);
    expect(json.calls_to_make).toBeGreaterThan(0);
    const run = await runCli(['eval', 'task.yaml'], { cwd: dir, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('OPENAI_API_KEY');
    expect(fake.server.count).toBe(0);
  });
});
