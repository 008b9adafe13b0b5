/**
 * Notifications end to end: the built CLI posts to a loopback webhook receiver. Offline: the target
 * and optimizer are the simulator (with a price override where a budget must run out).
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { exists, makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { startReceiver, type WebhookReceiver } from './helpers/webhook-receiver.js';

const CASES = [
  { input: 'I love this phone, the battery lasts for days', expected: 'positive', split: 'train' },
  { input: 'I hate waiting forty minutes for cold food', expected: 'negative', split: 'train' },
  { input: 'The hotel was fine I guess, nothing special', expected: 'neutral', split: 'train' },
  { input: 'Best concert I have been to in years', expected: 'positive', split: 'train' },
  { input: 'Terrible service and rude staff', expected: 'negative', split: 'test' },
  { input: 'Great value, would buy again', expected: 'positive', split: 'test' },
];

/** A sim task whose start prompt names no labels: it scores 0, and the sim optimizer fixes it in one iteration. */
function simSpec(extra: Record<string, unknown> = {}, target: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'sentiment',
    description: 'Classify review sentiment (notify e2e)',
    prompt: 'Classify the review.\n\nReview: {{input}}',
    target: { provider: 'sim', model: 'sim-classifier', ...target },
    optimizer: { provider: 'sim', model: 'sim-optimizer', max_iterations: 3, candidates: 1, validation_iterations: 0 },
    cases: CASES,
    defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
    threshold: 0.8,
    ...extra,
  };
}

let dir: string;
let receiver: WebhookReceiver | undefined;

beforeEach(async () => {
  dir = await makeTempDir('promptopt-notify-');
});

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  await removeDir(dir);
});

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: dir, env });

