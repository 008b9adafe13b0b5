/**
 * `promptopt compare` end to end: the built CLI, the real OpenAI and Anthropic SDKs, the loopback
 * fake server. 24 crafted cases, two committed prompt versions (v1, v2), two models served by the
 * same server (`openai-compatible:model-a`, `openai-compatible:model-b`). Which cases each pair
 * passes is fixed below, so every figure the command reports can be checked by hand:
 *
 *   v1@model-a  c01-c12         (12/24)   the baseline
 *   v2@model-a  c02-c20         (19/24)   fixed c13-c20 (8), broken c01 (1): McNemar p = 0.0390625, better
 *   v1@model-b  c01-c20         (20/24)   fixed c13-c20 (8), broken none:   p = 2/256, better
 *   v2@model-b  c01-c10         (10/24)   fixed none, broken c11-c12 (2):   p = 0.5, no significant difference
 *
 * v2 is the best version on model-a and the worst on model-b. v2@model-b answers case c24 with
 * `<script>alert(1)</script>`, and case c24's input carries an `<img onerror>`: report.html must show
 * both as text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { startFakeLlmServer, type FakeLlmServer, type FakeRequest } from '../support/fake-llm-server.js';
import { startReceiver } from './helpers/webhook-receiver.js';

const KEY = 'sk-test-compare-0001';
const IDS = Array.from({ length: 24 }, (_, i) => `c${String(i + 1).padStart(2, '0')}`);
const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(2)>';
const V1 = 'Version one. Reply ok or nope.\n\nItem: {{input}}';
const V2 = 'Version two. Reply ok or nope, carefully.\n\nItem: {{input}}';

const PASSES: Record<string, (n: number) => boolean> = {
  'v1@model-a': (n) => n <= 12,
  'v2@model-a': (n) => n >= 2 && n <= 20,
  'v1@model-b': (n) => n <= 20,
  'v2@model-b': (n) => n <= 10,
};
const A = 'openai-compatible:model-a';
const B = 'openai-compatible:model-b';
const pair = (version: string, model: string) => `${version}@${model}`;

/** McNemar's exact two-sided p, by hand: 2 · Σ_{i <= min(b,c)} C(b+c, i) / 2^(b+c), capped at 1. */
function mcnemarByHand(b: number, c: number): number {
  const n = b + c;
  let tail = 0;
  let choose = 1; // C(n, 0)
  for (let i = 0; i <= Math.min(b, c); i++) {
    tail += choose;
    choose = (choose * (n - i)) / (i + 1);
  }
  return Math.min(1, (2 * tail) / 2 ** n);
}

function respond(request: FakeRequest): string {
  const text = request.messages.map((m) => m.content).join('\n');
  const n = Number(/\bc(\d\d)\b/.exec(text)?.[1]);
  const version = text.includes('Version two') ? 'v2' : 'v1';
  const key = `${version}@${request.model}`;
  if (key === 'v2@model-b' && n === 24) return SCRIPT;
  return PASSES[key]?.(n) ? 'ok' : 'nope';
}

function versionFiles(n: number, text: string): Record<string, string> {
  const meta = {
    schema_version: 1,
    version: n,
    parent: n > 1 ? n - 1 : null,
    branch: 'main',
    created: '2026-11-20T10:00:00.000Z',
    run_id: null,
    task: 'flips',
    target_model: A,
    scores: {},
    cost_usd: 0,
    hypothesis: '',
    prompt_file: `v${n}.md`,
    prompt_sha256: createHash('sha256').update(text).digest('hex'),
    source: 'manual',
  };
  return { [`prompt-versions/v${n}.md`]: text, [`prompt-versions/v${n}.json`]: JSON.stringify(meta, null, 2) };
}

let server: FakeLlmServer;
let dir: string;
const env = () => ({ OPENAI_API_KEY: KEY, ANTHROPIC_API_KEY: KEY, OPENAI_BASE_URL: server.openaiBaseUrl, ANTHROPIC_BASE_URL: server.anthropicBaseUrl });
const compare = (args: string[]) => runCli(['compare', 'task.yaml', ...args], { cwd: dir, env: env() });
const MODELS = ['--versions', 'v1,v2', '--models', `${A},${B}`];

