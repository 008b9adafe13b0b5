/**
 * `promptopt stats` end to end: figures per version, model and day on a small fixture, checked
 * against values computed by hand; and the `degradation` and `feedback_threshold` webhooks posted to a
 * loopback receiver.
 */
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, REPO_ROOT, runCli, writeSpec } from './helpers/cli.js';
import { startReceiver, type WebhookReceiver } from './helpers/webhook-receiver.js';

const SPEC = {
  name: 'support',
  description: 'Answer a support message.',
  prompt: 'Answer: {{input}}',
  target: { provider: 'sim', model: 'sim-classifier' },
  cases: [{ input: 'hello', expected: 'hi' }],
};

let dir: string;
let receiver: WebhookReceiver | undefined;
const cli = (args: string[]) => runCli(args, { cwd: dir });

beforeEach(async () => {
  dir = await makeTempDir('promptopt-stats-');
  await cp(join(REPO_ROOT, 'test/fixtures/production/stats.jsonl'), join(dir, 'stats.jsonl'));
});

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  await removeDir(dir);
});

describe('stats: figures equal hand-computed ones', () => {
  it('per prompt version', async () => {
    await writeSpec(dir, SPEC);
    const result = await cli(['stats', 'task.yaml', 'stats.jsonl', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = parseJsonOut(result);
    expect(doc.records).toBe(11);
    expect(doc.malformed.map((m: { line: number }) => m.line)).toEqual([6, 11]);
    expect(doc.malformed[1].reason).toMatch(/^feedback\.rating: not a rating/);
    const [v1, v2] = doc.groups;
    // v1: a1..a5. Rated a1 up, a2 up, a3 down, a4 up (rating 1); a5 unrated.
    expect(v1).toMatchObject({
      key: { prompt_version: 'v1' },
      interactions: 5,
      rated: 4,
      thumbs_up: 3,
      thumbs_up_rate: 0.75,
      corrections: 1,
      correction_rate: 0.2,
      flag_rates: { format: 0.4, json: 0.2 },
      // latencies 100, 200, 300, 400, 1000: the ⌈0.5·5⌉ = 3rd and ⌈0.95·5⌉ = 5th smallest
      latency_ms: { p50: 300, p95: 1000 },
      // usage on a1..a3 only: (10+20+30)/3, (2+4+6)/3; cost (0.001+0.002+0.003)/3
      tokens_per_interaction: { input: 20, output: 4 },
    });
    expect(v1.cost_per_interaction_usd).toBeCloseTo(0.002, 12);
    expect(v1.total_cost_usd).toBeCloseTo(0.006, 12);
    // Wilson 3/4: center (0.75 + z²/8)/(1 + z²/4), half-width z/(1 + z²/4)·√(0.75·0.25/4 + z²/64)
    expect(v1.thumbs_up_ci95[0]).toBeCloseTo(0.300642, 5);
    expect(v1.thumbs_up_ci95[1]).toBeCloseTo(0.954413, 5);
    // v2: b1..b4 (c1 is malformed). 1 up of 4; latencies 50, 60, 70, 80.
    expect(v2).toMatchObject({
      key: { prompt_version: 'v2' },
      interactions: 4,
      rated: 4,
      thumbs_up: 1,
      thumbs_up_rate: 0.25,
      corrections: 0,
      flag_rates: {},
      latency_ms: { p50: 60, p95: 80 },
      tokens_per_interaction: { input: 8, output: 1 },
    });
    expect(v2.total_cost_usd).toBeCloseTo(0.002, 12);
    expect(v2.thumbs_up_ci95[0]).toBeCloseTo(0.045587, 5);
    expect(v2.thumbs_up_ci95[1]).toBeCloseTo(0.699358, 5);
    // 1/4 vs 3/4: pooled expected counts 2 < 5, so Fisher's exact test: (1 + 16 + 16 + 1) / 70.
    expect(doc.comparisons).toHaveLength(1);
    expect(doc.comparisons[0]).toMatchObject({ newer: 'v2', older: 'v1', newer_rate: 0.25, older_rate: 0.75, difference: -0.5, test: 'fisher exact', z: null, significant: false });
    expect(doc.comparisons[0].p_value).toBeCloseTo(34 / 70, 12);
    expect(doc.degradation).toBeNull();
    // Every record but c1 (malformed) carries feedback; no optimize run yet.
    expect(doc.feedback).toEqual({ count: 9, since: null, threshold: null, reached: false });
  });

  it('per model and per day; the text view', async () => {
    await writeSpec(dir, SPEC);
    const byModel = parseJsonOut(await cli(['stats', 'task.yaml', 'stats.jsonl', '--by', 'model', '--json']));
    expect(byModel.groups.map((g: any) => [g.key.model, g.interactions, g.rated, g.thumbs_up])).toEqual([
      ['m-large', 3, 2, 1],
      ['m-small', 6, 6, 3],
    ]);
    const byDay = parseJsonOut(await cli(['stats', 'task.yaml', 'stats.jsonl', '--by', 'day', '--json']));
    expect(byDay.groups.map((g: any) => [g.key.day, g.interactions])).toEqual([
      ['2025-06-01', 2],
      ['2025-06-02', 2],
      ['2025-06-03', 1],
      ['2025-06-05', 2],
      ['2025-06-06', 2],
    ]);
    const text = await cli(['stats', 'task.yaml', 'stats.jsonl']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('v1              5             75.0% [30.1%, 95.4%] (3/4)  20.0%        format 40.0%, json 20.0%  300/1000 ms      20/4           $0.002000');
    expect(text.stdout).toContain('v2 vs v1: 25.0% vs 75.0% (-50.0 points), fisher exact, p = 0.4857: no significant difference');
    expect((await cli(['stats', 'task.yaml', 'stats.jsonl', '--by', 'versoin'])).code).toBe(2);
  });
});

/** v1: 36 of 40 thumbs-up; v2 (live from June 10): 20 of 40 (or the other way round when `improved`). */
function productionExport(improved = false): string {
  const lines: string[] = [];
  for (let i = 0; i < 80; i++) {
    const v2 = i >= 40;
    const up = v2 !== improved ? i % 2 === 0 : i % 10 !== 0;
    const day = v2 ? 10 + Math.floor((i - 40) / 10) : 1 + Math.floor(i / 10);
    lines.push(JSON.stringify({ id: `r${i}`, timestamp: `2025-06-${String(day).padStart(2, '0')}T12:00:00Z`, input: `message ${i}`, output: 'ok', prompt_version: v2 ? 'v2' : 'v1', model: 'gpt-4o-mini', feedback: { rating: up ? 'up' : 'down' } }));
  }
  return `${lines.join('\n')}\n`;
}

describe('stats: webhooks', () => {
  it('posts degradation (newest version significantly worse) and feedback_threshold to a loopback receiver', async () => {
    receiver = await startReceiver();
    await writeSpec(dir, { ...SPEC, feedback_threshold: 50, notify: { webhooks: receiver.url } });
    await writeFile(join(dir, 'prod.jsonl'), productionExport());
    const result = await cli(['stats', 'task.yaml', 'prod.jsonl', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(receiver.types().sort()).toEqual(['degradation', 'feedback_threshold']);
    const degradation = receiver.received.find((h) => h.body.type === 'degradation')!.body;
    // 20/40 vs 36/40: p = 0.7, z = −0.4 / √(0.7·0.3·0.05) = −3.9036, two-sided p = 9.477e-5.
    expect(degradation).toMatchObject({
      schema_version: 1,
      tool: 'promptopt',
      task: 'support',
      versions: { current: 'v2', baseline: 'v1' },
      scores: { v2: 0.5, v1: 0.9 },
      details: { command: 'stats', source: 'prod.jsonl', test: 'two-proportion z-test', alpha: 0.05 },
    });
    expect(degradation.details.p_value).toBeCloseTo(9.4772e-5, 8);
    expect(degradation.summary).toBe("support: in production, v2 gets thumbs-up 50.0%, significantly below v1's 90.0% (two-proportion z-test, p=9.5e-5)");
    const threshold = receiver.received.find((h) => h.body.type === 'feedback_threshold')!.body;
    expect(threshold).toMatchObject({ task: 'support', details: { command: 'stats', count: 80, threshold: 50, since: null } });
    expect(threshold.summary).toContain('run promptopt optimize');
    expect(parseJsonOut(result)).toMatchObject({ degradation: { newer: 'v2', older: 'v1' }, feedback: { count: 80, threshold: 50, reached: true } });
  });

  it('counts only feedback since the last optimize run; no degradation when the newest version is better', async () => {
    receiver = await startReceiver();
    await writeSpec(dir, { ...SPEC, feedback_threshold: 50 });
    // The last optimize run started on June 10: only v2's 40 records are new.
    const runDir = join(dir, '.promptopt/runs/20250610-000000-abcd');
    await mkdir(runDir, { recursive: true });
    const checkpoint = { schemaVersion: 1, runId: 'r', specFile: 'task.yaml', specHash: 'h', startedAt: '2025-06-10T00:00:00.000Z', phase: 'done', strategy: 'iterative', iterations: [], spend: [], constraints: [], start: {}, current: {}, memory: {} };
    await writeFile(join(runDir, 'checkpoint.json'), JSON.stringify(checkpoint));
    await writeFile(join(dir, 'prod.jsonl'), productionExport(true));
    const result = await cli(['stats', 'task.yaml', 'prod.jsonl', '--notify', receiver.url]);
    expect(result.code, result.stderr).toBe(0);
    expect(receiver.received).toEqual([]);
    expect(result.stdout).toContain('feedback: 40 records with feedback (since the last optimize run (2025-06-10T00:00:00.000Z)); feedback_threshold 50');
    expect(result.stdout).toContain('v2 vs v1: 90.0% vs 50.0% (+40.0 points), two-proportion z-test, z = 3.90, p = 9.5e-5: significantly higher');
  });
});
