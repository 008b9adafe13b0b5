/**
 * `promptopt eval` when the endpoint is down: a dead port and a server that never answers stop the
 * run early with one message and exit 3 (the circuit breaker, `unreachable_after_ms`), instead of
 * retrying every case; `--deadline` bounds a run that would otherwise wait on long timeouts.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { sentimentSpec, startSentimentServer, type E2eServer } from './helpers/sentiment-task.js';
import { closedPortUrl } from '../support/fake-llm-server.js';
import { waitFor } from './helpers/optimize-harness.js';

const KEY = 'sk-test-e2e-outage-0001';
const MANY = Array.from({ length: 40 }, (_, i) => ({ id: `c${i}`, input: `review ${i}: it was fine`, expected: 'positive' }));
let fake: E2eServer;
let dir: string;

beforeAll(async () => {
  fake = await startSentimentServer();
});
afterAll(() => fake.server.close());
beforeEach(async () => {
  fake.reset();
  fake.setRespond(() => 'positive');
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

async function task(baseUrl: string, target: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<void> {
  await writeSpec(dir, {
    ...sentimentSpec({ provider: 'openai-compatible', model: 'local-llama', base_url: baseUrl, retry_delay_ms: 5, ...target }),
    cases: MANY,
    concurrency: 4,
    ...extra,
  });
}

const run = (...flags: string[]) => runCli(['eval', 'task.yaml', ...flags], { cwd: dir, env: { OPENAI_API_KEY: KEY } });

describe('endpoint down', () => {
  it('a dead port: stops after unreachable_after_ms with one message, exit 3, no per-case verdict', async () => {
    await task(`${await closedPortUrl()}/v1`, { max_retries: 100, unreachable_after_ms: 200 });
    const result = await run('--json');
    expect(result.code, result.stderr).toBe(3);
    const document = parseJsonOut(result);
    expect(document.error).toMatchObject({ code: 'ENDPOINT_UNREACHABLE' });
    expect(document.error.message).toMatch(/openai-compatible at http:\/\/127\.0\.0\.1:\d+\/v1 is unreachable: no answer for \d+\.\d s, \d+ request\(s\) in a row failed \(last: openai-compatible: connection failed/);
    expect(document.error.hint).toContain('unreachable_after_ms');
    expect(result.stderr.match(/error:/g)).toHaveLength(1); // one message, not one per case

    const human = await run();
    expect(human.code).toBe(3);
    expect(human.stdout).toBe(''); // no table of 40 "failed" cases
    expect(human.stderr).toMatch(/^error: openai-compatible at .* is unreachable/m);
  });

  it('a server that never answers: the first round of timeouts stops the run (no retries, no other cases)', async () => {
    fake.server.setFaults({ every: 1, hang: true });
    await task(fake.server.openaiBaseUrl, { max_retries: 4, timeout_ms: 150, unreachable_after_ms: 100 });
    const result = await run('--json');
    expect(result.code, result.stderr).toBe(3);
    expect(parseJsonOut(result).error).toMatchObject({ code: 'ENDPOINT_UNREACHABLE' });
    expect(parseJsonOut(result).error.message).toContain('request timed out');
    // -j 4: four hung requests (and at most a retry or two sent as it opened), not 40 cases × 5 attempts.
    expect(fake.server.count).toBeLessThanOrEqual(6);
  });

  it('an endpoint that comes back within the window is no outage: the run completes', async () => {
    let refused = 0;
    fake.server.setFaults(() => (refused++ < 6 ? { disconnect: true } : null));
    await task(fake.server.openaiBaseUrl, { max_retries: 6, unreachable_after_ms: 5_000 });
    const result = await run('--json');
    expect(result.code, result.stderr).toBe(0);
    expect(parseJsonOut(result).summary.find((s: any) => s.split === 'all')).toMatchObject({ total: 40, passed: 40, provider_errors: 0 });
  });
});

describe('--deadline', () => {
  it('stops a run that outlives it: exit 3, says how far it got', async () => {
    fake.server.setFaults({ every: 1, hang: true });
    await task(fake.server.openaiBaseUrl, { timeout_ms: 60_000, unreachable_after_ms: 60_000 });
    const result = await run('--json', '--deadline', '300ms');
    expect(result.code, result.stderr).toBe(3);
    const { error } = parseJsonOut(result);
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', message: '--deadline 300ms reached: 0 of 40 case(s) scored' });
    await waitFor(() => (fake.server.inFlight === 0 ? true : undefined), 2_000); // the hung requests were cancelled, not left behind
  });

  it('a run within its deadline is unaffected; a bad duration is a usage error', async () => {
    await task(fake.server.openaiBaseUrl, {});
    expect((await run('--quiet', '--deadline', '1m')).code).toBe(0);
    const bad = await run('--deadline', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--deadline must be a duration such as 90s, 15m or 2h (got "soon")');
  });
});
