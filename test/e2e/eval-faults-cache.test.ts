/**
 * `promptopt eval` against a misbehaving server and from its cache: retryable faults (429 with
 * retry-after 0, 500, 529) change nothing in the results; a malformed 2xx body is that case's
 * provider_error and exit 3; a second run is served from the cache without a single request;
 * `--no-cache` and `--dry-run`.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exists, listFiles, makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { CASES, EXPECTED_SCORE, caseOf, caseOutcomes, overall, sentimentSpec, startSentimentServer, type E2eServer } from './helpers/sentiment-task.js';

const KEY = 'sk-test-e2e-key-0002';
let fake: E2eServer;
const dirs: string[] = [];

beforeAll(async () => {
  fake = await startSentimentServer();
});
afterAll(() => fake.server.close());
beforeEach(() => fake.reset());
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeDir));
});

async function taskDir(extra: Record<string, unknown> = {}): Promise<string> {
  const dir = await makeTempDir();
  dirs.push(dir);
  await writeSpec(dir, sentimentSpec({ provider: 'openai-compatible', model: 'local-llama', base_url: fake.server.openaiBaseUrl }, extra));
  return dir;
}

const env = { OPENAI_API_KEY: KEY };
const evalJson = (dir: string, ...flags: string[]) => runCli(['eval', 'task.yaml', '--json', '--quiet', ...flags], { cwd: dir, env });

describe('faults', () => {
  it('429 (retry-after 0), 500 and 529 are retried: the results are identical to a clean run', async () => {
    const clean = await evalJson(await taskDir());
    expect(clean.code, clean.stderr).toBe(0);
    expect(fake.server.count).toBe(CASES.length);

    fake.reset();
    fake.server.setFaults([{ status: 429, retryAfterS: 0 }, { status: 500 }, { status: 529 }]);
    const faulty = await evalJson(await taskDir());
    expect(faulty.code, faulty.stderr).toBe(0);
    expect(fake.server.requests.filter((r) => r.fault).map((r) => r.status)).toEqual([429, 500, 529]);
    expect(fake.server.count).toBe(CASES.length + 3); // each failed attempt retried once

    const [a, b] = [parseJsonOut(clean), parseJsonOut(faulty)];
    expect(caseOutcomes(b)).toEqual(caseOutcomes(a));
    expect(b.score).toBe(a.score);
    expect(overall(b)).toMatchObject({ total: 4, passed: 3, calls: 4, provider_errors: 0 });
    expect(b.cases.every((c: any) => c.provider_error === null)).toBe(true);
  });

  it('a 2xx body without the answer is not retried: that case is a provider_error, the others are fine, exit 3', async () => {
    fake.server.setFaults((request) => (caseOf(request)?.id === 'hate' ? { malformed: 'missing-content' } : null));
    const dir = await taskDir();
    const result = await runCli(['eval', 'task.yaml', '--json', '--output', 'out.json'], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(3);
    expect(fake.server.count).toBe(CASES.length); // no retry of the malformed body (valid JSON, no answer in it)
    const document = parseJsonOut(result);
    expect(document.exit_code).toBe(3);
    const hate = document.cases.find((c: any) => c.id === 'hate');
    expect(hate).toMatchObject({ pass: false, output: '', provider_error: { code: 'PROVIDER_MALFORMED_RESPONSE' } });
    expect(hate.provider_error.message).toMatch(/malformed response/);
    expect(hate.failures).toEqual([expect.objectContaining({ category: 'provider_error' })]);
    expect(caseOutcomes(document)).toMatchObject({
      love: { pass: true, output: 'positive' },
      fine: { pass: false, output: 'positive' },
      best: { pass: true, output: 'positive' },
    });
    expect(overall(document)).toMatchObject({ total: 4, passed: 2, provider_errors: 1 });
    expect(await exists(join(dir, 'out.json'))).toBe(true); // the report is still written

    const humanError = await runCli(['eval', 'task.yaml'], { cwd: dir, env });
    expect(humanError.code).toBe(3);
    expect(humanError.stdout).toContain('hate');
    expect(humanError.stdout).toMatch(/ERROR: 1 case\(s\) failed with provider errors.*exit 3/);

    // The broken answer was not cached: a healthy server is now asked for it, and only for it.
    fake.reset();
    const human = await runCli(['eval', 'task.yaml'], { cwd: dir, env });
    expect(human.code).toBe(0);
    expect(fake.server.count).toBe(1);
    expect(JSON.stringify(fake.server.requests[0]!.body)).toContain(CASES.find((c) => c.id === 'hate')!.input);
    expect(human.stdout).toContain('PASS: pass rate 75.0%');
  });
});

describe('cache', () => {
  it('a second run is served entirely from the cache: zero requests, same results; --no-cache calls again', async () => {
    const dir = await taskDir();
    const first = await evalJson(dir);
    expect(first.code, first.stderr).toBe(0);
    const afterFirst = fake.server.count;
    expect(afterFirst).toBe(CASES.length);
    expect(await listFiles(join(dir, '.promptopt', 'cache'))).not.toEqual([]);

    const second = await evalJson(dir);
    expect(second.code, second.stderr).toBe(0);
    expect(fake.server.count).toBe(afterFirst);
    const [a, b] = [parseJsonOut(first), parseJsonOut(second)];
    expect(caseOutcomes(b)).toEqual(caseOutcomes(a));
    expect(b.score).toBe(EXPECTED_SCORE);
    expect(overall(b)).toMatchObject({ total: 4, cache_hits: 4, calls: 0 });
    expect(b.cases.every((c: any) => c.cache_hit === true)).toBe(true);
    expect(b.spend).toEqual([expect.objectContaining({ role: 'target', calls: 0, cache_hits: 4 })]);

    const uncached = await evalJson(dir, '--no-cache');
    expect(uncached.code, uncached.stderr).toBe(0);
    expect(fake.server.count).toBe(afterFirst + CASES.length);
    const c = parseJsonOut(uncached);
    expect(caseOutcomes(c)).toEqual(caseOutcomes(a));
    expect(overall(c)).toMatchObject({ cache_hits: 0, calls: 4 });

    // `cache stats` counts the entries, `cache clear` empties the cache: the next run calls again.
    const stats = await runCli(['cache', 'stats', 'task.yaml', '--json'], { cwd: dir, env });
    expect(stats.code, stats.stderr).toBe(0);
    expect(parseJsonOut(stats)).toMatchObject({ schema_version: 1, dir: join(dir, '.promptopt', 'cache'), entries: 4, bytes: expect.any(Number) });
    const cleared = await runCli(['cache', 'clear', 'task.yaml', '--json'], { cwd: dir, env });
    expect(parseJsonOut(cleared)).toMatchObject({ removed: 4 });
    const counted = fake.server.count;
    expect((await evalJson(dir)).code).toBe(0);
    expect(fake.server.count).toBe(counted + CASES.length);
  });

  it('--dry-run makes no request and counts the calls to make, then the cached ones', async () => {
    const dir = await taskDir({ repeat: 2 });
    const before = await evalJson(dir, '--dry-run');
    expect(before.code, before.stderr).toBe(0);
    expect(fake.server.count).toBe(0);
    expect(parseJsonOut(before)).toMatchObject({
      schema_version: 1,
      dry_run: true,
      cases: 4,
      samples: 2,
      total_calls: 8,
      cached_calls: 0,
      calls_to_make: 8,
      cost_low_usd: null, // local-llama has no known price
    });
    expect(await exists(join(dir, '.promptopt'))).toBe(false);

    const human = await runCli(['eval', 'task.yaml', '--dry-run'], { cwd: dir, env });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('4 cases × 2 sample(s) = 8 target calls; 0 cached, 8 to make');
    expect(fake.server.count).toBe(0);

    expect((await evalJson(dir)).code).toBe(0);
    expect(fake.server.count).toBe(8);
    const after = await evalJson(dir, '--dry-run');
    expect(parseJsonOut(after)).toMatchObject({ total_calls: 8, cached_calls: 8, calls_to_make: 0 });
    expect(fake.server.count).toBe(8);
  });
});
