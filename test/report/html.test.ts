import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCaseRecords, toCaseRecord, writeCaseRecords } from '../../src/report/case-records.js';
import { diffView } from '../../src/report/html/diff-view.js';
import { html } from '../../src/report/html/html.js';
import { renderHtml } from '../../src/report/html/render-html.js';
import { costChart, PLOT_RIGHT, scoreChart } from '../../src/report/html/svg-chart.js';
import { buildReportData } from '../../src/report/report-data.js';
import { renderJson } from '../../src/report/render-json.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import type { CaseRecord } from '../../src/report/types.js';
import type { CaseResult } from '../../src/runner/types.js';
import { FINAL_PROMPT, makeReportInput, makeRunState } from './make-run-state.js';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';

const CASES: CaseRecord[] = [
  { caseId: 'te-1', split: 'test', vars: { text: 'rain on the roof' }, expected: 'negative', output: 'negative', pass: true, failures: [] },
  {
    caseId: 'tr-1',
    split: 'train',
    vars: { text: 'the sun & the sea' },
    expected: 'positive',
    output: `Sure! ${SCRIPT}`,
    pass: false,
    failures: [{ type: 'equals', category: 'format_violation', reason: `expected "positive", got "Sure! ${SCRIPT}"` }],
  },
  {
    caseId: 'va-1',
    split: 'validation',
    vars: { text: IMG, mood: 'dark' },
    expected: { label: 'negative' },
    output: IMG,
    pass: false,
    failures: [{ type: 'contains', category: 'wrong_answer', reason: `missing ${IMG}` }],
  },
  { caseId: 'tr-2', split: 'train', vars: { text: 'a quiet morning' }, expected: 'positive', output: 'positive', pass: true, failures: [] },
];

function page(cases: CaseRecord[] = CASES): string {
  return renderHtml(buildReportData(makeReportInput({ cases })));
}

/** The counts a filter label carries, by the other group's choice they apply to. */
function labelCounts(out: string, id: string): Record<string, number> {
  const label = new RegExp(`<label for="${id}">([\\s\\S]*?)</label>`).exec(out)?.[1] ?? '';
  return Object.fromEntries([...label.matchAll(/<span class="count (c-[a-z]+-[a-z]+)">\((\d+)\)<\/span>/g)].map((m) => [m[1]!, Number(m[2])]));
}

