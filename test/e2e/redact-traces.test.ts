/**
 * `redact: { traces: true }`: optimize's trace.jsonl holds placeholders, not the personal data that
 * cases carry into the prompts; without it the trace holds the data as sent (the hook is what removes it).
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, runCli, writeSpec } from './helpers/cli.js';

const CASES = [
  { input: 'Refund me at jane.doe@example.com, I love it', expected: 'positive', split: 'train' },
  { input: 'Call +44 20 7946 0958, this is terrible', expected: 'negative', split: 'train' },
  { input: 'Great service, mail jane.doe@example.com', expected: 'positive', split: 'test' },
];

const spec = (redact?: unknown) => ({
  name: 'sentiment',
  description: 'Classify review sentiment',
  prompt: 'Classify the review.\n\nReview: {{input}}',
  target: { provider: 'sim', model: 'sim-classifier' },
  optimizer: { provider: 'sim', model: 'sim-optimizer', max_iterations: 1, candidates: 1, validation_iterations: 0 },
  cases: CASES,
  defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
  ...(redact === undefined ? {} : { redact }),
});

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('promptopt-redact-traces-');
});
afterEach(async () => {
  await removeDir(dir);
});

async function trace(): Promise<string> {
  const runs = join(dir, '.promptopt/runs');
  const [run] = await readdir(runs);
  return readFile(join(runs, run!, 'trace.jsonl'), 'utf8');
}

describe('redact: { traces: true }', () => {
  it('replaces personal data in every traced call, consistently within a call', async () => {
    await writeSpec(dir, spec({ traces: true }));
    const result = await runCli(['optimize', 'task.yaml', '--quiet', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const text = await trace();
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).not.toContain('7946 0958');
    expect(text).toContain('Refund me at <EMAIL_1>, I love it');
    expect(text).toContain('Call <PHONE_1>, this is terrible');
  });

  it('without it, the trace holds what was sent', async () => {
    await writeSpec(dir, spec());
    expect((await runCli(['optimize', 'task.yaml', '--quiet', '--json'], { cwd: dir })).code).toBe(0);
    expect(await trace()).toContain('jane.doe@example.com');
  });
});
