/**
 * `promptopt eval` end to end, through the real SDKs inside the built CLI, against the loopback fake
 * server: Anthropic (ANTHROPIC_BASE_URL), OpenAI (OPENAI_BASE_URL), openai-compatible (`base_url`
 * in the spec); exit codes around the threshold; the Anthropic temperature warning; a missing key;
 * `repeat`; an llm-rubric judge.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { exists, makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import {
  CASES,
  EXPECTED_PASS,
  EXPECTED_SCORE,
  MODEL_ANSWERS,
  caseOf,
  caseOutcomes,
  overall,
  sentimentSpec,
  startSentimentServer,
  type E2eServer,
} from './helpers/sentiment-task.js';

const KEY = 'sk-test-e2e-key-0001';
let fake: E2eServer;
let dir: string;

beforeAll(async () => {
  fake = await startSentimentServer();
});
afterAll(() => fake.server.close());
beforeEach(async () => {
  fake.reset();
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

/** Every key of every object in the document is snake_case. */
function nonSnakeKeys(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => nonSnakeKeys(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(/^[a-z][a-z0-9_]*$/.test(key) ? [] : [`${path}.${key}`]),
    ...nonSnakeKeys(child, `${path}.${key}`),
  ]);
}

function expectSentimentResults(document: Record<string, any>, target: { provider: string; model: string }): void {
  expect(document.schema_version).toBe(1);
  expect(nonSnakeKeys(document)).toEqual([]);
  expect(document.target).toEqual({ ...target, simulated: false });
  expect(document.split).toBe('all');
  expect(document.cases).toHaveLength(CASES.length);
  for (const c of document.cases) {
    expect(c.pass, `case ${c.id}`).toBe(EXPECTED_PASS[c.id]);
    expect(c.output, `case ${c.id}`).toBe(MODEL_ANSWERS[c.id]);
    expect(c.provider_error).toBeNull();
    expect(c.cache_hit).toBe(false);
  }
  const failing = document.cases.find((c: any) => c.id === 'fine');
  expect(failing.failures).toEqual([
    expect.objectContaining({ type: 'equals', category: 'wrong_answer', expected: 'neutral', actual: 'positive' }),
  ]);
  expect(overall(document)).toMatchObject({ total: 4, passed: 3, score: EXPECTED_SCORE, calls: 4, cache_hits: 0, provider_errors: 0 });
  // The per-split lines add up to the overall one.
  const splits = document.summary.filter((s: any) => s.split !== 'all');
  expect(splits.reduce((n: number, s: any) => n + s.total, 0)).toBe(4);
  expect(document.score).toBe(EXPECTED_SCORE);
  expect(document.threshold).toBe(0.7);
  expect(document.passed).toBe(true);
  expect(document.exit_code).toBe(0);
}