describe('renderHtml', () => {
  const out = page();

  it('is one self-contained page: inline style, no script, no network reference', () => {
    expect(out).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(out).toContain('<style>');
    expect(out).not.toMatch(/<script/i);
    expect(out).not.toMatch(/https?:\/\//);
    expect(out).not.toMatch(/<link\b|<img\b|<iframe\b|@import|url\(/i);
    expect(out).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('has the title, the SIMULATED banner and the summary cards', () => {
    expect(out).toContain('<title>promptopt report: poem-sentiment</title>');
    expect(out).toContain('⚠ SIMULATED</strong> — the target ran on the offline simulator');
    expect(out).toContain('87.5%');
    expect(out).toContain('+37.5 pts');
    expect(out).toContain('no improvement within the patience limit');
    const real = renderHtml(buildReportData(makeReportInput({ target: { provider: 'openai', model: 'gpt-4o-mini', simulated: false } })));
    expect(real).not.toContain('SIMULATED');
  });

  it('has the trajectory SVG with filled accepted and hollow rejected markers, and the cost chart', () => {
    expect(out).toMatch(/<svg class="chart score-chart"[\s\S]*<\/svg>/);
    expect(out).toMatch(/<circle class="marker accepted"[^>]*fill="#2563eb"[^>]*><title>i1c1 accepted: train 87\.5%/);
    expect(out).toMatch(/<circle class="marker rejected"[^>]*fill="#ffffff"[^>]*><title>i2c1 rejected: train 75\.0%/);
    expect(out).not.toMatch(/<title>i2c2 invalid/); // no score, not plotted
    expect(out).toContain('iteration (0 = start prompt; the validation phase continues the count)');
    expect(out).toMatch(/<svg class="chart cost-chart"[\s\S]*class="cost-line"/);
    expect(out).toContain('$0.0034'); // iterations 0.0021 + 0.0013
  });

  it('has the candidates, categories before and after, and lessons', () => {
    expect(out).toContain('Ask for exactly one word to stop the chatty answers');
    expect(out).toContain('dropped the template variable {{text}}');
    expect(out).toMatch(/<code>format_violation<\/code><\/td><td class="num">3<\/td><td class="num">0<\/td>/);
    expect(out).toContain('<li>✓ asking for exactly one word fixed format violations</li>');
    expect(out).toContain('<li>✗ examples of mixed feelings broke two cases</li>');
  });

  it('has the final prompt and the coloured diff from the start', () => {
    expect(out).toContain(`<pre class="block final-prompt">${FINAL_PROMPT}</pre>`);
    expect(out).toContain('<span class="d-add">+Answer with exactly one word: positive or negative.</span>');
    expect(out).toContain('<span class="d-del">-Classify the sentiment of: {{text}}</span>');
    expect(out).toMatch(/<span class="d-hunk">@@ /);
    const unchanged = renderHtml(buildReportData(makeReportInput({ finalPrompt: makeReportInput().startPrompt })));
    expect(unchanged).toContain('No change from the start prompt.');
  });

  it('has the case table with split and pass/fail filters, input, expected, actual and failing assertions', () => {
    for (const id of ['f-split-all', 'f-split-train', 'f-split-validation', 'f-split-test', 'f-result-all', 'f-result-pass', 'f-result-fail']) {
      expect(out).toContain(`id="${id}"`);
      expect(out).toContain(`<label for="${id}">`);
    }
    expect(out).toContain('#f-split-train:checked ~ .table-wrap tbody tr:not(.split-train) { display: none; }');
    expect(out).toContain('#f-result-fail:checked ~ .table-wrap tbody tr:not(.fail) { display: none; }');
    expect(labelCounts(out, 'f-split-train')).toEqual({ 'c-result-all': 2, 'c-result-pass': 1, 'c-result-fail': 1 });
    expect(labelCounts(out, 'f-result-fail')).toEqual({ 'c-split-all': 2, 'c-split-train': 1, 'c-split-validation': 1, 'c-split-test': 0 });
    expect(out).toContain('<tr class="split-train fail" data-case="tr-1">');
    expect(out).toContain('<tr class="split-test pass" data-case="te-1">');
    expect(out).toContain('<pre>the sun &amp; the sea</pre>');
    expect(out).toContain('<span class="var-name mono">mood:</span><pre>dark</pre>'); // several vars, by name
    expect(out).toContain('<pre>{\n  &quot;label&quot;: &quot;negative&quot;\n}</pre>'); // a structured expected value
    expect(out).toContain('<code>equals</code> <span class="muted">format_violation</span>');
    // Train, then validation, then test.
    expect(out.indexOf('data-case="tr-2"')).toBeLessThan(out.indexOf('data-case="va-1"'));
    expect(out.indexOf('data-case="va-1"')).toBeLessThan(out.indexOf('data-case="te-1"'));
  });

  it('counts each filter label for the split (or result) picked in the other group, and shows only that count', () => {
    // With `validation` picked, the result labels count the validation cases: all 1, pass 0, fail 1.
    const counts = (value: string) => labelCounts(out, `f-result-${value}`)['c-split-validation'];
    expect([counts('all'), counts('pass'), counts('fail')]).toEqual([1, 0, 1]);
    expect(labelCounts(out, 'f-result-pass')['c-split-test']).toBe(1);
    expect(labelCounts(out, 'f-split-all')).toEqual({ 'c-result-all': 4, 'c-result-pass': 2, 'c-result-fail': 2 });
    // Every count is hidden but the one for the checked radio of the other group.
    expect(out).toContain('.filters .count { display: none; }');
    expect(out).toMatch(/#f-split-validation:checked ~ \.filters \.c-split-validation[,\s][^{]*\{ display: inline; \}/);
    expect(out).toMatch(/#f-result-fail:checked ~ \.filters \.c-result-fail[,\s][^{]*\{ display: inline; \}/);
  });

  it('lets long labels wrap at their underscores, never mid-word', () => {
    const long: CaseRecord = {
      caseId: 'b77-test-2567',
      split: 'validation',
      vars: { query: 'I attempted to get money using a foreign currency' },
      expected: 'wrong_exchange_rate_for_cash_withdrawal',
      output: 'receiving_money',
      pass: false,
      failures: [{ type: 'equals', category: 'wrong_answer', reason: 'expected "wrong_exchange_rate_for_cash_withdrawal", got "receiving_money"' }],
    };
    const text = page([long]);
    expect(text).toContain('<pre>wrong_<wbr>exchange_<wbr>rate_<wbr>for_<wbr>cash_<wbr>withdrawal</pre>');
    expect(text).toContain('got &quot;receiving_<wbr>money&quot;');
    // The browser may break at those only: no arbitrary break points inside words.
    expect(text).not.toMatch(/overflow-wrap: anywhere|word-break: break-all/);
    expect(text).toMatch(/\.filters label \{[^}]*white-space: nowrap/);
  });

  it('escapes everything from cases and model outputs', () => {
    expect(out).not.toContain(SCRIPT);
    expect(out).not.toContain(IMG);
    expect(out).not.toContain('<img');
    expect(out).toContain('Sure! &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    // ...and from the run itself: task, lessons, hypotheses, prompts.
    const state = makeRunState({ memory: { lessons: [`✗ ${SCRIPT}`], recent: [] } });
    const hostile = renderHtml(
      buildReportData(makeReportInput({ state, task: { name: IMG, description: SCRIPT, specFile: '/x' }, finalPrompt: `${SCRIPT}\n{{text}}` })),
    );
    expect(hostile).not.toContain(SCRIPT);
    expect(hostile).not.toContain(IMG);
    expect(hostile).toContain('<li>✗ &lt;script&gt;alert(1)&lt;/script&gt;</li>');
    expect(hostile).toContain('<span class="d-add">+&lt;script&gt;alert(1)&lt;/script&gt;</span>');
  });

  it('says so when the run has no saved case results or no iterations', () => {
    const none = renderHtml(buildReportData(makeReportInput()));
    expect(none).toContain('No case results were saved for this run');
    expect(none).not.toContain('id="f-split-all"');
    const noIterations = renderHtml(buildReportData(makeReportInput({ state: makeRunState({ iterations: [] }) })));
    expect(noIterations).toContain('No iterations ran.');
  });

  it('is deterministic', () => {
    expect(page()).toBe(out);
  });
});

describe('html tag', () => {
  it('escapes interpolated text and keeps markup it built', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'" onclick="x'}">${inner}${['&', 1, undefined, null, false]}</p>`.value).toBe(
      '<p title="&quot; onclick=&quot;x"><b>&lt;i&gt;</b>&amp;1</p>',
    );
  });
});

describe('scoreChart', () => {
  it('draws the train and validation lines of the current prompt, starting at the baseline', () => {
    const svg = scoreChart(buildReportData(makeReportInput())).value;
    expect(svg).toMatch(/<g class="series series-train"><polyline [^>]*stroke="#2563eb"/);
    expect(svg).toContain('<title>train after the start: 50.0%</title>');
    expect(svg).toContain('<title>train after iteration 2: 87.5%</title>');
    expect(svg).toContain('<title>validation after the start: 50.0%</title>');
  });
});

describe('scoreChart steps', () => {
  it('puts the validation phase after the training phase, though each phase numbers its iterations from 1', () => {
    const base = makeRunState();
    const validationRow = { ...base.iterations[0]!, iteration: 1, phase: 'validation' as const, costUsd: 0 };
    const data = buildReportData(makeReportInput({ state: makeRunState({ iterations: [...base.iterations, validationRow] }) }));
    const svg = scoreChart(data).value;
    // Three steps after the start, step 3.5 at 8 short of the axis's end (976): x = 76 + (step / 3.5) * 892;
    // the band spans step 3 ± 0.5.
    expect(svg).toMatch(/<rect class="phase-band" x="713.1" y="16" width="254.9"/);
    expect(svg).toContain('<title>train after validation iteration 1: 87.5%</title>');
    expect(svg).toMatch(/<circle class="marker accepted" cx="840.6"/);
    expect(svg).toMatch(/<text class="phase-label" x="719.1" y="30"/); // starts inside the band
  });
});

/** `n` iterations, the last two in the validation phase, each costing a little more than the one before. */
function longRun(n: number) {
  const base = makeRunState().iterations[0]!;
  const iterations = Array.from({ length: n }, (_, i) => ({
    ...base,
    iteration: i < n - 2 || n < 3 ? i + 1 : i - n + 3,
    phase: i < n - 2 || n < 3 ? ('train' as const) : ('validation' as const),
    costUsd: 0.001 * (i + 1),
  }));
  return buildReportData(makeReportInput({ state: makeRunState({ iterations }) }));
}

const numbers = (tag: string, attribute: string) => Number(new RegExp(`\\b${attribute}="(-?[\\d.]+)"`).exec(tag)?.[1]);

describe('charts stay inside their axes', () => {
  it.each([1, 2, 7, 32, 120])('%i iterations: every cost bar, marker and the phase band lie within the x axis', (n) => {
    const data = longRun(n);
    for (const svg of [costChart(data.trajectory).value, scoreChart(data).value]) {
      const axis = /<g class="x-axis"><line ([^>]*)>/.exec(svg)![1]!;
      const [left, right] = [numbers(axis, 'x1'), numbers(axis, 'x2')];
      expect(right).toBe(PLOT_RIGHT);
      const bars = [...svg.matchAll(/<rect class="cost-bar" ([^>]*)>/g)].map((m) => m[1]!);
      if (svg.includes('cost-chart')) expect(bars).toHaveLength(n);
      for (const bar of bars) {
        expect(numbers(bar, 'x')).toBeGreaterThanOrEqual(left);
        expect(numbers(bar, 'x') + numbers(bar, 'width')).toBeLessThanOrEqual(right);
      }
      for (const marker of svg.matchAll(/<circle class="marker [a-z]+" ([^>]*)>/g)) {
        expect(numbers(marker[1]!, 'cx') + numbers(marker[1]!, 'r')).toBeLessThanOrEqual(right);
      }
      const band = /<rect class="phase-band" ([^>]*)>/.exec(svg)?.[1];
      if (band) expect(numbers(band, 'x') + numbers(band, 'width')).toBeLessThanOrEqual(right + 0.1);
      // The band's label starts inside it, or ends at the plot's right edge when it would not fit there.
      const label = /<text class="phase-label" ([^>]*)>/.exec(svg)?.[1];
      if (label && label.includes('text-anchor="end"')) expect(numbers(label, 'x')).toBeLessThanOrEqual(right);
      else if (label) expect(numbers(label, 'x') + 'validation phase'.length * 7).toBeLessThanOrEqual(right);
    }
  });

  it('the last cost bar of a short run ends before the axis does (it used to stick out past it)', () => {
    const svg = costChart(longRun(7).trajectory).value;
    const last = [...svg.matchAll(/<rect class="cost-bar" ([^>]*)>/g)].at(-1)![1]!;
    expect(numbers(last, 'x') + numbers(last, 'width')).toBeLessThan(PLOT_RIGHT);
  });
});

describe('costs', () => {
  it('are never written with an exponent, small ones keep two significant digits', () => {
    const tiny = makeRunState({
      iterations: makeRunState().iterations.map((it, i) => ({ ...it, costUsd: [4.2e-7, 0.00042][i]! })),
      spend: makeRunState().spend.map((l) => ({ ...l, costUsd: 3.1e-6, savedUsd: 8e-5, replayedUsd: 2e-9 })),
    });
    const data = buildReportData(makeReportInput({ state: tiny, cases: CASES }));
    for (const out of [renderHtml(data), renderMarkdown(data)]) {
      const amounts = out.match(/\$[\d.,]+(e[-+]?\d+)?/g) ?? [];
      expect(amounts.length).toBeGreaterThan(5);
      for (const amount of amounts) expect(amount).not.toMatch(/e/);
    }
    expect(renderHtml(data)).toContain('$0.00042');
    expect(renderMarkdown(data)).toContain('$0.00000042'); // 4.2e-7
  });
});

describe('cost without a price', () => {
  it('says no cost was recorded instead of drawing an empty chart', () => {
    const state = makeRunState({ iterations: makeRunState().iterations.map((it) => ({ ...it, costUsd: 0 })) });
    const out = renderHtml(buildReportData(makeReportInput({ state })));
    expect(out).not.toContain('cost-chart');
    expect(out).toContain('No cost recorded for the iterations');
  });
});

describe('diffView', () => {
  it('treats lines before the first hunk as headers and `---x` inside a hunk as a removal', () => {
    const view = diffView('--- a\n+++ b\n@@ -1 +1 @@\n---x\n+y\n\\ No newline at end of file\n').value;
    expect(view).toBe(
      '<pre class="block diff"><span class="d-head">--- a</span><span class="d-head">+++ b</span><span class="d-hunk">@@ -1 +1 @@</span>' +
        '<span class="d-del">---x</span><span class="d-add">+y</span><span class="d-note">\\ No newline at end of file</span></pre>',
    );
  });
});

describe('case records', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keep what the report shows of a case result', () => {
    const result = {
      caseId: 'c1',
      split: 'train',
      vars: { text: 'hi' },
      expected: 'positive',
      output: 'nope',
      pass: false,
      passRate: 0,
      score: 0,
      samples: [],
      failures: [{ type: 'equals', category: 'wrong_answer', reason: 'expected positive', expected: 'positive', actual: 'nope' }],
      inputTokens: 3,
      outputTokens: 1,
      costUsd: 0,
      latencyMs: 5,
      cacheHit: true,
    } as CaseResult;
    expect(toCaseRecord(result)).toEqual({
      caseId: 'c1',
      split: 'train',
      vars: { text: 'hi' },
      expected: 'positive',
      output: 'nope',
      pass: false,
      score: 0,
      failures: [{ type: 'equals', category: 'wrong_answer', reason: 'expected positive' }],
    });
  });

  it('round-trip through cases.json, redacted; a run without one has none', async () => {
    dir = await mkdtemp(join(tmpdir(), 'promptopt-cases-'));
    expect(await readCaseRecords(dir)).toBeUndefined();
    const leaky: CaseRecord = { ...CASES[0]!, output: 'key cases-secret-value-123 and sk-ant-' + 'api03-AbCdEf0123456789xyz' };
    const file = await writeCaseRecords(dir, { runId: 'r1', promptVersion: 2, cases: [leaky, ...CASES.slice(1)] }, ['cases-secret-value-123']);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('cases-secret-value-123');
    expect(text).not.toContain('sk-ant-api03');
    expect(JSON.parse(text)).toMatchObject({ schema_version: 1, run_id: 'r1', prompt_version: 2 });
    expect(JSON.parse(text).cases[1]).toMatchObject({ case_id: 'tr-1', split: 'train' });
    const back = await readCaseRecords(dir);
    expect(back![0]!.output).toBe('key [REDACTED] and [REDACTED]');
    expect(back!.slice(1)).toEqual(CASES.slice(1));
  });

  it('stay out of report.json and report.md', () => {
    const data = buildReportData(makeReportInput({ cases: CASES }));
    expect(JSON.parse(renderJson(data)).cases).toBeUndefined();
    expect(renderMarkdown(data)).toBe(renderMarkdown(buildReportData(makeReportInput())));
  });
});
