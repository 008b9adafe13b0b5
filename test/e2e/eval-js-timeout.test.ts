/**
 * A custom JavaScript assertion that never returns, through the CLI: it costs one assertion_error
 * at its time limit (`timeout_ms`), never the run; and Ctrl-C stops a run stuck in one at once.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { caseOutcomes, sentimentSpec, startSentimentServer, type E2eServer } from './helpers/sentiment-task.js';

const CHECK = `
export function label(output, context) {
  if (context.caseId === 'hate') for (;;) {} // stuck on one case
  return { pass: output.trim() === context.expected, reason: 'compared the label' };
}
`;
let fake: E2eServer;
let dir: string;
beforeAll(async () => {
  fake = await startSentimentServer();
});
afterAll(() => fake.server.close());
beforeEach(async () => {
  fake.reset();
  dir = await makeTempDir();
  await writeFile(join(dir, 'check.mjs'), CHECK);
});
afterEach(() => removeDir(dir));

const env = { OPENAI_API_KEY: 'sk-test-e2e-js-0001' };
async function task(timeoutMs: number): Promise<void> {
  await writeSpec(dir, {
    ...sentimentSpec({ provider: 'openai-compatible', model: 'local-llama', base_url: fake.server.openaiBaseUrl }),
    defaults: { assert: [{ type: 'javascript', value: 'file://check.mjs:label', timeout_ms: timeoutMs }] },
  });
}

describe('a javascript assertion that never returns', () => {
  it('is an assertion_error at its time limit; the other cases are scored as usual', async () => {
    await task(200);
    const result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(1); // 2/4 below the 0.7 threshold: a verdict, not a hang
    const document = parseJsonOut(result);
    expect(caseOutcomes(document)).toMatchObject({ love: { pass: true }, fine: { pass: false }, best: { pass: true }, hate: { pass: false } });
    const hate = document.cases.find((c: any) => c.id === 'hate');
    expect(hate.failures).toEqual([
      expect.objectContaining({ category: 'assertion_error', reason: 'label in check.mjs did not return within 200 ms (timed out; set timeout_ms on the assertion to allow longer)' }),
    ]);
  });

  it('Ctrl-C stops the run while it spins (exit 130), long before its time limit', async () => {
    await task(120_000);
    const controller = new AbortController();
    const timer = setInterval(() => {
      if (fake.server.count >= 4) controller.abort('SIGINT');
    }, 20);
    const result = await runCli(['eval', 'task.yaml', '--quiet'], { cwd: dir, env, signal: controller.signal, timeoutMs: 25_000 });
    clearInterval(timer);
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('interrupted');
  });
});
