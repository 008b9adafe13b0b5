/**
 * What the optimizer is told on tasks whose checks are not class labels, read from the requests the
 * loopback server received during real `promptopt optimize` runs (test/fixtures/tasks/): a math task
 * checked by a regex and a JavaScript number check, an extraction task checked by a JSON Schema and a
 * slot-F1 JavaScript score, and instruction following with per-case checks giving different reasons.
 * Each run must name the failing groups after the checks, give no label or length advice, and show no
 * column the prompt does not use, nor anything of the held-out test split.
 */
import { describe, expect, test } from 'vitest';
import { groupHeaders, readRows, runFixture, trainingRequests, type FixtureRun, type FixtureRow } from './helpers/fixture-tasks.js';

/** Advice that only fits class labels or exact-text answers. */
const LABEL_OR_LENGTH_ADVICE = [
  'Add decision rules distinguishing',
  'Keep replies close to the expected length',
  'Replies are too short',
  'Allowed labels',
  'confused with',
  'The label read from the output',
  'Require exactly one of the allowed labels',
];

function expectNoLabelOrLengthAdvice(run: FixtureRun): void {
  for (const text of run.requests) for (const phrase of LABEL_OR_LENGTH_ADVICE) expect(text).not.toContain(phrase);
}

/** Nothing of a test-split case reaches the optimizer: not its input, not its expected value. */
async function expectNothingOfTest(run: FixtureRun, fixture: string): Promise<void> {
  const rows = await readRows(fixture);
  const test = rows.filter((r) => run.splits.get(r.id) === 'test');
  expect(test.length).toBeGreaterThan(0);
  for (const text of run.requests) {
    for (const row of test) {
      expect(text).not.toContain(row.input.slice(0, 60));
      expect(text).not.toContain(row.id);
    }
  }
}

const WORKED = 'Let me work through it step by step. First I add up the amounts, then I take away what was used.';

function mathReply(row: FixtureRow, i: number): string {
  const right = String(row.expected);
  const wrong = String(Number(right) + 7);
  switch (i % 4) {
    case 0:
      return `${WORKED}\n#### ${right}`;
    case 1:
      return `${WORKED} The answer is ${right}.`; // right number, no "####" line
    case 2:
      return `${WORKED}\n#### ${wrong}`; // the format, a wrong number
    default:
      return `${WORKED} So it is ${wrong}.`;
  }
}

const MATH = {
  prompt: 'Solve the problem. Show your reasoning, then give the final answer on its own line as "#### <number>".\n\nProblem: {{input}}',
  replies: mathReply,
  spec: {
    defaults: {
      assert: [
        { type: 'regex', value: '####\\s*-?[\\d,]+(\\.\\d+)?\\s*$' },
        { type: 'javascript', value: 'file://check-answer.js:lastNumber' },
      ],
    },
  },
};

describe('gsm8k: a numeric answer checked by a regex and a JavaScript number check', () => {
  test('groups are named after the failing checks; no label or length advice; no worked solution, provenance or test case', async () => {
    const run = await runFixture('gsm8k', MATH);
    expect(run.result.code, run.result.stderr).toBe(0);
    const training = trainingRequests(run);
    expect(training.length).toBeGreaterThan(0);
    const headers = groupHeaders(training[0]!);
    expect(headers).toEqual(
      expect.arrayContaining([
        { title: 'regex', count: expect.any(Number), category: 'format_violation' },
        { title: 'javascript "last number is # but expected #"', count: expect.any(Number), category: 'wrong_answer' },
      ]),
    );
    expect(training[0]).toContain('Outputs do not match the required pattern: /####\\s*-?[\\d,]+(\\.\\d+)?\\s*$/');
    expect(training[0]).toMatch(/failed javascript "last number is # but expected #": last number is \d+ but expected \d+ \(score 0\)/);
    expectNoLabelOrLengthAdvice(run);
    const solutions = (await readRows('gsm8k')).map((r) => String(r.solution));
    for (const text of run.requests) {
      for (const column of ['solution', 'source_split', 'source_index']) expect(text).not.toContain(`${column}=`);
      expect(text).not.toContain('<<'); // the calculator annotations of the worked solutions
      for (const solution of solutions) expect(text).not.toContain(solution.split('\n')[0]!.slice(0, 50));
    }
    // The target's requests (and so the trace) are untouched: they carry what the prompt renders.
    expect(run.targetTexts.some((t) => t.includes('Problem: '))).toBe(true);
    await expectNothingOfTest(run, 'gsm8k');
  });

  test('optimizer.show_vars adds a column on purpose; hide_vars keeps a used one out of optimizer requests only', async () => {
    const shown = await runFixture('gsm8k', { ...MATH, optimizer: { show_vars: ['solution'] } });
    expect(shown.result.code, shown.result.stderr).toBe(0);
    expect(trainingRequests(shown)[0]).toContain('solution="');
    expect(trainingRequests(shown)[0]).not.toContain('source_index=');

    const hidden = await runFixture('gsm8k', {
      ...MATH,
      prompt: 'Solve the problem; a reference solution is given. End with "#### <number>".',
      spec: { ...MATH.spec, prompt_role: 'system', user: 'Problem: {{input}}\n\nReference solution: {{solution}}' },
      optimizer: { hide_vars: ['solution'] },
    });
    expect(hidden.result.code, hidden.result.stderr).toBe(0);
    for (const text of hidden.requests) {
      expect(text).not.toContain('solution=');
      expect(text).not.toContain('<<');
    }
    expect(hidden.requests.some((t) => t.includes('input="'))).toBe(true);
    // The target still gets the rendered solution: hiding is about the optimizer, not the task.
    expect(hidden.targetTexts.some((t) => t.includes('Reference solution: ') && t.includes('<<'))).toBe(true);
  });
});

