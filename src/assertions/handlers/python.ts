/**
 * `python`: a Python function decides, run with the machine's `python3` (or `PROMPTOPT_PYTHON`), with
 * the same inputs and time limit as `javascript`: `output` (the answer, or what a transform made of it)
 * and `context` ({ vars, expected, caseId }), `timeout_ms` on the assertion (default 5 s). The value is
 * inline code (an expression such as `'refund' in output.lower()`, or a function body that returns) or
 * `file://check.py` (calls `get_assert(output, context)`, promptfoo's default) / `file://check.py:fn`.
 * It returns a bool, a number (pass when >= threshold, default 0.5) or a dict `{ pass, score, reason }`
 * (`pass_` is read as `pass`). The spec rules check that python3 runs, and compile or load the code,
 * before any call.
 */
import path from 'node:path';
import { InterruptedError, stopSignalOf } from '../../errors.js';
import { isPythonReference, parseFunctionReference } from '../load-function.js';
import { assertionError } from '../outcome.js';
import type { JsSource } from '../sandbox/protocol.js';
import { pythonPool } from '../sandbox/python-pool.js';
import { DEFAULT_JS_TIMEOUT_MS } from '../sandbox/worker-pool.js';
import { quote } from '../text.js';
import type { AssertionHandler } from '../types.js';
import { decode, interpretResult } from './javascript.js';

export const python: AssertionHandler = async (assertion, { output, outputValue, vars, expected, caseId, baseDir, signal }) => {
  const { value, threshold } = assertion;
  if (typeof value !== 'string' || value.trim() === '') return assertionError('python needs code or a file:// reference as its value');
  let source: JsSource;
  let what: string;
  if (value.trim().startsWith('file://')) {
    const ref = parseFunctionReference(value, baseDir);
    if (!ref || !isPythonReference(ref)) return assertionError(`python: ${quote(value)} does not name a .py file`);
    source = { kind: 'file', file: ref.file, ...(ref.name !== undefined ? { name: ref.name } : {}) };
    what = `${ref.name ?? 'get_assert'} in ${path.relative(baseDir, ref.file) || ref.file}`;
  } else {
    source = { kind: 'inline', code: value };
    what = 'python assertion';
  }
  const timeoutMs = assertion.timeout_ms ?? DEFAULT_JS_TIMEOUT_MS;
  const answer = await pythonPool().run(source, outputValue === undefined ? output : outputValue, { vars, expected, caseId }, timeoutMs, signal);
  if (answer.ok) return interpretResult(decode(answer.value), threshold, output, what);
  if ('threw' in answer) throw new Error(answer.threw); // reported by the registry as "python assertion threw: ..."
  if ('compile' in answer) return assertionError(`python assertion does not compile: ${answer.compile}; code ${quote(value)}`);
  if ('unusable' in answer) return assertionError(answer.unusable);
  if ('timedOut' in answer) return assertionError(`${what} did not return within ${timeoutMs} ms (timed out; set timeout_ms on the assertion to allow longer)`);
  if ('aborted' in answer) throw new InterruptedError(undefined, stopSignalOf(signal));
  return assertionError(`${what} stopped its python process: ${answer.crashed}`);
};
