import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from './helpers.js';

describe('javascript inline', () => {
  it('evaluates an expression with output and context in scope', async () => {
    const r = await check(
      { type: 'javascript', value: 'output.includes(context.vars.name) && context.caseId === "c7"' },
      'Hi Ada',
      { vars: { name: 'Ada' }, caseId: 'c7' },
    );
    expect(r.pass).toBe(true);
  });

  it('runs a body with return, and await works', async () => {
    const value = 'const n = await Promise.resolve(output.length);\nreturn n < 5;';
    expect((await check({ type: 'javascript', value }, 'abc')).pass).toBe(true);
    const r = await check({ type: 'javascript', value }, 'abcdefgh');
    expect(r).toMatchObject({ pass: false, category: 'wrong_answer' });
    expect(r.reason).toContain('returned false for output "abcdefgh"');
  });

  it('an expression may mention "return" in a string, and carry a trailing comment', async () => {
    expect((await check({ type: 'javascript', value: 'output.includes("return") // policy word' }, 'no return')).pass).toBe(true);
  });

  it('a number passes at >= threshold (default 0.5) and becomes the score', async () => {
    expect(await check({ type: 'javascript', value: '0.6' }, 'x')).toMatchObject({ pass: true, score: 0.6 });
    expect(await check({ type: 'javascript', value: '0.6', threshold: 0.8 }, 'x')).toMatchObject({ pass: false, score: 0.6 });
  });

  it('a score outside 0..1 or not a number is an assertion_error, never full marks', async () => {
    for (const value of ['5', '80', '-0.1', '({ pass: true, score: 5 })', "({ pass: true, score: 'a' })", '({ score: Infinity })']) {
      const r = await check({ type: 'javascript', value }, 'x');
      expect(r, value).toMatchObject({ pass: false, score: 0, category: 'assertion_error' });
      expect(r.reason, value).toMatch(/a score is a number from 0 to 1/);
    }
    expect(await check({ type: 'javascript', value: '1' }, 'x')).toMatchObject({ pass: true, score: 1 });
    expect(await check({ type: 'javascript', value: '({ pass: false, score: 0 })' }, 'x')).toMatchObject({ pass: false, score: 0, category: 'wrong_answer' });
  });

  it('an object gives pass, score, reason and a category', async () => {
    const value = "({ pass: false, score: 0.3, reason: 'too chatty', category: 'format_violation' })";
    const r = await check({ type: 'javascript', value }, 'Well, actually...');
    expect(r).toMatchObject({ pass: false, score: 0.3, category: 'format_violation' });
    expect(r.reason).toContain('too chatty');
    expect(r.reason).toContain('"Well, actually..."');
  });

  it('a throwing expression becomes assertion_error and never escapes', async () => {
    const r = await check({ type: 'javascript', value: 'output.nope.deeper' }, 'x');
    expect(r).toMatchObject({ pass: false, score: 0, category: 'assertion_error' });
    expect(r.reason).toMatch(/^javascript assertion threw: /);
  });

  it('code that does not compile, or returns nothing useful, is an assertion_error', async () => {
    expect((await check({ type: 'javascript', value: 'output ===' }, 'x')).reason).toContain('does not compile');
    expect((await check({ type: 'javascript', value: 'return;' }, 'x')).reason).toContain('returned undefined');
  });
});

