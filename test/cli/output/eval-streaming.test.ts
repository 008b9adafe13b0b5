/**
 * `eval`'s outputs are streamed from a spool of per-case records (cases land out of order, outputs
 * list them in order): the documents must be byte for byte what the in-memory renderings were.
 */
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { CaseSpool } from '../../../src/cli/output/case-spool.js';
import { caseJson, evalJson, evalJsonHead, type CaseJson, type EvalReportInfo } from '../../../src/cli/output/eval-json.js';
import { writeJunit } from '../../../src/cli/output/junit.js';
import { writeJsonDocument } from '../../../src/cli/output/stream-json.js';
import { failingCasesText } from '../../../src/cli/output/eval-table.js';
import { stepSummaryMarkdown } from '../../../src/cli/output/step-summary.js';
import type { TextSink } from '../../../src/cli/output/text-sink.js';
import { ProviderError } from '../../../src/errors.js';
import { ModelCaller } from '../../../src/runner/model-caller.js';
import { runEval } from '../../../src/runner/run-eval.js';
import type { EvalResult } from '../../../src/runner/types.js';
import type { SplitCase, SplitName } from '../../../src/spec/types.js';
import { seededRandom } from '../../../src/util/seeded-random.js';
import { lastUserMessage, recordingModel } from '../../support/recording-model.js';

const SPLITS: SplitName[] = ['test', 'train', 'validation'];
const ODD = ['&nbsp;', '&amp;', '<b>', '"q"', '\u0001', '\uD800', '😀', 'line\nbreak', 'é', ''];

/** An eval of `n` cases with outputs holding what XML and JSON must escape, failures and provider errors. */
async function evalOf(n: number): Promise<EvalResult> {
  const cases: SplitCase[] = Array.from({ length: n }, (_, i) => ({
    id: `case-${i}`,
    vars: { word: `w${i}` },
    expected: `W${i}`,
    assert: [],
    split: SPLITS[(i * 7) % 3]!,
    origin: { file: 'task.yaml', path: 'cases' },
  }));
  const target = recordingModel((r) => {
    const i = Number(lastUserMessage(r).replace('Say w', ''));
    if (i % 11 === 5) return new ProviderError('sim', 'server', `HTTP 500 & <fail> ${ODD[i % ODD.length]}`);
    return i % 4 === 1 ? `nope ${ODD[i % ODD.length]}` : `W${i}`;
  });
  return runEval({
    cases,
    prompt: 'Say {{word}}',
    shape: { promptRole: 'user', maxTokens: 16 },
    defaultAssert: [{ type: 'equals', value: '{{expected}}' }],
    baseDir: tmpdir(),
    target,
    caller: new ModelCaller(),
    concurrency: 8,
    repeat: 1,
  });
}

const info: EvalReportInfo = {
  task: 'stream & <check>',
  specFile: '/x/task.yaml',
  target: { provider: 'sim', model: 'sim-classifier', simulated: true },
  split: 'all',
  threshold: 0.8,
  objective: 'pass_rate',
  score: 0.5,
  passed: false,
  exitCode: 1,
  keys: [],
  spend: [],
};

/** The records put into a spool in a shuffled (completion-like) order. */
function spoolOf(result: EvalResult): CaseSpool<CaseJson> {
  const spool = new CaseSpool<CaseJson>(result.cases.length);
  const order = result.cases.map((_, i) => i);
  const random = seededRandom(3);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (const index of order) spool.put(index, caseJson(result.cases[index]!));
  return spool;
}

async function collect(produce: (sink: TextSink) => Promise<void>): Promise<string> {
  const parts: string[] = [];
  await produce({ write: async (chunk) => void parts.push(chunk) });
  return parts.join('');
}

/** The JUnit file as it was built before streaming: one xmlbuilder2 document tree. */
function junitTree(task: string, result: EvalResult): string {
  const text = (value: string) => value.replace(/&/g, '&amp;');
  const root = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' }).ele('testsuites', {
    name: text(`promptopt ${task}`),
    tests: result.cases.length,
    failures: result.cases.filter((c) => !c.pass && !c.providerError).length,
    errors: result.cases.filter((c) => c.providerError).length,
    time: (result.wallTimeMs / 1000).toFixed(3),
  });
  for (const split of [...new Set(result.cases.map((c) => c.split))]) {
    const cases = result.cases.filter((c) => c.split === split);
    const suite = root.ele('testsuite', {
      name: text(`${task}.${split}`),
      tests: cases.length,
      failures: cases.filter((c) => !c.pass && !c.providerError).length,
      errors: cases.filter((c) => c.providerError).length,
    });
    for (const c of cases) {
      const testcase = suite.ele('testcase', { classname: text(`${task}.${split}`), name: text(c.caseId), time: (c.latencyMs / 1000).toFixed(3) });
      if (c.providerError) {
        const message = text(c.providerError.message);
        testcase.ele('error', { message, type: c.providerError.code }).txt(message);
      } else if (!c.pass) {
        const message = c.failures.map((f) => `${f.category}: ${f.reason}`).join('; ');
        testcase.ele('failure', { message: text(message), type: c.failures[0]?.category ?? 'failure' }).txt(text(`${message}\n\nscore: ${c.score}\noutput:\n${c.output}`));
      }
    }
  }
  return root.end({ prettyPrint: true });
}