beforeAll(async () => {
  server = await startFakeLlmServer({ validKeys: [KEY], respond });
  dir = await makeTempDir('promptopt-compare-');
  await writeSpec(
    dir,
    {
      name: 'flips',
      description: 'Crafted cases whose outcome per version and model is known (compare e2e fixture)',
      prompt: V1,
      target: { provider: 'openai-compatible', model: 'model-a', base_url: server.openaiBaseUrl, max_tokens: 16 },
      cases: IDS.map((id) => ({ id, input: id === 'c24' ? `${id} ${IMG}` : `${id} item`, expected: 'ok' })),
      defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
      concurrency: 8,
    },
    { files: { ...versionFiles(1, V1), ...versionFiles(2, V2), 'other.md': V2 } },
  );
});
afterAll(async () => {
  await server.close();
  await removeDir(dir);
});

describe('promptopt compare', () => {
  it('compares two versions across two models: verdicts, flipped cases, exact p-values, per-model results, files', async () => {
    const result = await compare([...MODELS, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = parseJsonOut(result);
    expect(doc.schema_version).toBe(1);
    expect(doc.baseline).toBe(pair('v1', A));
    expect(doc.pairs.map((p: any) => p.id)).toEqual([pair('v1', A), pair('v1', B), pair('v2', A), pair('v2', B)]);

    const pass = (id: string) => doc.pairs.find((p: any) => p.id === id);
    expect(pass(pair('v1', A))).toMatchObject({ cases: 24, passed: 12, pass_rate: 0.5, provider_errors: 0 });
    expect(pass(pair('v2', A))).toMatchObject({ passed: 19 });
    expect(pass(pair('v1', B))).toMatchObject({ passed: 20 });
    expect(pass(pair('v2', B))).toMatchObject({ passed: 10 });
    // Wilson 95% for 12/24: 0.5 ± 1.96/1.16006 · √(0.25/24 + 3.8415/2304) = [0.3143, 0.6857].
    expect(pass(pair('v1', A)).pass_rate_ci.lower).toBeCloseTo(0.3143, 3);
    expect(pass(pair('v1', A)).pass_rate_ci.upper).toBeCloseTo(0.6857, 3);
    expect(pass(pair('v1', A)).mean_latency_ms).toBeGreaterThan(0);

    const against = (candidate: string) => doc.comparisons.find((c: any) => c.candidate === candidate);
    const v2a = against(pair('v2', A));
    expect(v2a).toMatchObject({ verdict: 'better', verdict_text: 'better', test: 'mcnemar_exact', n: 24, broken: ['c01'] });
    expect(v2a.fixed).toEqual(['c13', 'c14', 'c15', 'c16', 'c17', 'c18', 'c19', 'c20']);
    expect(v2a.mcnemar).toMatchObject({ b: 8, c: 1 });
    expect(v2a.p_value).toBeCloseTo(mcnemarByHand(8, 1), 12);
    expect(v2a.p_value).toBeCloseTo(0.0390625, 12);

    const v1b = against(pair('v1', B));
    expect(v1b).toMatchObject({ verdict: 'better', broken: [] });
    expect(v1b.p_value).toBeCloseTo(mcnemarByHand(8, 0), 12);
    const v2b = against(pair('v2', B));
    expect(v2b).toMatchObject({ verdict: 'no_significant_difference', verdict_text: 'no significant difference', fixed: [], broken: ['c11', 'c12'] });
    expect(v2b.p_value).toBeCloseTo(mcnemarByHand(0, 2), 12);

    // Kept per model: v2 is best on model-a, v1 on model-b, and within model-b v2 is worse than v1.
    const perModel = (model: string) => doc.per_model.find((m: any) => m.model === model);
    expect(perModel(A)).toMatchObject({ best_version: 'v2', ranking: ['v2', 'v1'] });
    expect(perModel(B)).toMatchObject({ best_version: 'v1', ranking: ['v1', 'v2'] });
    const withinB = perModel(B).comparisons[0];
    expect(withinB).toMatchObject({ candidate: pair('v2', B), baseline: pair('v1', B), verdict: 'worse', fixed: [] });
    expect(withinB.broken).toHaveLength(10);
    expect(withinB.p_value).toBeCloseTo(mcnemarByHand(0, 10), 12);

    // Every (version × model) case ran once: 4 pairs × 24 cases.
    expect(server.requests.filter((r) => r.api === 'openai')).toHaveLength(96);
    const c24 = doc.cases.find((c: any) => c.id === 'c24');
    expect(c24.results.find((r: any) => r.pair === pair('v2', B)).output).toBe(SCRIPT);

    // The files: compare.json (the same document) and a self-contained report.html.
    expect(doc.report_html).toMatch(/compare-\d{8}-\d{6}[^/\\]*[/\\]report\.html$/);
    expect(JSON.parse(await readFile(doc.compare_json, 'utf8'))).toEqual(doc);
    const html = await readFile(doc.report_html, 'utf8');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain(IMG);
    expect(html).not.toMatch(/<link|src="http|href="http|@import/i);
    expect(html).toContain("default-src 'none'");
    // v2@model-a's fixed cases as links to their rows; the real number of paired cases, not the floor.
    const fixedList = /<span class="badge pass">fixed \(8\)<\/span>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
    expect([...fixedList.matchAll(/href="#case-(c\d\d)"/g)].map((m) => m[1])).toEqual(v2a.fixed);
    expect(html).toContain('(24 paired cases against the baseline)');
    expect(html).toContain('id="per-model"'); // two models: each one's ranking
  });

  it('prints the side-by-side table and the report path; a second run is served from the cache', async () => {
    const before = server.count;
    const result = await compare(MODELS);
    expect(result.code, result.stderr).toBe(0);
    expect(server.count).toBe(before);
    expect(result.stdout).toMatch(/pass rate \*\s+95% CI\s+mean score\s+cost\/case\s+latency\s+tokens in\/out/);
    expect(result.stdout).toContain(`${pair('v1', A)} (baseline)`);
    expect(result.stdout).toContain('50.0% (12/24)  [31.4%, 68.6%]');
    expect(result.stdout).toMatch(/v2@openai-compatible:model-a: better \(pass rate \+29\.2 pts · fixed 8 · broken 1 · n 24 paired · McNemar exact p=0\.0391\)/);
    expect(result.stdout).toContain('fixed: c13, c14, c15, c16, c17, c18, c19, c20');
    expect(result.stdout).toMatch(/openai-compatible:model-b: best v1/);
    const report = /report: (.+report\.html)/.exec(result.stdout)?.[1];
    expect(report).toBeDefined();
    expect((await readdir(join(dir, '.promptopt', 'runs'))).filter((d) => d.startsWith('compare-')).length).toBeGreaterThanOrEqual(2);
  });

  it('gives no verdict below --min-cases', async () => {
    const result = await compare([...MODELS, '--min-cases', '30', '--fail-if-worse', '--baseline', `v1@${B}`, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = parseJsonOut(result);
    for (const c of [...doc.comparisons, ...doc.per_model.flatMap((m: any) => m.comparisons)]) {
      expect(c).toMatchObject({ verdict: 'too_few_cases', verdict_text: expect.stringMatching(/^too few cases \(n = \d+ < 30\)$/) });
    }
    // The numbers are still there; only the verdict is withheld.
    expect(doc.comparisons.find((c: any) => c.candidate === pair('v2', B)).broken).toHaveLength(10);
    // The text says what to do about it.
    const text = await compare([...MODELS, '--min-cases', '30', '--baseline', `v1@${B}`]);
    expect(text.stdout).toContain('too few cases (n = 24 < 30)');
    expect(text.stdout).toContain('no verdict on 24 paired cases (--min-cases 30): add cases to the suite, or run every case with --split all if you chose a split; --min-cases 24 gives verdicts on these few');
  });

  it('--fail-if-worse: exit 1 when a pair is significantly worse than the baseline, 0 otherwise; `degradation` is notified', async () => {
    const receiver = await startReceiver();
    try {
      const ok = await compare([...MODELS, '--fail-if-worse', '--json', '--notify', receiver.url]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(parseJsonOut(ok).comparisons.some((c: any) => c.verdict === 'worse')).toBe(false);
      expect(receiver.types()).toEqual([]);

      const bad = await compare([...MODELS, '--fail-if-worse', '--baseline', `1@${B}`, '--json', '--notify', receiver.url]);
      expect(bad.code, bad.stderr).toBe(1);
      const doc = parseJsonOut(bad);
      expect(doc.baseline).toBe(pair('v1', B));
      expect(doc.exit_code).toBe(1);
      const worse = doc.comparisons.filter((c: any) => c.verdict === 'worse').map((c: any) => c.candidate);
      expect(worse.sort()).toEqual([pair('v1', A), pair('v2', B)].sort());
      expect(receiver.types()).toEqual(['degradation']);
      expect(receiver.received[0]!.body).toMatchObject({
        task: 'flips',
        versions: { baseline: pair('v1', B) },
        report: doc.report_html,
        details: { command: 'compare', baseline: pair('v1', B) },
      });
      expect(receiver.received[0]!.body.details.worse.map((w: any) => w.candidate).sort()).toEqual(worse.sort());
    } finally {
      await receiver.close();
    }

    const text = await compare([...MODELS, '--fail-if-worse', '--baseline', `v1@${B}`]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/FAIL: .*significantly worse than v1@openai-compatible:model-b/);
    // Without the flag a worse pair is reported, not failed.
    expect((await compare([...MODELS, '--baseline', `v1@${B}`])).code).toBe(0);
  });

  it('compares across the OpenAI and Anthropic SDKs, with `current` and a prompt file, and prices per case', async () => {
    const result = await compare(['--versions', 'current,other.md', '--models', 'openai:model-a,anthropic:model-b', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = parseJsonOut(result);
    expect(doc.versions.map((v: any) => [v.label, v.kind])).toEqual([['current', 'current'], ['other.md', 'file']]);
    expect(doc.pairs.map((p: any) => [p.id, p.passed])).toEqual([
      ['current@openai:model-a', 12],
      ['current@anthropic:model-b', 20],
      ['other.md@openai:model-a', 19],
      ['other.md@anthropic:model-b', 10],
    ]);
    // No built-in price for these ids: unknown, never $0.
    expect(doc.pairs[0].cost_per_case_usd).toBeNull();
    expect(server.requests.some((r) => r.api === 'anthropic')).toBe(true);
  });

  it('a provider failure exits 3: the failed cases are left out of the paired tests', async () => {
    server.setFaults((request) => (request.model === 'model-c' && /\bc0[1-3]\b/.test(request.messages.at(-1)?.content ?? '') ? { status: 400 } : null));
    try {
      const result = await compare(['--versions', 'v1', '--models', `${A},openai-compatible:model-c`, '--no-cache', '--json']);
      expect(result.code, result.stderr).toBe(3);
      const doc = parseJsonOut(result);
      expect(doc.exit_code).toBe(3);
      expect(doc.pairs[1]).toMatchObject({ id: 'v1@openai-compatible:model-c', provider_errors: 3 });
      expect(doc.comparisons[0]).toMatchObject({ n: 21, excluded: ['c01', 'c02', 'c03'] });
    } finally {
      server.setFaults(undefined);
    }
  });

  it('bad input exits 2: an unknown provider (did you mean), an unknown version, an unknown baseline', async () => {
    const typo = await compare(['--versions', 'v1,v2', '--models', 'opnai:gpt-4o-mini']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown provider "opnai"');
    expect(typo.stderr).toContain('did you mean "openai"?');

    const missing = await compare(['--versions', 'v1,v9', '--json']);
    expect(missing.code).toBe(2);
    expect(parseJsonOut(missing).error.code).toBe('VERSION_NOT_FOUND');

    const baseline = await compare([...MODELS, '--baseline', 'v3']);
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toMatch(/--baseline: version "v3" is not one of --versions/);
    const one = await compare(['--versions', 'v1']);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('at least two pairs');
  });
});
