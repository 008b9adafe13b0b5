/**
 * `javascript`: a user function decides. The value is either inline code run with `output` (the
 * answer, or what a transform made of it: an object stays an object) and `context` ({ vars, expected,
 * caseId }) in scope — an expression, or a body with `return`; `await`
 * works in both — or `file://path.(js|mjs|cjs|ts)[:fnName]`, called as `fn(output, context)`.
 *
 * The function returns a boolean, a number (pass when >= threshold, default 0.5), or
 * `{ pass?, score?, reason?, category? }`. What it throws is reported as
 * `javascript assertion threw: <message>`.
 *
 * The code runs in a worker thread (a small pool, see sandbox/) under a time limit, `timeout_ms`
 * on the assertion (default 5 s): one that never returns is an assertion_error, never a hung run.
 */
import path from 'node:path';
import { InterruptedError, stopSignalOf } from '../../errors.js';
import { isPythonReference, parseFunctionReference } from '../load-function.js';
import { assertionError, failed, passed } from '../outcome.js';
import type { JsSource, JsValue } from '../sandbox/protocol.js';
import { DEFAULT_JS_TIMEOUT_MS, jsWorkerPool } from '../sandbox/worker-pool.js';
import { clip, quote } from '../text.js';
import { FAILURE_CATEGORIES, type AssertionHandler, type AssertionOutcome, type FailureCategory } from '../types.js';

function categoryOf(value: unknown): FailureCategory | undefined {
  return (FAILURE_CATEGORIES as readonly unknown[]).includes(value) ? (value as FailureCategory) : undefined;
}

/** A score a check may return: a finite number from 0 to 1 (5, 80 or "a" is a mistake, not full marks). */
function isScore(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;
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
    if (!isScore(result)) return assertionError(`${what} returned ${result}; a score is a number from 0 to 1 (a percentage? divide by 100)`);
    const score = result;
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
    const hasScore = r.score !== undefined && r.score !== null;
    if (!hasPass && !hasScore) return assertionError(`${what} returned an object without a boolean "pass" or a numeric "score"`);
    if (hasScore && !isScore(r.score)) {
      return assertionError(`${what} returned score ${quote(String(r.score), 40)}; a score is a number from 0 to 1 (a percentage? divide by 100)`);
    }
    const score = hasScore ? (r.score as number) : r.pass ? 1 : 0;
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

export const javascript: AssertionHandler = async (assertion, { output, outputValue, vars, expected, caseId, baseDir, signal }) => {
  const { value, threshold } = assertion;
  if (typeof value !== 'string' || value.trim() === '') {
    return assertionError('javascript needs code or a file:// reference as its value');
  }
  let source: JsSource;
  let what: string;
  if (value.trim().startsWith('file://')) {
    const ref = parseFunctionReference(value, baseDir);
    if (!ref || isPythonReference(ref)) return assertionError(`javascript: ${quote(value)} does not name a .js, .mjs, .cjs or .ts file`);
    source = { kind: 'file', file: ref.file, ...(ref.name !== undefined ? { name: ref.name } : {}) };
    what = `${ref.name ?? 'default export'} in ${path.relative(baseDir, ref.file) || ref.file}`;
  } else {
    source = { kind: 'inline', code: value };
    what = 'javascript assertion';
  }
  const timeoutMs = assertion.timeout_ms ?? DEFAULT_JS_TIMEOUT_MS;
  const answer = await jsWorkerPool().run(source, outputValue === undefined ? output : outputValue, { vars, expected, caseId }, timeoutMs, signal);
  if (answer.ok) return interpretResult(decode(answer.value), threshold, output, what);
  if ('threw' in answer) throw new Error(answer.threw); // reported by the registry as "javascript assertion threw: ..."
  if ('compile' in answer) return assertionError(`javascript assertion does not compile: ${answer.compile}; code ${quote(value)}`);
  if ('unusable' in answer) return assertionError(answer.unusable);
  if ('timedOut' in answer) return assertionError(`${what} did not return within ${timeoutMs} ms (timed out; set timeout_ms on the assertion to allow longer)`);
  if ('aborted' in answer) throw new InterruptedError(undefined, stopSignalOf(signal));
  return assertionError(`${what} stopped its worker thread: ${answer.crashed}`);
};

/** A worker's JsValue back into something interpretResult reads the same way as the original. */
export function decode(value: JsValue): unknown {
  if (value.kind === 'value' || value.kind === 'data') return value.value;
  if (value.kind === 'typeof') return value.type === 'function' ? () => undefined : Symbol('returned');
  return value.fields;
}
