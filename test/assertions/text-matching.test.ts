import { describe, expect, it } from 'vitest';
import { check } from './helpers.js';

describe('equals', () => {
  it('passes on the exact trimmed value', async () => {
    const r = await check({ type: 'equals', value: 'positive' }, '  positive\n');
    expect(r).toMatchObject({ pass: true, score: 1, type: 'equals' });
  });

  it('calls the right answer in the wrong shape a format_violation', async () => {
    const r = await check({ type: 'equals', value: 'positive' }, 'The answer is: Positive.');
    expect(r).toMatchObject({ pass: false, score: 0, category: 'format_violation', expected: 'positive' });
    expect(r.reason).toContain('"positive"');
    expect(r.reason).toContain('"The answer is: Positive."');
  });

  it('treats case and trailing punctuation differences as format_violation', async () => {
    const r = await check({ type: 'equals', value: 'Negative' }, 'negative!');
    expect(r.category).toBe('format_violation');
  });

  it('calls a different answer a wrong_answer', async () => {
    const r = await check({ type: 'equals', value: 'positive' }, 'negative');
    expect(r).toMatchObject({ pass: false, category: 'wrong_answer', expected: 'positive', actual: 'negative' });
    expect(r.reason).toBe('expected "positive", got "negative"');
  });

  it('does not mistake a substring of a word for the answer', async () => {
    const r = await check({ type: 'equals', value: 'no' }, 'I do not know');
    expect(r.category).toBe('wrong_answer');
  });

  it('compares numbers as text', async () => {
    expect((await check({ type: 'equals', value: 42 }, '42')).pass).toBe(true);
  });

  it('compares an object value against the output parsed as JSON, ignoring key order', async () => {
    const value = { label: 'positive', tags: ['a', 'b'] };
    expect((await check({ type: 'equals', value }, '{"tags":["a","b"],"label":"positive"}')).pass).toBe(true);
    const wrong = await check({ type: 'equals', value }, '{"tags":["a"],"label":"negative"}');
    expect(wrong.category).toBe('wrong_answer');
    expect(wrong.reason).toContain('$.label: expected "positive", got "negative"');
    const wrapped = await check({ type: 'equals', value }, 'Sure: {"label":"positive","tags":["a","b"]}');
    expect(wrapped.category).toBe('format_violation');
    expect((await check({ type: 'equals', value }, 'positive')).category).toBe('invalid_json');
  });

  it('truncates long outputs in the reason', async () => {
    const r = await check({ type: 'equals', value: 'x' }, 'y'.repeat(1000));
    expect(r.reason.length).toBeLessThan(300);
    expect(r.reason).toContain('…');
  });
});

