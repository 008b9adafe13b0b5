/** The small conversions of a promptfoo config: `__expected` cells, `---` prompt files, list vars, file references. */
import { describe, expect, it } from 'vitest';
import { assertionFromExpected } from '../../src/promptfoo/expected-column.js';
import { splitPrompts } from '../../src/promptfoo/map-prompts.js';
import { expandLists } from '../../src/promptfoo/map-tests.js';
import { rebaseFileRefs } from '../../src/promptfoo/write-import.js';
import { looksLikePromptfooConfig } from '../../src/spec/promptfoo-hint.js';

describe('assertionFromExpected (a CSV __expected cell)', () => {
  it('reads promptfoo\'s type prefixes, not- and a threshold in parentheses', () => {
    expect(assertionFromExpected('contains: refund')).toEqual({ type: 'contains', value: 'refund' });
    expect(assertionFromExpected('not-icontains:sorry')).toEqual({ type: 'not-icontains', value: 'sorry' });
    expect(assertionFromExpected('levenshtein(3): hello')).toEqual({ type: 'levenshtein', value: 'hello', threshold: 3 });
    expect(assertionFromExpected('is-json')).toEqual({ type: 'is-json' });
    expect(assertionFromExpected('similar(0.9): a summary')).toEqual({ type: 'similar', value: 'a summary', threshold: 0.9 });
  });
  it('reads the legacy prefixes', () => {
    expect(assertionFromExpected('fn: output.length < 10')).toEqual({ type: 'javascript', value: 'output.length < 10' });
    expect(assertionFromExpected('eval:output === "a"')).toEqual({ type: 'javascript', value: 'output === "a"' });
    expect(assertionFromExpected('grade: is polite')).toEqual({ type: 'llm-rubric', value: 'is polite' });
    expect(assertionFromExpected("python: 'a' in output")).toEqual({ type: 'python', value: "'a' in output" });
  });
  it('takes anything else as the expected value itself (equals), even with a colon', () => {
    expect(assertionFromExpected('billing')).toEqual({ type: 'equals', value: 'billing' });
    expect(assertionFromExpected('Note: call back')).toEqual({ type: 'equals', value: 'Note: call back' });
    expect(assertionFromExpected('containsx: y')).toEqual({ type: 'equals', value: 'containsx: y' });
  });
});

describe('splitPrompts (a text file of prompts)', () => {
  it('splits at lines holding ---, trims each prompt and keeps its first line', () => {
    expect(splitPrompts('First {{a}}\n---\n\nSecond\nline two\n---  \nThird\n')).toEqual([
      { text: 'First {{a}}', line: 1 },
      { text: 'Second\nline two', line: 4 },
      { text: 'Third', line: 7 },
    ]);
  });
  it('leaves --- inside a line alone, and a file without separator is one prompt', () => {
    expect(splitPrompts('a --- b\n--- not alone\n')).toEqual([{ text: 'a --- b\n--- not alone', line: 1 }]);
  });
});

describe('expandLists (a var holding a list runs once per value)', () => {
  it('makes every combination, in order', () => {
    expect(expandLists({ lang: ['fr', 'de'], n: [1, 2], x: 'k' })).toEqual([
      { lang: 'fr', n: 1, x: 'k' },
      { lang: 'fr', n: 2, x: 'k' },
      { lang: 'de', n: 1, x: 'k' },
      { lang: 'de', n: 2, x: 'k' },
    ]);
    expect(expandLists({ a: 'one' })).toEqual([{ a: 'one' }]);
  });
});

describe('rebaseFileRefs (import -o into another folder)', () => {
  it('re-points file:// references, keeping a :function suffix', () => {
    expect(rebaseFileRefs({ type: 'python', value: 'file://checks/a.py:check' }, '/p/config', '/p/out')).toEqual({ type: 'python', value: 'file://../config/checks/a.py:check' });
    expect(rebaseFileRefs({ type: 'contains', value: 'x' }, '/p/config', '/p/out')).toEqual({ type: 'contains', value: 'x' });
  });
});

describe('looksLikePromptfooConfig', () => {
  it('is true for prompts/providers/tests without prompt/target', () => {
    expect(looksLikePromptfooConfig({ prompts: ['x'], providers: ['openai:gpt-4o-mini'] })).toBe(true);
    expect(looksLikePromptfooConfig({ prompt: 'x', target: {}, tests: [] })).toBe(false);
    expect(looksLikePromptfooConfig({ name: 'x' })).toBe(false);
  });
});
