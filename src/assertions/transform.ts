/**
 * Output transforms: what the answer becomes before assertions read it. The spec's `transform:` runs on
 * every answer (promptfoo's `options.transform`), an assertion's `transform:` on what that assertion
 * sees (after the spec's). A transform is inline JavaScript with `output` and `context` ({ vars,
 * expected, caseId }) in scope (an expression, or a body that returns), or a function in a file:
 * `file://transform.js[:fn]` (default export), `file://transform.py[:fn]` (default `get_transform`).
 * It runs where custom assertions run (a worker thread, or a python3 process), under the same time
 * limit. It may return any JSON value: `javascript` and `python` assertions see it as is, the others
 * its text (a non-string as JSON). The raw answer stays what reports, traces and the cache record.
 */
import { isPythonReference, parseFunctionReference, type FunctionReference } from './load-function.js';
import type { JsSource } from './sandbox/protocol.js';
import { pythonPool } from './sandbox/python-pool.js';
import { DEFAULT_JS_TIMEOUT_MS, jsWorkerPool, type PoolAnswer } from './sandbox/worker-pool.js';
import { compileInline } from './sandbox/compile-inline.js';
import { decode } from './handlers/javascript.js';
import { InterruptedError, stopSignalOf } from '../errors.js';
import type { AssertionContext } from './types.js';

export type TransformOutcome = { ok: true; value: unknown } | { ok: false; reason: string };

/** Where a transform's code is: inline JavaScript, or a function in a .js/.ts or .py file. */
export type TransformCode = { language: 'javascript' | 'python'; source: JsSource; ref?: FunctionReference };

/** The code a transform names, or why it names none (a file:// that is not a script file). */
export function transformCode(transform: string, baseDir: string): TransformCode | { problem: string } {
  const text = transform.trim();
  if (!text.startsWith('file://')) return { language: 'javascript', source: { kind: 'inline', code: transform } };
  const ref = parseFunctionReference(text, baseDir);
  if (!ref) return { problem: `"${text}" does not name a .js, .mjs, .cjs, .ts or .py file` };
  return { language: isPythonReference(ref) ? 'python' : 'javascript', source: { kind: 'file', file: ref.file, ...(ref.name !== undefined ? { name: ref.name } : {}) }, ref };
}

/** Inline JavaScript that does not compile: the syntax error; undefined otherwise. */
export function inlineTransformProblem(transform: string): string | undefined {
  if (transform.trim().startsWith('file://')) return undefined;
  const compiled = compileInline(transform);
  return typeof compiled === 'function' ? undefined : compiled.error;
}

/** Runs a transform on `output`; never throws but for an interrupt. */
export async function applyTransform(
  transform: string,
  output: unknown,
  context: Pick<AssertionContext, 'vars' | 'expected' | 'caseId' | 'baseDir' | 'signal'>,
  timeoutMs = DEFAULT_JS_TIMEOUT_MS,
): Promise<TransformOutcome> {
  const code = transformCode(transform, context.baseDir);
  if ('problem' in code) return { ok: false, reason: `transform: ${code.problem}` };
  const pool = code.language === 'python' ? pythonPool() : jsWorkerPool();
  const input = { vars: context.vars, expected: context.expected, caseId: context.caseId };
  const answer: PoolAnswer = await pool.run(code.source, output, input, timeoutMs, context.signal, 'data');
  if (answer.ok) {
    const value = decode(answer.value);
    if (value === undefined) return { ok: false, reason: `transform returned nothing (undefined)${code.source.kind === 'inline' ? '; a transform of several lines must end with return' : ''}` };
    return { ok: true, value };
  }
  if ('aborted' in answer) throw new InterruptedError(undefined, stopSignalOf(context.signal));
  if ('threw' in answer) return { ok: false, reason: `transform threw: ${answer.threw}` };
  if ('compile' in answer) return { ok: false, reason: `transform does not compile: ${answer.compile}` };
  if ('unusable' in answer) return { ok: false, reason: `transform: ${answer.unusable}` };
  if ('timedOut' in answer) return { ok: false, reason: `transform did not return within ${timeoutMs} ms` };
  return { ok: false, reason: `transform stopped its ${code.language === 'python' ? 'python process' : 'worker thread'}: ${answer.crashed}` };
}

/** The context with the output a transform produced: its text for assertions, and the value itself when it is not text. */
export function withTransformedOutput<T extends Pick<AssertionContext, 'output' | 'outputValue'>>(context: T, value: unknown): T {
  if (typeof value === 'string') return { ...context, output: value, outputValue: undefined };
  return { ...context, output: value === null ? 'null' : JSON.stringify(value), outputValue: value };
}
