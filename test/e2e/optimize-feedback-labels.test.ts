/**
 * Tasks checked by `equals` against short labels keep their label analysis, read right: a
 * BIG-Bench-Hard multiple-choice task answered with reasoning (the option a reply ends on is its
 * answer, "(A)" is never the article "a") and banking77 intents. Read from the optimizer requests the
 * loopback server received during real `promptopt optimize` runs (test/fixtures/tasks/).
 */
import { describe, expect, test } from 'vitest';
import { groupHeaders, readRows, runFixture, trainingRequests, type FixtureRow } from './helpers/fixture-tasks.js';

const OPTIONS = ['(A)', '(B)', '(C)'];
const EQUALS = { defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] } };

/** The option after `expected` (a wrong one), cycling A -> B -> C -> A. */
function otherOption(expected: string): string {
  return OPTIONS[(OPTIONS.indexOf(expected) + 1) % OPTIONS.length]!;
}

/**
 * Every reply reasons first and mentions an option before its final answer. Case 0 mod 3 ends on the
 * expected option (right answer, wrong shape), 1 mod 3 mentions the expected option first and ends on
 * another, 2 mod 3 is exactly the expected option.
 */
function choiceReply(row: FixtureRow, i: number): string {
  const expected = String(row.expected);
  const wrong = otherOption(expected);
  switch (i % 3) {
    case 0:
      return `This is a tricky one. ${wrong} does not fit the second statement.\nSo the answer is ${expected}.`;
    case 1:
      return `This is a tricky one. At first ${expected} looks possible, but a closer look rules it out.\nSo the answer is ${wrong}.`;
    default:
      return expected;
  }
}

describe('BIG-Bench-Hard logical deduction: options read from reasoning replies', () => {
  test('confusions pair the expected option with the final one; right finals are a format problem; no "a"', async () => {
    const run = await runFixture('bbh-logical-deduction', {
      prompt: 'Answer the question. Reply with the option only, for example (A).\n\n{{input}}',
      replies: choiceReply,
      spec: EQUALS,
    });
    expect(run.result.code, run.result.stderr).toBe(0);
    const rows = await readRows('bbh-logical-deduction');
    const train = rows.map((row, i) => ({ row, i })).filter(({ row }) => run.splits.get(row.id) === 'train');
    const wrong = train.filter(({ i }) => i % 3 === 1);
    const rightShape = train.filter(({ i }) => i % 3 === 0);
    expect(wrong.length).toBeGreaterThan(0);
    expect(rightShape.length).toBeGreaterThan(0);
    const [first] = trainingRequests(run);
    expect(groupHeaders(first!)).toEqual(
      expect.arrayContaining([
        { title: 'equals', count: wrong.length, category: 'wrong_answer' },
        { title: 'equals', count: rightShape.length, category: 'format_violation' },
      ]),
    );
    // Each wrong reply mentions the expected option first; the confusion is with the option it ends on.
    const pairs = new Map<string, number>();
    for (const { row } of wrong) {
      const key = `${String(row.expected)} → ${otherOption(String(row.expected))}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
    for (const [pair, count] of pairs) expect(first).toContain(`${pair} (${count})`);
    expect(first).toContain(`The label read from the output is the expected one in ${rightShape.length} of ${rightShape.length}.`);
    for (const text of run.requests) {
      expect(text).not.toMatch(/→ a\b/);
      expect(text).not.toMatch(/\(other\)/);
      expect(text).not.toContain('task=');
      expect(text).not.toContain('source_index=');
    }
  });
});

describe('banking77: intent labels keep their label analysis', () => {
  test('confusions and decision-rule advice for labels; no provenance columns', async () => {
    const rows = await readRows('banking77');
    const run = await runFixture('banking77', {
      prompt: 'Classify the customer message into one banking intent label. Reply with the label only.\n\nMessage: {{input}}',
      // Right, another case's label (a confusion), or the right label inside a sentence.
      replies: (row, i) => (i % 3 === 0 ? String(row.expected) : i % 3 === 1 ? String(rows[(i + 1) % rows.length]!.expected) : `The answer is: ${String(row.expected)}.`),
      spec: EQUALS,
    });
    expect(run.result.code, run.result.stderr).toBe(0);
    const [first] = trainingRequests(run);
    const titles = groupHeaders(first!).map((h) => `${h.title} / ${h.category}`);
    expect(titles).toEqual(expect.arrayContaining(['equals / wrong_answer', 'equals / format_violation']));
    expect(first).toContain('Add decision rules distinguishing');
    expect(first).toMatch(/[a-z_]+ → [a-z_?]+ \(\d+\)/);
    expect(first).toContain('State that the reply must be only the label, with no extra words such as "The answer is:"');
    for (const text of run.requests) {
      expect(text).not.toContain('source_split');
      expect(text).not.toContain('source_index');
    }
  });
});
