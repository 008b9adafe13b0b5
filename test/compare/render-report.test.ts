/**
 * compare's three renderings (report.html, the terminal text, compare.json) of a comparison built
 * from synthetic pair runs: 300 cases over three splits, the real paired-case count everywhere, the
 * bootstrap only when it decided, costs without an exponent, and the case grid's filter counts.
 */
import { describe, expect, it } from 'vitest';
import { buildComparison } from '../../src/compare/build-comparison.js';
import { planPairs } from '../../src/compare/plan-pairs.js';
import { renderCompareHtml } from '../../src/compare/render-html.js';
import { compareJson } from '../../src/compare/render-json.js';
import { renderCompareText } from '../../src/compare/render-text.js';
import type { CompareModel, CompareSettings, Comparison, PairRun, PromptVersion } from '../../src/compare/types.js';
import { RATE_CHART } from '../../src/report/html/rate-chart.js';
import type { CaseResult, SampleResult } from '../../src/runner/types.js';
import type { SplitName } from '../../src/spec/types.js';

const N = 300;
const SPLIT = (i: number): SplitName => (i < 150 ? 'train' : i < 210 ? 'validation' : 'test');
const version = (label: string): PromptVersion => ({ label, kind: 'version', text: label });
const model = (label: string): CompareModel => ({ label, config: { provider: 'sim', model: label, maxTokens: 10, apiKeyEnv: [], timeoutMs: 1, maxRetries: 0 } });

/** A pair's results: `passes(i, sample)` says which samples of case i pass; each sample costs 8.02e-5 USD. */
function pairRun(plan: ReturnType<typeof planPairs>, id: string, repeat: number, passes: (i: number, sample: number) => boolean): PairRun {
  const pair = plan.pairs.find((p) => p.id === id)!;
  const cases = Array.from({ length: N }, (_, i): CaseResult => {
    const samples = Array.from({ length: repeat }, (_, s): SampleResult => ({
      index: s,
      output: passes(i, s) ? 'card_payment_fee_charged' : 'supported_cards_and_currencies',
      pass: passes(i, s),
      score: passes(i, s) ? 1 : 0,
      assertions: [],
      inputTokens: 120,
      outputTokens: 4,
      costUsd: 8.02e-5,
      latencyMs: 5,
      cacheHit: false,
    }));
    const passed = samples.filter((s) => s.pass).length;
    return {
      caseId: `b77-test-${i}`,
      split: SPLIT(i),
      vars: { query: `question ${i}` },
      expected: 'card_payment_fee_charged',
      output: samples[0]!.output,
      pass: passed === repeat,
      passRate: passed / repeat,
      score: passed / repeat,
      samples,
      failures: [],
      inputTokens: 120 * repeat,
      outputTokens: 4 * repeat,
      costUsd: 8.02e-5 * repeat,
      latencyMs: 5,
      cacheHit: false,
    };
  });
  return { pair, simulated: true, result: { cases, summaries: [], wallTimeMs: 0 } };
}

/**
 * v1 passes cases 0-99; v2 passes 40-199 (fixes 100-199, breaks 0-39). With repeat 3, v2's extra
 * sample passes every case with i % 3 === 0 as well.
 */
function comparison(repeat: number): Comparison {
  const plan = planPairs([version('v1'), version('v2')], [model('sim:sim-classifier')]);
  const settings: CompareSettings = { objective: 'pass_rate', alpha: 0.05, minCases: 20, resamples: 500, seed: 0, repeat };
  const runs = [
    pairRun(plan, 'v1@sim:sim-classifier', repeat, (i) => i < 100),
    pairRun(plan, 'v2@sim:sim-classifier', repeat, (i, s) => (i >= 40 && i < 200) || (s === 2 && i % 3 === 0)),
  ];
  return buildComparison({ task: 'banking77', specFile: '/x/task.yaml', split: 'all', plan, runs, settings });
}

const json = (c: Comparison) =>
  compareJson(c, { schemaVersion: 1, exitCode: 0, files: { html: '/r.html', json: '/c.json', dir: '/' }, spend: [], wallTimeMs: 1 }) as Record<string, any>;

