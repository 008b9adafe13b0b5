import { describe, expect, it } from 'vitest';
import { NAME_INPUT_CHARS, testcaseName } from '../../../src/cli/output/junit.js';

describe('JUnit testcase names', () => {
  it('carry the case id and the start of its input, on one line', () => {
    expect(testcaseName('love', { input: 'I love this phone' })).toBe('love: I love this phone');
    expect(testcaseName('3f9a0c1d2e4b', { input: 'line one\n\n  line two' })).toBe('3f9a0c1d2e4b: line one line two');
  });

  it('cut a long input at a fixed length, marked with an ellipsis', () => {
    const name = testcaseName('a1', { input: 'word '.repeat(40) });
    expect(name.startsWith('a1: word word')).toBe(true);
    expect(name.endsWith('…')).toBe(true);
    expect([...name.slice('a1: '.length)].length).toBeLessThanOrEqual(NAME_INPUT_CHARS);
  });

  it('take the `input` variable, else the first one; JSON for structured values; the id alone without any', () => {
    expect(testcaseName('c', { topic: 'cats', input: 'the question' })).toBe('c: the question');
    expect(testcaseName('c', { topic: 'cats', tone: 'dry' })).toBe('c: cats');
    expect(testcaseName('c', { item: { name: 'x' } })).toBe('c: {"name":"x"}');
    expect(testcaseName('c', {})).toBe('c');
    expect(testcaseName('c', undefined)).toBe('c');
    expect(testcaseName('c', { input: '   ' })).toBe('c');
  });
});