function snipsReply(row: FixtureRow, i: number): string {
  const expected = row.expected as { intent: string; slots: Record<string, string> };
  switch (i % 4) {
    case 0:
      return JSON.stringify(expected);
    case 1:
      return JSON.stringify({ intent: expected.intent, slots: { ...expected.slots, first_name: 'Sam' } });
    case 2:
      return JSON.stringify({ slots: expected.slots });
    default:
      return 'Sure, I can help with that request.';
  }
}

describe('snips: JSON Schema plus a slot-F1 JavaScript score', () => {
  test('schema errors by path, keyword and field; the F1 check by its reason and score; no label advice, no provenance', async () => {
    const run = await runFixture('snips', {
      prompt: 'Return the intent and slots of the request as JSON {"intent": ..., "slots": {...}}.\n\nRequest: {{input}}',
      replies: snipsReply,
      spec: {
        defaults: {
          assert: [
            { type: 'json-schema', value: 'file://schema.json' },
            { type: 'javascript', value: 'file://slot-f1.js:slotF1', metric: 'slot_f1', threshold: 0.99 },
          ],
        },
      },
    });
    expect(run.result.code, run.result.stderr).toBe(0);
    const [first] = trainingRequests(run);
    const titles = groupHeaders(first!).map((h) => `${h.title} / ${h.category}`);
    expect(titles).toEqual(expect.arrayContaining(['json-schema / schema_violation', 'json-schema / invalid_json']));
    expect(titles.some((t) => /^javascript \[slot_f1\] "slot F1 #; (missed|extra): …/.test(t))).toBe(true);
    expect(first).toMatch(/Schema errors \(path keyword field\): .*\/slots additionalProperties first_name \(\d+\)/);
    expect(first).toMatch(/\(root\) required intent \(\d+\)/);
    expect(first).toMatch(/Fields the schema does not allow: first_name \(\d+\)/);
    expect(first).toMatch(/Mean check score 0\.\d+/);
    expect(first).toContain('Require a single JSON object with no prose or code fences');
    expectNoLabelOrLengthAdvice(run);
    for (const text of run.requests) {
      expect(text).not.toContain('Confusions');
      expect(text).not.toContain('JSON matching the schema →');
      expect(text).not.toMatch(/often missing: json, matching, schema/);
      expect(text).not.toContain('source_file');
      expect(text).not.toContain('source_index=');
    }
    await expectNothingOfTest(run, 'snips');
  });
});

/** A reply that breaks every instruction of the fixture; three cases get one that follows theirs. */
const CARELESS = 'Sure, here is my Reply. The river was very calm that day, and the people on the bank watched the boats go by while the sun went down slowly behind the hills and the wind dropped.';
const FOLLOWED: Record<string, string> = {
  'if-title-2': '<<Whiskers>>\nA cat sat on a mat and would not move at all.',
  'if-postscript-2': 'Dear Ana, lunch on Friday?\n\nP.S. I will bring cake.',
  'if-noCommas-2': 'The lighthouse keeper climbed the stairs every night and lit the lamp for the ships.',
};

describe('instruction following: per-case JavaScript checks with different reasons', () => {
  test('one group per kind of instruction failure, with counts, named after what the check said', async () => {
    const run = await runFixture('instructions', {
      prompt: '{{input}}',
      replies: (row) => FOLLOWED[row.id] ?? CARELESS,
    });
    expect(run.result.code, run.result.stderr).toBe(0);
    const rows = await readRows('instructions');
    const failingTrain = rows.filter((r) => run.splits.get(r.id) === 'train' && FOLLOWED[r.id] === undefined);
    const kinds = new Set(failingTrain.map((r) => r.rule));
    expect(kinds.size).toBeGreaterThanOrEqual(5);
    const headers = groupHeaders(trainingRequests(run)[0]!);
    expect(headers).toHaveLength(kinds.size);
    expect(headers.every((h) => h.title.startsWith('javascript [instruction] "'))).toBe(true);
    expect(new Set(headers.map((h) => h.title)).size).toBe(kinds.size);
    expect(headers.reduce((n, h) => n + h.count, 0)).toBe(failingTrain.length);
    expect(headers.map((h) => h.title).join('\n')).not.toContain('returned false');
    if (kinds.has('maxWords')) expect(headers.map((h) => h.title)).toContain('javascript [instruction] "has # words, at most # allowed"');
    expectNoLabelOrLengthAdvice(run);
    for (const text of run.requests) {
      expect(text).not.toContain('rule=');
      expect(text).not.toContain('arg=');
    }
    await expectNothingOfTest(run, 'instructions');
  });
});