describe('streamed eval outputs', () => {
  it('--output / --json / --junit are byte for byte the in-memory documents, cases in their order', async () => {
    const result = await evalOf(500);
    expect(result.cases.some((c) => c.providerError)).toBe(true);
    expect(result.cases.some((c) => !c.pass && !c.providerError)).toBe(true);
    const spool = spoolOf(result);
    try {
      const head = evalJsonHead(info, result);
      const pretty = await collect((sink) => writeJsonDocument(sink, head, 'cases', spool.records(), { pretty: true }));
      expect(pretty).toBe(JSON.stringify(evalJson(info, result), null, 2));
      const compact = await collect((sink) => writeJsonDocument(sink, head, 'cases', spool.records(), { pretty: false }));
      expect(compact).toBe(JSON.stringify(evalJson(info, result)));

      const splits = [...new Set(result.cases.map((c) => c.split))];
      const junit = await collect((sink) =>
        writeJunit(sink, { task: info.task, summaries: result.summaries, wallTimeMs: result.wallTimeMs, splits, cases: (split) => spool.records((i) => result.cases[i]!.split === split) }),
      );
      expect(junit).toBe(junitTree(info.task, result));
    } finally {
      spool.close();
    }
  });

  it('the failing cases listed: the first ones in the cases order, with the total count', async () => {
    const result = await evalOf(120);
    const spool = spoolOf(result);
    try {
      const failingResults = result.cases.filter((c) => !c.pass);
      const failing = [...spool.records((i) => !result.cases[i]!.pass)].slice(0, 20);
      expect(failing.map((c) => c.id)).toEqual(failingResults.slice(0, 20).map((c) => c.caseId));
      const table = failingCasesText(failing, failingResults.length);
      expect(table).toContain(`Failing cases (${failingResults.length}):`);
      expect(table).toContain(`${failingResults.length - 10} more`);
      expect(table).toContain(failingResults[9]!.caseId);
      expect(table).not.toContain(`${failingResults[10]!.caseId} [`);
      const markdown = stepSummaryMarkdown({ task: 't', model: 'm', simulated: true, threshold: 1, score: 0.5, objective: 'pass_rate', passed: false }, result.summaries, failing);
      expect(markdown.match(/^\| case-\d+ \|/gm)).toHaveLength(20);
    } finally {
      spool.close();
    }
  });

  it('an empty document and an empty head stream like JSON.stringify', async () => {
    for (const pretty of [true, false]) {
      for (const head of [{}, { a: 1, b: [1, { c: 'x\ny' }], skip: undefined }]) {
        for (const items of [[], [{ id: 1, nested: { list: [1, 2] } }, 'two', [3]]]) {
          const streamed = await collect((sink) => writeJsonDocument(sink, head, 'cases', items, { pretty }));
          expect(streamed).toBe(JSON.stringify({ ...head, cases: items }, null, pretty ? 2 : undefined));
        }
      }
    }
  });
});

describe('CaseSpool', () => {
  it('reads records back in index order, whatever order they were put in and however large', () => {
    const spool = new CaseSpool<{ i: number; text: string }>(1000);
    const big = 'é'.repeat(400_000); // bigger than a read window, multi-byte
    const order = Array.from({ length: 1000 }, (_, i) => (i * 389) % 1000).filter((i) => i % 7 !== 3);
    for (const i of order) spool.put(i, { i, text: i === 501 ? big : `case ${i} 😀` });
    const read = [...spool.records()];
    expect(read.map((r) => r.i)).toEqual([...order].sort((a, b) => a - b));
    expect(read.find((r) => r.i === 501)!.text).toBe(big);
    expect([...spool.records((i) => i < 10)].map((r) => r.i)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
    expect(spool.has(3)).toBe(false);
    expect(spool.has(4)).toBe(true);
    spool.close();
    expect(() => spool.put(1, { i: 1, text: '' })).toThrow(/closed/);
  });
});
