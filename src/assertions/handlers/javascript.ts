/**
 * `javascript`: a user function decides. The value is either inline code run with `output` and
 * `context` ({ vars, expected, caseId }) in scope — an expression, or a body with `return`; `await`
 * works in both — or `file://path.(js|mjs|cjs|ts)[:fnName]`, called as `fn(output, context)`.
 *
 * The function returns a boolean, a number (pass when >= threshold, default 0.5), or
 * `{ pass?, score?, reason?, category? }`. What it throws is caught by the registry and reported as
 * `javascript assertion threw: <message>`.
 */
import path from 'node:path';
import { loadFunction, parseFunctionReference, type UserFunction } from '../load-function.js';
import { assertionError, clampScore, failed, passed } from '../outcome.js';
import { clip, errorMessage, quote } from '../text.js';
import { FAILURE_CATEGORIES, type AssertionHandler, type AssertionOutcome, type FailureCategory } from '../types.js';

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => UserFunction;
const inline = new Map<string, UserFunction | string>();

/**
 * Inline code as a function of (output, context), or its syntax error (both cached). Code is first
 * tried as an expression (`return (<code>)`); when that does not compile it is used as a function body,
 * so `return` inside a string literal does not confuse it.
 */
function compileInline(code: string): UserFunction | string {
  let entry = inline.get(code);
  if (entry === undefined) {
    const trimmed = code.trim();
    try {
      entry = new AsyncFunction('output', 'context', `return (\n${trimmed.replace(/;+\s*$/, '')}\n);`);
    } catch {
      try {
        entry = new AsyncFunction('output', 'context', trimmed);
      } catch (error) {
        entry = errorMessage(error);
      }
    }
    inline.set(code, entry);
  }
  return entry;
}

function categoryOf(value: unknown): FailureCategory | undefined {
  return (FAILURE_CATEGORIES as readonly unknown[]).includes(value) ? (value as FailureCategory) : undefined;
}

/** Turns whatever the user function returned into an outcome. */
export function interpretResult(result: unknown, threshold: number | undefined, output: string, what: string): AssertionOutcome {
  const actual = clip(output);
  if (typeof result === 'boolean') {
    return result
      ? passed(`${what} returned true`, { actual })
      : failed('wrong_answer', `${what} returned false for output ${quote(output)}`, { actual, details: { kind: 'function' } });
  }
  if (typeof result === 'number') {
    if (Number.isNaN(result)) return assertionError(`${what} returned NaN`);
    const score = clampScore(result);
    const min = threshold ?? 0.5;
    return score >= min
      ? passed(`${what} scored ${score} (>= ${min})`, { actual, score })
      : failed('wrong_answer', `${what} scored ${score}, below ${min}, for output ${quote(output)}`, {
          actual,
          score,
          details: { kind: 'function', score },
        });
  }
  if (result !== null && typeof result === 'object') {
    const r = result as Record<string, unknown>;
    const hasPass = typeof r.pass === 'boolean';
    const hasScore = typeof r.score === 'number' && !Number.isNaN(r.score);
    if (!hasPass && !hasScore) return assertionError(`${what} returned an object without a boolean "pass" or a numeric "score"`);
    const score = hasScore ? clampScore(r.score as number) : r.pass ? 1 : 0;
    const pass = hasPass
      ? (r.pass as boolean) && (threshold === undefined || !hasScore || score >= threshold)
      : score >= (threshold ?? 0.5);
    const extra = {
      score,
      actual: typeof r.actual === 'string' ? clip(r.actual) : actual,
      ...(typeof r.expected === 'string' ? { expected: clip(r.expected) } : {}),
    };
    const said = typeof r.reason === 'string' && r.reason.trim() !== '' ? r.reason.trim() : undefined;
    if (pass) return passed(said ?? `${what} passed${hasScore ? ` with score ${score}` : ''}`, extra);
    const category = categoryOf(r.category);
    const ignored = r.category !== undefined && !category ? ` (unknown category ${quote(r.category, 40)} ignored)` : '';
    const details = { kind: 'function', ...(said === undefined ? {} : { said }), ...(hasScore ? { score } : {}) } as const;
    return failed(category ?? 'wrong_answer', `${said ?? `${what} failed${hasScore ? ` with score ${score}` : ''}`}${ignored}; got ${quote(output)}`, {
      ...extra,
      details,
    });
  }
  const got = result === undefined ? 'undefined' : result === null ? 'null' : `a ${typeof result}`;
  return assertionError(`${what} returned ${got}; return a boolean, a number 0..1, or { pass, score, reason }`);
}

export const javascript: AssertionHandler = async ({ value, threshold }, { output, vars, expected, caseId, baseDir }) => {
  if (typeof value !== 'string' || value.trim() === '') {
    return assertionError('javascript needs code or a file:// reference as its value');
  }
  const context = { vars, expected, caseId };
  if (value.trim().startsWith('file://')) {
    const ref = parseFunctionReference(value, baseDir);
    if (!ref) return assertionError(`javascript: ${quote(value)} does not name a .js, .mjs, .cjs or .ts file`);
    const loaded = await loadFunction(ref);
    if ('error' in loaded) return assertionError(loaded.error);
    const what = `${ref.name ?? 'default export'} in ${path.relative(baseDir, ref.file) || ref.file}`;
    return interpretResult(await loaded.fn(output, context), threshold, output, what);
  }
  const fn = compileInline(value);
  if (typeof fn === 'string') return assertionError(`javascript assertion does not compile: ${fn}; code ${quote(value)}`);
  return interpretResult(await fn(output, context), threshold, output, 'javascript assertion');
};