describe('notify: eval', () => {
  test('below its threshold, eval posts `degradation` with task, versions, scores and report; exit 1 as always', async () => {
    receiver = await startReceiver();
    await writeSpec(dir, simSpec({ notify: { webhooks: receiver.url, headers_env: { Authorization: 'HOOK_AUTH' } } }));
    const result = await cli(['eval', 'task.yaml', '--output', 'results.json', '--quiet'], { HOOK_AUTH: 'Bearer hook-token-1' });
    expect(result.code, result.stderr).toBe(1);
    expect(receiver.types()).toEqual(['degradation']);
    const [hook] = receiver.received;
    expect(hook!.method).toBe('POST');
    expect(hook!.headers['content-type']).toBe('application/json');
    expect(hook!.headers.authorization).toBe('Bearer hook-token-1');
    expect(hook!.body).toMatchObject({
      schema_version: 1,
      tool: 'promptopt',
      type: 'degradation',
      task: 'sentiment',
      versions: { current: null },
      scores: { all: 0, train: 0, test: 0 },
      report: join(dir, 'results.json'),
      details: { command: 'eval', split: 'all', threshold: 0.8, objective: 'pass_rate', passed: 0, total: 6 },
    });
    expect(hook!.body.summary).toMatch(/^sentiment: the prompt scores 0\.0% \(pass rate\) on all cases, below its threshold 80\.0%/);
    expect(Date.parse(hook!.body.sent_at)).not.toBeNaN();
    expect(await exists(hook!.body.report)).toBe(true);
    expect(result.stderr).not.toMatch(/notify/);
  });

  test('at or above the threshold nothing is posted', async () => {
    receiver = await startReceiver();
    await writeSpec(dir, simSpec());
    const result = await cli(['eval', 'task.yaml', '--threshold', '0', '--quiet', '--notify', receiver.url]);
    expect(result.code, result.stderr).toBe(0);
    expect(receiver.received).toEqual([]);
  });

  test('a receiver that always fails: same exit code and stdout as without notify, one warning naming the URL (query redacted)', async () => {
    receiver = await startReceiver(() => 500);
    await writeSpec(dir, simSpec());
    const without = await cli(['eval', 'task.yaml', '--json']);
    const withNotify = await cli(['eval', 'task.yaml', '--json', '--notify', `${receiver.url}?sig=SECRET-SIG-123`]);
    expect(without.code).toBe(1);
    expect(withNotify.code).toBe(without.code);
    expect(parseJsonOut(withNotify).score).toBe(parseJsonOut(without).score);
    expect(receiver.received).toHaveLength(3); // 3 attempts, backing off between them
    const warnings = withNotify.stderr.split('\n').filter((line) => /notify/.test(line));
    expect(warnings, withNotify.stderr).toHaveLength(1);
    expect(warnings[0]).toContain(`${receiver.url}?[REDACTED]`);
    expect(warnings[0]).toMatch(/could not deliver "degradation" to .* \(after 3 attempts: HTTP 500\); the command's result is not affected$/);
    expect(withNotify.stderr).not.toContain('SECRET-SIG-123');
  });
});

describe('notify: optimize', () => {
  test('a run whose final version beats the start posts `new_version` once, with from/to versions, scores and the report', async () => {
    receiver = await startReceiver();
    await writeSpec(dir, simSpec());
    const result = await cli(['optimize', 'task.yaml', '--json', '--notify', receiver.url]);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);
    expect(summary.best_version).toBeGreaterThan(summary.start_version);
    expect(receiver.types()).toEqual(['new_version']);
    const body = receiver.received[0]!.body;
    expect(body).toMatchObject({
      type: 'new_version',
      task: 'sentiment',
      versions: { from: summary.start_version, to: summary.best_version },
      scores: {
        train: summary.scores.final.train.score,
        validation: null,
        test: summary.scores.final.test.score,
        start_train: summary.scores.start.train.score,
      },
      report: summary.reports.markdown,
      details: { command: 'optimize', run_id: summary.run_id, version_file: summary.best_version_file },
    });
    expect(body.summary).toMatch(/^sentiment: new prompt version v2 \(from v1\): train 0\.0% → 100\.0%/);
    expect(await exists(body.report)).toBe(true);
  });

  test('a budget stop posts `budget_warning` then `budget_exhausted` (and no new version)', async () => {
    receiver = await startReceiver();
    // Output tokens only, and max_tokens 4: a call costs $0.01 to $0.02 and reserves $0.02 (its upper
    // bound), so the run passes 80% of $0.12 before a call no longer fits.
    const price = { input_per_mtok: 0, output_per_mtok: 5000 };
    await writeSpec(dir, simSpec({ notify: { webhooks: [receiver.url] } }, { price, max_tokens: 4 }));
    const result = await cli(['optimize', 'task.yaml', '--json', '--no-cache', '--max-cost', '0.12', '-j', '1']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);
    expect(summary.stop_reason).toBe('budget');
    expect(receiver.types()).toEqual(['budget_warning', 'budget_exhausted']);
    const [warning, exhausted] = receiver.received.map((r) => r.body);
    expect(warning).toMatchObject({ task: 'sentiment', report: summary.reports.markdown, details: { max_usd: 0.12, run_id: summary.run_id } });
    expect(warning!.details.spent_usd).toBeGreaterThanOrEqual(0.096);
    expect(exhausted).toMatchObject({
      task: 'sentiment',
      versions: { start: summary.start_version, current: summary.best_version },
      report: summary.reports.markdown,
      details: { max_usd: 0.12, stop_reason: 'budget', spent_usd: summary.cost_usd },
    });
  });

  test('the spec\'s event filter applies to --notify URLs too', async () => {
    receiver = await startReceiver();
    await writeSpec(dir, simSpec({ notify: { webhooks: 'http://127.0.0.1:9/unused', events: ['degradation'] } }));
    const result = await cli(['optimize', 'task.yaml', '--json', '--notify', receiver.url]);
    expect(result.code, result.stderr).toBe(0);
    expect(receiver.received).toEqual([]);
  });
});

describe('notify: bad input', () => {
  test('a bad webhook URL and a misspelt event: exit 2, each with file, path, line and column', async () => {
    const spec = [
      'name: sentiment',
      'description: d',
      'prompt: "Review: {{input}}"',
      'target: { provider: sim, model: sim-classifier }',
      'cases:',
      '  - { input: hello, expected: positive }',
      'notify:',
      '  webhooks:',
      '    - hooks.example.com/promptopt',
      '  events: [new_version, degradaton]',
    ].join('\n');
    await writeSpec(dir, spec);
    const result = await cli(['eval', 'task.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('task.yaml:9:7: notify.webhooks[0]: a webhook must be an http:// or https:// URL');
    expect(result.stderr).toContain('task.yaml:10:25: notify.events[1]: unknown value "degradaton" (did you mean "degradation"?)');
  });

  test('--notify with something that is not an http(s) URL is a usage error (exit 2)', async () => {
    await writeSpec(dir, simSpec());
    const result = await cli(['eval', 'task.yaml', '--notify', 'ftp://example.com/x?token=abc']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--notify must be an http:// or https:// URL (got ftp://example.com/x?[REDACTED])');
    expect(result.stderr).not.toContain('token=abc');
  });
});