describe('eval through each provider SDK', () => {
  it('anthropic: Messages API via ANTHROPIC_BASE_URL', async () => {
    await writeSpec(dir, sentimentSpec({ provider: 'anthropic', model: 'claude-haiku-4-5' }));
    const result = await runCli(['eval', 'task.yaml', '--json'], {
      cwd: dir,
      env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.server.anthropicBaseUrl },
    });
    expect(result.code, result.stderr).toBe(0);
    expectSentimentResults(parseJsonOut(result), { provider: 'anthropic', model: 'claude-haiku-4-5' });
    expect(fake.server.requests.map((r) => [r.api, r.path, r.status, r.auth])).toEqual(
      CASES.map(() => ['anthropic', '/v1/messages', 200, 'valid']),
    );
  });

  it('openai: Chat Completions via OPENAI_BASE_URL', async () => {
    await writeSpec(dir, sentimentSpec({ provider: 'openai', model: 'gpt-4o-mini' }));
    const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.server.openaiBaseUrl };
    const result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    const document = parseJsonOut(result);
    expectSentimentResults(document, { provider: 'openai', model: 'gpt-4o-mini' });
    expect(overall(document).cost_usd).toBeGreaterThan(0); // a priced model
    expect(fake.server.requests.map((r) => [r.api, r.path, r.status])).toEqual(CASES.map(() => ['openai', '/v1/chat/completions', 200]));
    // OpenAI proper gets max_completion_tokens, not max_tokens.
    expect(fake.server.requests[0]!.body).toMatchObject({ model: 'gpt-4o-mini', max_completion_tokens: expect.any(Number) });

    // The human summary (served from the cache now).
    const human = await runCli(['eval', 'task.yaml'], { cwd: dir, env });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('PASS: pass rate 75.0% >= threshold 70.0% · openai:gpt-4o-mini');
    expect(human.stdout).toMatch(/✗ fine \[\w+\] equals — wrong_answer/);
  });

  it('openai-compatible: base_url in the spec; exit 1 below the threshold, 0 at or above it', async () => {
    await writeSpec(dir, sentimentSpec({ provider: 'openai-compatible', model: 'local-llama', base_url: fake.server.openaiBaseUrl }));
    const env = { OPENAI_API_KEY: KEY };
    const result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    const document = parseJsonOut(result);
    expectSentimentResults(document, { provider: 'openai-compatible', model: 'local-llama' });
    expect(overall(document)).toMatchObject({ cost_usd: 0, cost_incomplete: true }); // no price known: a lower bound, flagged
    expect(fake.server.requests[0]!.body).toMatchObject({ model: 'local-llama', max_tokens: expect.any(Number) });

    const below = await runCli(['eval', 'task.yaml', '--json', '--threshold', '0.8'], { cwd: dir, env });
    expect(below.code).toBe(1);
    expect(parseJsonOut(below)).toMatchObject({ score: EXPECTED_SCORE, threshold: 0.8, passed: false, exit_code: 1 });

    const at = await runCli(['eval', 'task.yaml', '--json', '--threshold', '0.75'], { cwd: dir, env });
    expect(at.code).toBe(0);
    expect(parseJsonOut(at)).toMatchObject({ threshold: 0.75, passed: true, exit_code: 0 });

    const human = await runCli(['eval', 'task.yaml', '--threshold', '0.8'], { cwd: dir, env });
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('FAIL: pass rate 75.0% < threshold 80.0%');
  });

  it('anthropic with temperature: one warning line on stderr, the field is not sent, no 400', async () => {
    await writeSpec(dir, sentimentSpec({ provider: 'anthropic', model: 'claude-haiku-4-5', temperature: 0.7 }));
    const result = await runCli(['eval', 'task.yaml', '--json', '--quiet'], {
      cwd: dir,
      env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.server.anthropicBaseUrl },
    });
    expect(result.code, result.stderr).toBe(0);
    const warnings = result.stderr.split('\n').filter((line) => /temperature/.test(line));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: .*does not accept temperature; ignoring target\.temperature=0\.7 for claude-haiku-4-5$/);
    expect(fake.server.requests.every((r) => r.status === 200)).toBe(true);
    expect(fake.server.requests.some((r) => 'temperature' in (r.body as object))).toBe(false);
    expect(parseJsonOut(result).score).toBe(EXPECTED_SCORE);
  });

  it('missing API key: exit 2 naming OPENAI_API_KEY and suggesting provider: sim; no request, no silent simulator', async () => {
    await writeSpec(dir, sentimentSpec({ provider: 'openai', model: 'gpt-4o-mini' }));
    const result = await runCli(['eval', 'task.yaml', '--output', 'out.json'], {
      cwd: dir,
      env: { OPENAI_BASE_URL: fake.server.openaiBaseUrl, ANTHROPIC_API_KEY: KEY /* another provider's key does not count */ },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('OPENAI_API_KEY');
    expect(result.stderr).toContain('provider: sim');
    expect(result.stdout).toBe('');
    expect(fake.server.count).toBe(0);
    expect(await exists(join(dir, 'out.json'))).toBe(false);

    const json = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: { OPENAI_BASE_URL: fake.server.openaiBaseUrl } });
    expect(json.code).toBe(2);
    expect(parseJsonOut(json)).toMatchObject({ schema_version: 1, error: { code: 'MISSING_API_KEY', message: expect.stringContaining('OPENAI_API_KEY') } });
    expect(fake.server.count).toBe(0);
  });
});

