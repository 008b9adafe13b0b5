import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReportData } from '../../src/report/report-data.js';
import { renderJson } from '../../src/report/render-json.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { writeReports } from '../../src/report/write-reports.js';
import { FINAL_PROMPT, makeReportInput, makeRunState } from './make-run-state.js';

describe('buildReportData', () => {
  it('follows the trajectory, scores, categories, spend and calls of the run', () => {
    const data = buildReportData(makeReportInput());
    expect(data.simulated).toBe(true);
    expect(data.trajectory).toHaveLength(2);
    expect(data.trajectory[0]).toMatchObject({ iteration: 1, train: 0.875, validation: undefined, accepted: 'i1c1' });
    expect(data.trajectory[1]).toMatchObject({ iteration: 2, train: 0.875, accepted: undefined });
    expect(data.trajectory[1]!.candidates.map((c) => [c.id, c.status, c.score, c.fixed, c.broken])).toEqual([
      ['i2c1', 'rejected', 0.75, 1, 2],
      ['i2c2', 'invalid', undefined, 0, 0],
    ]);
    // A run from before objectives: its score was the pass rate, and is reported as one.
    expect(data.final.test).toEqual({ score: 0.8, passed: 4, total: 5, passRate: 0.8 });
    expect(data.objective).toBe('pass_rate');
    expect(data.baseline.train.score).toBe(0.5);
    expect(data.categories).toEqual([
      { category: 'format_violation', before: 3, after: 0 },
      { category: 'wrong_answer', before: 1, after: 1 },
    ]);
    expect(data.spend.map((l) => l.role)).toEqual(['optimizer', 'target']);
    expect(data.totals.costUsd).toBeCloseTo(0.0268);
    expect(data.calls).toEqual({ made: 42, cacheHits: 8, hitRate: 8 / 50 });
    expect(data.changed).toBe(true);
    expect(data.diffFromStart).toContain('+Answer with exactly one word: positive or negative.');
  });

  it('leaves the test score absent when the run stopped before it', () => {
    const data = buildReportData(makeReportInput({ state: makeRunState({ test: undefined, stopReason: 'budget' }) }));
    expect(data.final.test).toBeUndefined();
    const markdown = renderMarkdown(data);
    expect(markdown).toContain('| test (held out) | — | not scored |');
    expect(markdown).toContain('the cost budget was exhausted');
  });
});

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(buildReportData(makeReportInput()));

  it('has the title, SIMULATED banner, summary and stop reason', () => {
    expect(markdown).toMatch(/^# promptopt report: poem-sentiment\n/);
    expect(markdown).toContain('`run-20250101-abc`');
    expect(markdown).toContain('**⚠ SIMULATED** — the target ran on the offline simulator');
    expect(markdown).toContain('| train | 50.0% (4/8) | 87.5% (7/8) | +37.5 pts |');
    expect(markdown).toContain('| validation | 50.0% (2/4) | 75.0% (3/4) | +25.0 pts |');
    expect(markdown).toContain('| test (held out) | — | 80.0% (4/5) |  |');
    expect(markdown).toContain('`patience`: no improvement within the patience limit');
    expect(markdown).toContain('1m 23s');
  });

  it('has the trajectory and one line per candidate', () => {
    expect(markdown).toContain('| 1 | train | 87.5% | — | `i1c1` |  | $0.0021 |');
    expect(markdown).toContain('| 2 | train | 87.5% | — | — |  | $0.0013 |');
    expect(markdown).toContain('- ✓ `i1c1` **accepted** · 87.5% · fixed 3, broke 0 · Ask for exactly one word');
    expect(markdown).toContain('- ✗ `i2c1` **rejected** · 75.0% · fixed 1, broke 2 · Add two examples of mixed feelings — no better');
    expect(markdown).toContain('- ⚠ `i2c2` **invalid** · — · Drop the template | simplify — dropped the template variable {{text}}');
  });

  it('has categories, lessons, cost by role and model, and cache hits', () => {
    expect(markdown).toContain('| format_violation | 3 | 0 |');
    expect(markdown).toContain('- ✓ asking for exactly one word fixed format violations');
    expect(markdown).toContain('| optimizer | `claude-sonnet-4-5` | 2 | 3,000 | 1,200 | $0.0268 | — | — |');
    expect(markdown).toContain('| target | `sim-target` | 40 | 4,000 | 400 | $0.00 | 3 ($0.00) | 5 ($0.00) |');
    expect(markdown).toContain('Paid: $0.0268 for 42 call(s).');
    expect(markdown).toContain('Replayed from the cache: 3 call(s) this run had already paid for ($0.00, not paid again).');
    expect(markdown).toContain('Saved: 5 call(s) served from the cache, paid for by earlier runs or evals ($0.00 not spent).');
    expect(markdown).toContain('Calls: 42 made, 8 served from cache (16.0% hit rate).');
  });

  it('has the final prompt and the diff in fenced blocks', () => {
    expect(markdown).toContain('```text\n' + FINAL_PROMPT + '```');
    expect(markdown).toMatch(/```diff\n[\s\S]*\+Answer with exactly one word: positive or negative\.\n[\s\S]*```/);
  });

  it('uses a longer fence when the prompt holds one, and no banner for real models', () => {
    const prompt = 'Reply as JSON:\n```json\n{"label": "..."}\n```\n{{text}}';
    const data = buildReportData(
      makeReportInput({ finalPrompt: prompt, target: { provider: 'openai', model: 'gpt-4o-mini', simulated: false } }),
    );
    const md = renderMarkdown(data);
    expect(md).toContain('````text\n' + prompt + '\n````');
    expect(md).not.toContain('SIMULATED');
  });

  it('says so when the prompt did not change', () => {
    const md = renderMarkdown(buildReportData(makeReportInput({ finalPrompt: makeReportInput().startPrompt })));
    expect(md).toContain('No change from the start prompt.');
  });
});

describe('renderJson', () => {
  it('parses, with schema_version and snake_case keys', () => {
    const json = JSON.parse(renderJson(buildReportData(makeReportInput()))) as Record<string, any>;
    expect(json.schema_version).toBe(1);
    expect(Object.keys(json)[0]).toBe('schema_version');
    expect(json.run_id).toBe('run-20250101-abc');
    expect(json.stop_reason).toBe('patience');
    expect(json.final.test.score).toBe(0.8);
    expect(json.trajectory[1].candidates[1].status).toBe('invalid');
    expect(json.spend[0].input_tokens).toBe(3000);
    expect(json.calls.cache_hits).toBe(8);
    expect(json.categories[0].category).toBe('format_violation');
    expect(json.diff_from_start).toContain('+++ v2.txt');
  });
});

describe('writeReports', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the three reports with secrets redacted (the given values, and key shapes)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'promptopt-report-'));
    const state = makeRunState({ memory: { lessons: ['✗ leaked report-secret-value-123 and sk-ant-' + 'api03-AbCdEf0123456789xyz'], recent: [] } });
    const paths = await writeReports(dir, buildReportData(makeReportInput({ state })), ['report-secret-value-123']);
    expect(paths).toEqual({ markdown: join(dir, 'report.md'), json: join(dir, 'report.json'), html: join(dir, 'report.html') });
    for (const file of [paths.markdown, paths.json, paths.html]) {
      const text = await readFile(file, 'utf8');
      expect(text).not.toContain('report-secret-value-123');
      expect(text).not.toContain('sk-ant-api03');
      expect(text).toContain('[REDACTED]');
    }
    expect(JSON.parse(await readFile(paths.json, 'utf8')).schema_version).toBe(1);
  });
});