describe('compare report: repeat 1 (McNemar decides)', () => {
  const c = comparison(1);
  const page = renderCompareHtml(c, new Date('2026-12-03T10:00:00Z'));
  const text = renderCompareText(c);
  const doc = json(c);

  it('states the real number of paired cases, not the --min-cases floor', () => {
    expect(c.comparisons[0]!.n).toBe(300);
    expect(page).toContain('300 paired cases');
    expect(page).toContain('(300 paired cases against the baseline)');
    expect(page).toContain('Below 20 paired cases (--min-cases) there is no verdict');
    expect(page).not.toMatch(/verdicts from 20/);
    expect(page).toMatch(/<th class="num">Paired cases<\/th>[\s\S]*<td class="num">300<\/td>/);
    expect(text).toContain('n 300 paired');
    expect(text).toContain('no verdict below 20 paired cases');
    expect(doc.comparisons[0].n).toBe(300);
    expect(doc.min_cases).toBe(20);
  });

  it('has no bootstrap anywhere: it was not used', () => {
    expect(c.comparisons[0]!.bootstrap).toBeUndefined();
    expect(page).not.toMatch(/bootstrap/i);
    expect(text).not.toMatch(/bootstrap/i);
    expect(doc.comparisons[0].bootstrap).toBeNull();
    expect(doc.bootstrap).toBeNull();
    expect(doc.comparisons[0].mcnemar).toMatchObject({ b: 100, c: 40 });
  });

  it('writes costs without an exponent', () => {
    const amounts = [...page.matchAll(/\$[\d.,]+(e[-+]?\d+)?/g), ...text.matchAll(/\$[\d.,]+(e[-+]?\d+)?/g)].map((m) => m[0]);
    expect(amounts.length).toBeGreaterThanOrEqual(6);
    for (const amount of amounts) expect(amount).not.toMatch(/e/);
    expect(page).toContain('$0.000080'); // per case
    expect(page).toContain('$0.0241'); // 300 cases
    expect(text).toContain('$0.000080');
  });

  it('has the run report design: the shared page, a pass-rate chart with intervals inside its axis, verdict badges', () => {
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('<section id="summary">');
    expect(page).toContain('<span class="badge better">better</span>');
    const chart = /<svg class="chart rate-chart"[\s\S]*?<\/svg>/.exec(page)![0];
    const whiskers = [...chart.matchAll(/<line class="rate-interval" x1="([\d.]+)" x2="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(whiskers).toHaveLength(2);
    const x = (f: number) => RATE_CHART.left + f * (RATE_CHART.width - RATE_CHART.left - RATE_CHART.right);
    // v1: 100/300, Wilson [28.2%, 38.8%]; each whisker on the 0-100% axis.
    const [lower, upper] = whiskers[0]!;
    expect(lower).toBeCloseTo(x(c.pairs[0]!.passRateInterval.lower), 0);
    expect(upper).toBeCloseTo(x(c.pairs[0]!.passRateInterval.upper), 0);
    for (const [a, b] of whiskers) expect(a! >= RATE_CHART.left && b! <= RATE_CHART.width - RATE_CHART.right).toBe(true);
    expect(chart).toContain('33.3% (100/300) · 95% CI');
  });

  it('lists the fixed and broken cases compactly: the first ids as links, the rest folded', () => {
    const fixed = /<span class="badge pass">fixed \(100\)<\/span>([\s\S]*?)<\/div>/.exec(page)![1]!;
    expect(fixed.match(/<a class="case-id" href="#case-b77-test-\d+">/g)).toHaveLength(100);
    expect(fixed).toContain('<details><summary>76 more</summary>');
    expect(page).toContain('<span class="badge fail">broken (40)</span>');
    expect(page).toContain('<tr id="case-b77-test-100" ');
  });

  it('filters the case grid by split and by change, each count following the other group', () => {
    const counts = (id: string) => {
      const label = new RegExp(`<label for="${id}">([\\s\\S]*?)</label>`).exec(page)![1]!;
      return Object.fromEntries([...label.matchAll(/<span class="count (c-[a-z]+-[a-z]+)">\((\d+)\)<\/span>/g)].map((m) => [m[1], Number(m[2])]));
    };
    // Fixed: 100-199, i.e. train 100-149 (50) and validation 150-199 (50); broken: 0-39, all train.
    expect(counts('f-change-fixed')).toEqual({ 'c-split-all': 100, 'c-split-train': 50, 'c-split-validation': 50, 'c-split-test': 0 });
    expect(counts('f-change-broken')).toEqual({ 'c-split-all': 40, 'c-split-train': 40, 'c-split-validation': 0, 'c-split-test': 0 });
    expect(counts('f-change-unchanged')).toEqual({ 'c-split-all': 160, 'c-split-train': 60, 'c-split-validation': 10, 'c-split-test': 90 });
    expect(counts('f-split-validation')).toEqual({ 'c-change-all': 60, 'c-change-fixed': 50, 'c-change-broken': 0, 'c-change-unchanged': 10 });
    expect(page).toContain('#f-change-fixed:checked ~ .table-wrap tbody tr:not(.flip-fixed) { display: none; }');
    expect(page).toContain('<tr id="case-b77-test-0" class="split-train flip-broken"');
    expect(page).toMatch(/<td class="fail broken"><span class="mark">✗<\/span><pre>supported_<wbr>cards_<wbr>and_<wbr>currencies<\/pre><\/td>/);
  });

  it('shows one model without a per-model section (it would repeat the verdicts)', () => {
    expect(page).not.toContain('id="per-model"');
  });
});

describe('compare report: repeat 3 (the paired bootstrap decides)', () => {
  const c = comparison(3);
  const page = renderCompareHtml(c, new Date('2026-12-03T10:00:00Z'));
  const text = renderCompareText(c);
  const doc = json(c);

  it('shows the bootstrap, where it decided', () => {
    const x = c.comparisons[0]!;
    expect(x.test).toBe('paired_bootstrap');
    expect(x.bootstrap).toBeDefined();
    expect(page).toContain('<th class="num">Δ pass rate, 95% CI (bootstrap)</th>');
    expect(page).toContain('paired bootstrap p=');
    expect(page).toContain('McNemar on pass/fail p=');
    expect(page).toContain('a paired bootstrap of the mean pass-rate difference (500 resamples, seed 0)');
    expect(page).toContain('300 paired cases');
    expect(text).toMatch(/n 300 paired · Δ pass rate [+-][\d.]+ pts \[[^\]]+\] pts · paired bootstrap p=/);
    expect(doc.comparisons[0].bootstrap).toMatchObject({ resamples: 500, seed: 0 });
    expect(doc.bootstrap).toEqual({ resamples: 500, seed: 0 });
    // The score difference does not depend on the bootstrap being run.
    expect(x.scoreDifference).toBeCloseTo(x.bootstrap!.meanDifference, 12);
  });
});