describe('contains family', () => {
  it('contains: pass and missing_content with expected and actual in the reason', async () => {
    expect((await check({ type: 'contains', value: 'refund' }, 'We will refund you.')).pass).toBe(true);
    const r = await check({ type: 'contains', value: 'refund' }, 'We will Refund you.');
    expect(r).toMatchObject({ pass: false, category: 'missing_content', expected: 'refund', actual: 'We will Refund you.' });
    expect(r.reason).toContain('"refund"');
    expect(r.reason).toContain('"We will Refund you."');
    expect(r.reason).toContain('different case');
  });

  it('icontains ignores case', async () => {
    expect((await check({ type: 'icontains', value: 'REFUND' }, 'a refund')).pass).toBe(true);
    expect((await check({ type: 'icontains', value: 'REFUND' }, 'a credit')).category).toBe('missing_content');
  });

  it('contains-any takes a list or a comma-separated string (quoted items may hold commas)', async () => {
    expect((await check({ type: 'contains-any', value: ['cat', 'dog'] }, 'a dog')).pass).toBe(true);
    expect((await check({ type: 'contains-any', value: 'cat, dog' }, 'a dog')).pass).toBe(true);
    expect((await check({ type: 'contains-any', value: '"hello, world", bye' }, 'hello, world')).pass).toBe(true);
    const r = await check({ type: 'contains-any', value: 'cat,dog' }, 'a bird');
    expect(r.category).toBe('missing_content');
    expect(r.reason).toContain('none of ["cat", "dog"]');
    expect(r.reason).toContain('"a bird"');
  });

  it('icontains-any ignores case', async () => {
    expect((await check({ type: 'icontains-any', value: ['CAT', 'DOG'] }, 'a Dog')).pass).toBe(true);
    expect((await check({ type: 'icontains-any', value: ['CAT'] }, 'a Dog')).pass).toBe(false);
  });

  it('contains-all names what is missing', async () => {
    expect((await check({ type: 'contains-all', value: 'name,email' }, 'name: a, email: b')).pass).toBe(true);
    const r = await check({ type: 'contains-all', value: ['name', 'email', 'phone'] }, 'name: a, email: b');
    expect(r.category).toBe('missing_content');
    expect(r.reason).toContain('missing ["phone"] (found 2 of 3)');
  });

  it('icontains-all ignores case', async () => {
    expect((await check({ type: 'icontains-all', value: ['NAME', 'Email'] }, 'name, EMAIL')).pass).toBe(true);
    expect((await check({ type: 'icontains-all', value: ['NAME', 'phone'] }, 'name')).category).toBe('missing_content');
  });

  it('an empty value is an assertion_error, not a pass', async () => {
    expect((await check({ type: 'contains', value: '' }, 'x')).category).toBe('assertion_error');
    expect((await check({ type: 'contains-any', value: [] }, 'x')).category).toBe('assertion_error');
  });
});

describe('starts-with', () => {
  it('passes on the prefix (leading whitespace ignored) and fails as format_violation', async () => {
    expect((await check({ type: 'starts-with', value: 'Label:' }, '\n Label: positive')).pass).toBe(true);
    const r = await check({ type: 'starts-with', value: 'Label:' }, 'Sure! Label: positive');
    expect(r).toMatchObject({ pass: false, category: 'format_violation', expected: 'Label:' });
    expect(r.reason).toContain('"Label:"');
    expect(r.reason).toContain('"Sure! Label: positive"');
  });
});

describe('regex', () => {
  it('passes on a match', async () => {
    expect((await check({ type: 'regex', value: '\\d{3}-\\d{4}' }, 'call 555-1234')).pass).toBe(true);
  });

  it('fails as missing_content, or format_violation for an anchored pattern', async () => {
    const r = await check({ type: 'regex', value: '\\d{3}-\\d{4}' }, 'no number');
    expect(r.category).toBe('missing_content');
    expect(r.reason).toContain('/\\d{3}-\\d{4}/');
    expect(r.reason).toContain('"no number"');
    expect((await check({ type: 'regex', value: '^(yes|no)$' }, 'yes.')).category).toBe('format_violation');
  });

  it('an invalid pattern is an assertion_error', async () => {
    const r = await check({ type: 'regex', value: '([a-z' }, 'abc');
    expect(r).toMatchObject({ pass: false, score: 0, category: 'assertion_error' });
    expect(r.reason).toContain('invalid regex /([a-z/');
  });
});

describe('levenshtein', () => {
  it('passes within the default distance of 5 and fails as too_different with the distance', async () => {
    expect((await check({ type: 'levenshtein', value: 'hello world' }, 'helo world')).pass).toBe(true);
    const r = await check({ type: 'levenshtein', value: 'hello world' }, 'goodbye moon');
    expect(r.category).toBe('too_different');
    expect(r.reason).toMatch(/^edit distance \d+ exceeds 5: expected "hello world", got "goodbye moon"$/);
  });

  it('uses threshold as the maximum distance', async () => {
    expect((await check({ type: 'levenshtein', value: 'abc', threshold: 0 }, 'abd')).pass).toBe(false);
    expect((await check({ type: 'levenshtein', value: 'abc', threshold: 1 }, 'abd')).pass).toBe(true);
  });
});