describe('javascript file', () => {
  it('calls a named export of a .js file', async () => {
    expect((await check({ type: 'javascript', value: 'file://checks.js:isPolite' }, 'Thanks!')).pass).toBe(true);
    expect((await check({ type: 'javascript', value: 'file://checks.js:isPolite' }, 'No.')).category).toBe('wrong_answer');
  });

  it('calls the default export when no name is given', async () => {
    expect((await check({ type: 'javascript', value: 'file://checks.js' }, 'x')).pass).toBe(true);
  });

  it('awaits an async function returning an object with a reason and category', async () => {
    const value = 'file://checks.js:lengthScore';
    expect((await check({ type: 'javascript', value }, 'short', { vars: { maxLength: 10 } })).pass).toBe(true);
    const r = await check({ type: 'javascript', value }, 'much too long an answer', { vars: { maxLength: 10 } });
    expect(r).toMatchObject({ pass: false, score: 0.25, category: 'format_violation' });
    expect(r.reason).toContain('length 23 vs max 10');
  });

  it('loads TypeScript through jiti (named and default exports)', async () => {
    const named = 'file://checks.ts:matchesLabel';
    expect((await check({ type: 'javascript', value: named }, 'Positive', { expected: 'positive' })).pass).toBe(true);
    const r = await check({ type: 'javascript', value: named }, 'negative', { expected: 'positive' });
    expect(r.reason).toContain('label negative vs positive');
    expect(await check({ type: 'javascript', value: 'file://checks.ts' }, 'calm')).toMatchObject({ pass: true, score: 1 });
    expect(await check({ type: 'javascript', value: 'file://checks.ts' }, 'wow!')).toMatchObject({ pass: false, score: 0 });
  });

  it('loads CommonJS (.cjs) default and named exports', async () => {
    expect((await check({ type: 'javascript', value: 'file://checks.cjs' }, 'OK done')).pass).toBe(true);
    expect(await check({ type: 'javascript', value: 'file://checks.cjs:wordCount' }, 'one two three')).toMatchObject({
      pass: false,
      score: 0.3,
    });
  });

  it('a throwing function becomes assertion_error', async () => {
    const r = await check({ type: 'javascript', value: 'file://checks.js:explodes' }, 'x');
    expect(r).toMatchObject({ pass: false, score: 0, category: 'assertion_error', reason: 'javascript assertion threw: boom from fixture' });
  });

  it('a missing export, a non-function export, or a missing file is an assertion_error naming them', async () => {
    const missing = await check({ type: 'javascript', value: 'file://checks.js:nope' }, 'x');
    expect(missing.category).toBe('assertion_error');
    expect(missing.reason).toContain('checks.js has no exported function "nope"');
    expect(missing.reason).toContain('isPolite');
    expect((await check({ type: 'javascript', value: 'file://checks.js:notAFunction' }, 'x')).category).toBe('assertion_error');
    const file = await check({ type: 'javascript', value: 'file://missing.js:fn' }, 'x');
    expect(file.category).toBe('assertion_error');
    expect(file.reason).toContain('javascript file not found');
    expect(file.reason).toContain('missing.js');
  });

  it('a file that does not load is an assertion_error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'promptopt-js-'));
    writeFileSync(path.join(dir, 'broken.mjs'), 'export function oops( {\n');
    const r = await check({ type: 'javascript', value: 'file://broken.mjs:oops' }, 'x', { baseDir: dir });
    expect(r.category).toBe('assertion_error');
    expect(r.reason).toContain('cannot load');
  });

  it('a function returning undefined is an assertion_error', async () => {
    const r = await check({ type: 'javascript', value: 'file://checks.js:returnsNothing' }, 'x');
    expect(r.category).toBe('assertion_error');
    expect(r.reason).toContain('returned undefined');
  });
});

describe('javascript time limit (worker threads)', () => {
  it('a function that never returns is an assertion_error after timeout_ms; the next one runs normally', async () => {
    const r = await check({ type: 'javascript', value: 'file://checks.js:spinsForever', timeout_ms: 150 }, 'x');
    expect(r).toMatchObject({ pass: false, score: 0, category: 'assertion_error' });
    expect(r.reason).toBe('spinsForever in checks.js did not return within 150 ms (timed out; set timeout_ms on the assertion to allow longer)');
    const inline = await check({ type: 'javascript', value: 'while (true) {}', timeout_ms: 100 }, 'x');
    expect(inline.reason).toMatch(/^javascript assertion did not return within 100 ms/);
    expect((await check({ type: 'javascript', value: 'file://checks.js:isPolite' }, 'Thanks!')).pass).toBe(true);
  });

  it('an abort stops a running assertion at once (Ctrl-C), without waiting for its time limit', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 50);
    await expect(check({ type: 'javascript', value: 'while (true) {}', timeout_ms: 60_000 }, 'x', { signal: controller.signal })).rejects.toMatchObject({
      code: 'INTERRUPTED',
    });
    // (it settles long before the 60 s limit: the test would time out otherwise)
  });

  it('returns keep their meaning across the thread: extra non-cloneable fields are dropped, the verdict kept', async () => {
    expect(await check({ type: 'javascript', value: 'file://checks.js:returnsNonCloneable' }, 'x')).toMatchObject({ pass: true, score: 0.9, reason: 'fine' });
    expect((await check({ type: 'javascript', value: '() => 1' }, 'x')).reason).toContain('returned a function');
    expect((await check({ type: 'javascript', value: '"yes"' }, 'x')).reason).toContain('returned a string');
    expect((await check({ type: 'javascript', value: 'null' }, 'x')).reason).toContain('returned null');
    expect((await check({ type: 'javascript', value: 'NaN' }, 'x')).reason).toContain('returned NaN; a score is a number from 0 to 1');
    expect((await check({ type: 'javascript', value: 'throw { code: 7 }' }, 'x')).reason).toBe('javascript assertion threw: {"code":7}');
    expect((await check({ type: 'javascript', value: 'context.vars.n * 2 === 8 && context.expected.k === "v"' }, 'x', { vars: { n: 4 }, expected: { k: 'v' } })).pass).toBe(true);
  });
});
