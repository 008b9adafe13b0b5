/**
 * The defaults that cost money are visible: the judge defaults to the target's model (an OpenAI-only
 * eval with llm-rubric needs no Anthropic key and bills no Opus), a missing key names the role and the
 * default that chose the model, and run headers name the optimizer and judge before the first call.
 * Against the loopback fake server, through the real SDKs.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exists, listFiles, makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { CASES, caseOutcomes, JUDGE_MARKER, sentimentSpec, startSentimentServer, type E2eServer } from './helpers/sentiment-task.js';
import type { RecordedRequest } from '../support/fake-llm-server.js';

const KEY = 'sk-test-e2e-key-0002';
let fake: E2eServer;
let dir: string;

beforeAll(async () => {
  fake = await startSentimentServer();
});
afterAll(() => fake.server.close());
beforeEach(async () => {
  fake.reset();
  dir = await makeTempDir('promptopt-defaults-');
});
afterEach(() => removeDir(dir));

/** A request the server received whose system message carries the judge marker. */
function isJudged(record: RecordedRequest): boolean {
  const messages = (record.body as { messages?: { role: string; content: string }[] } | undefined)?.messages ?? [];
  return messages.some((m) => m.role === 'system' && m.content.includes(JUDGE_MARKER));
}

const rubricCases = CASES.map((c) => ({ id: c.id, input: c.input, assert: [{ type: 'llm-rubric', value: `The answer for "${c.id}" says the sentiment is ${c.expected}` }] }));

describe('the judge defaults to the target', () => {
  it('an OpenAI-only eval with llm-rubric and no judge: asks no Anthropic key, judges with the target model on the OpenAI endpoint, says so in its header', async () => {
    await writeSpec(dir, sentimentSpec({ provider: 'openai', model: 'gpt-4o-mini' }, { defaults: undefined, cases: rubricCases }));
    const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.server.openaiBaseUrl }; // no ANTHROPIC_API_KEY
    const result = await runCli(['eval', 'task.yaml', '--output', 'out.json'], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("promptopt eval · sentiment · 4 cases (all) · target openai:gpt-4o-mini · judge = the target's model");
    const judged = fake.server.requests.filter(isJudged);
    expect(judged).toHaveLength(CASES.length);
    for (const request of judged) expect(request).toMatchObject({ api: 'openai', model: 'gpt-4o-mini' });
    expect(fake.server.requests.every((r) => r.api === 'openai')).toBe(true);
    const document = JSON.parse(await readFile(join(dir, 'out.json'), 'utf8')) as Record<string, any>;
    expect(caseOutcomes(document)).toMatchObject({ love: { pass: true }, fine: { pass: false } });
  });

  it('a judge named in the spec is the one called, and the header names it', async () => {
    await writeSpec(dir, sentimentSpec({ provider: 'openai', model: 'gpt-4o-mini' }, { defaults: undefined, cases: rubricCases, judge: { model: 'gpt-4o' } }));
    const result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.server.openaiBaseUrl } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('· target openai:gpt-4o-mini · judge openai:gpt-4o\n');
    expect(fake.server.requests.filter(isJudged).map((r) => r.model)).toEqual(CASES.map(() => 'gpt-4o'));
  });
});

describe('a missing key names the role and the default that chose the model', () => {
  it('a sim target without optimizer: optimize says the default optimizer (Claude Opus) needs ANTHROPIC_API_KEY, and how to choose another; nothing is written', async () => {
    await writeSpec(dir, { ...sentimentSpec({ provider: 'sim', model: 'sim-classifier' }), cases: CASES.map((c, i) => ({ input: c.input, expected: c.expected, split: i < 2 ? 'train' : 'test' })) });
    const result = await runCli(['optimize', 'task.yaml'], { cwd: dir, env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'error: the optimizer anthropic:claude-opus-5-5 (the default optimizer: the spec names no `optimizer.model`) needs an API key: set ANTHROPIC_API_KEY',
    );
    expect(result.stderr).toContain('`optimizer: { provider: sim, model: sim-optimizer }` to try promptopt offline');
    expect(await listFiles(dir)).toEqual(['task.yaml']);

    const json = await runCli(['optimize', 'task.yaml', '--json'], { cwd: dir, env: {} });
    expect(parseJsonOut(json).error).toMatchObject({ code: 'MISSING_API_KEY', path: 'optimizer.provider' });
  });

  it('a judge named only by provider: the error names the judge and its default model', async () => {
    await writeSpec(dir, sentimentSpec({ provider: 'openai', model: 'gpt-4o-mini' }, { defaults: undefined, cases: rubricCases, judge: { provider: 'anthropic' } }));
    const result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.server.openaiBaseUrl } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: the judge anthropic:claude-opus-5-5 (the default judge: the spec names no `judge.model`) needs an API key: set ANTHROPIC_API_KEY');
    expect(fake.server.count).toBe(0);
    expect(await exists(join(dir, '.promptopt'))).toBe(false);
  });
});

describe('run headers name every model a run bills', () => {
  it('optimize: target, optimizer and judge before the first call', async () => {
    const cases = CASES.map((c, i) => ({ ...rubricCases[i], split: i < 2 ? 'train' : 'test' }));
    await writeSpec(dir, {
      ...sentimentSpec({ provider: 'sim', model: 'sim-classifier' }, { defaults: undefined, cases }),
      optimizer: { provider: 'sim', model: 'sim-optimizer', max_iterations: 1, validation_iterations: 0 },
    });
    const result = await runCli(['optimize', 'task.yaml', '--dry-run'], { cwd: dir, env: {} });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      "promptopt optimize · sentiment · 4 cases (train 2, validation 0, test 2) · target sim:sim-classifier (SIMULATED, not a real model) · optimizer sim:sim-optimizer (simulated) · judge = the target's model",
    );
  });
});
