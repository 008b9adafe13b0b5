import { describe, expect, it } from 'vitest';
import { isOptionSet, optionLetter, readChoice } from '../../src/assertions/read-choice.js';
import { check } from './helpers.js';

describe('readChoice: the option a reply answers', () => {
  it('reads the usual shapes: (A), A), Answer: B, the answer is (C)', () => {
    expect(readChoice('(A)')).toBe('A');
    expect(readChoice('A)')).toBe('A');
    expect(readChoice('Answer: B')).toBe('B');
    expect(readChoice('the answer is (C)')).toBe('C');
    expect(readChoice('**Final answer: (D)**')).toBe('D');
    expect(readChoice('The answer is B.')).toBe('B');
    expect(readChoice('B) The minivan is the newest')).toBe('B');
  });

  it("takes a reasoning reply's final answer, not the first option it mentions", () => {
    const reasoning =
      'Let us check each option. (A) says the station wagon is the newest, but the minivan is newer. ' +
      '(B) fits every statement.\nSo the answer is (B).';
    expect(readChoice(reasoning)).toBe('B');
    expect(readChoice('(A) is wrong, (B) is wrong, (C) is the only one left.')).toBe('C');
    expect(readChoice('Working through it...\nC')).toBe('C');
    expect(readChoice('The answer is (A), because (B) and (C) contradict the second sentence.')).toBe('A');
  });

  it('never reads the article "a" as option A', () => {
    expect(readChoice('This is a tricky one and a half.')).toBeUndefined();
    expect(readChoice('The answer is a matter of taste.')).toBeUndefined();
    expect(readChoice('It is a puzzle; the answer is (C).')).toBe('C');
    expect(readChoice('the answer is I think (B)')).toBe('B');
  });

  it('limits the letters to the options given', () => {
    expect(readChoice('(A) or (Z)? Z.', ['(A)', '(B)'])).toBe('A');
    expect(readChoice('nothing here', ['(A)'])).toBeUndefined();
  });

  it('recognises option labels', async () => {
    expect(optionLetter('(A)')).toBe('A');
    expect(optionLetter(' B) ')).toBe('B');
    expect(optionLetter('C')).toBeUndefined(); // a bare capital may be a grade
    expect((await check({ type: 'equals', value: 'A' }, 'The grade is A.')).category).toBe('format_violation');
    expect(optionLetter('a')).toBeUndefined();
    expect(optionLetter('(AB)')).toBeUndefined();
    expect(isOptionSet(['(A)', '(B)', '(C)'])).toBe(true);
    expect(isOptionSet(['(A)', 'refund'])).toBe(false);
  });
});

describe('equals on an option label', () => {
  it('is a format violation when the final choice is right, a wrong answer when it is not', async () => {
    const right = await check({ type: 'equals', value: '(B)' }, 'Not (A): the minivan is newer. So the answer is (B).');
    expect(right).toMatchObject({ pass: false, category: 'format_violation' });
    const wrong = await check({ type: 'equals', value: '(A)' }, 'Option (A) looked likely, but the answer is (C).');
    expect(wrong).toMatchObject({ pass: false, category: 'wrong_answer' });
    expect(wrong.reason).toContain('the option read is (C)');
    expect((await check({ type: 'equals', value: '(A)' }, '(A)')).pass).toBe(true);
  });
});