describe('eval features through a real provider', () => {
  it('repeat: 3 sends 3 separate requests per case; a case scores the mean over its samples', async () => {
    // `fine` is right on 2 of its 3 samples (in whatever order they arrive).
    const fineCalls = { n: 0 };
    fake.setRespond((request) => {
      const testCase = caseOf(request)!;
      if (testCase.id !== 'fine') return MODEL_ANSWERS[testCase.id]!;
      fineCalls.n += 1;
      return fineCalls.n <= 2 ? 'neutral' : 'positive';
    });
    await writeSpec(dir, sentimentSpec({ provider: 'openai', model: 'gpt-4o-mini' }, { repeat: 3 }));
    const result = await runCli(['eval', 'task.yaml', '--json'], {
      cwd: dir,
      env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.server.openaiBaseUrl },
    });
    expect(result.code, result.stderr).toBe(0); // mean score 0.917 >= 0.7, though `fine` fails (not every sample passed)
    const document = parseJsonOut(result);
    expect(fake.server.count).toBe(3 * CASES.length);
    for (const testCase of CASES) {
      expect(fake.server.requests.filter((r) => JSON.stringify(r.body).includes(testCase.input))).toHaveLength(3);
    }
    const fine = document.cases.find((c: any) => c.id === 'fine');
    expect(fine).toMatchObject({ samples: 3, pass: false });
    expect(fine.score).toBeCloseTo(2 / 3, 10);
    for (const c of document.cases.filter((c: any) => c.id !== 'fine')) expect(c).toMatchObject({ samples: 3, pass: true, score: 1 });
    expect(document.score).toBeCloseTo((3 + 2 / 3) / 4, 10);
    expect(overall(document)).toMatchObject({ total: 4, passed: 3, calls: 12 });
  });

  it('llm-rubric with an openai judge: judge requests carry the marker, verdicts decide, and are cached on the next run', async () => {
    const spec = sentimentSpec(
      { provider: 'openai', model: 'gpt-4o-mini' },
      {
        defaults: undefined,
        cases: CASES.map((c) => ({ id: c.id, input: c.input, assert: [{ type: 'llm-rubric', value: `The answer for "${c.id}" says the sentiment is ${c.expected}` }] })),
        judge: { provider: 'openai', model: 'gpt-4o-mini' },
      },
    );
    await writeSpec(dir, spec);
    const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.server.openaiBaseUrl };
    const first = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    const document = parseJsonOut(first);
    const judged = fake.server.requests.filter((r) => {
      const system = ((r.body as { messages: { role: string; content: string }[] }).messages.find((m) => m.role === 'system')?.content) ?? '';
      return system.includes('[promptopt:judge]');
    });
    expect(judged).toHaveLength(CASES.length);
    expect(fake.server.count).toBe(2 * CASES.length);
    expect(caseOutcomes(document)).toMatchObject({ love: { pass: true }, hate: { pass: true }, fine: { pass: false }, best: { pass: true } });
    const fine = document.cases.find((c: any) => c.id === 'fine');
    expect(fine.failures).toEqual([expect.objectContaining({ type: 'llm-rubric', category: 'rubric_failed' })]);
    expect(fine.failures[0].reason).toContain('"positive" is not what the rubric asks for');
    expect(document.spend).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'target', calls: 4, cache_hits: 0 }),
        expect.objectContaining({ role: 'judge', calls: 4, cache_hits: 0 }),
      ]),
    );

    const countAfterFirst = fake.server.count;
    const second = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env });
    expect(second.code, second.stderr).toBe(0);
    expect(fake.server.count).toBe(countAfterFirst); // target and judge both from the cache
    const again = parseJsonOut(second);
    expect(caseOutcomes(again)).toEqual(caseOutcomes(document));
    expect(again.spend).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'target', calls: 0, cache_hits: 4 }),
        expect.objectContaining({ role: 'judge', calls: 0, cache_hits: 4 }),
      ]),
    );
  });
});
