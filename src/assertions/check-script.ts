/**
 * Whether a `javascript` assertion's script can be used, found before any call: the file loads in a
 * worker thread (its top-level code runs, as it would for the first case) and has the function the
 * reference names. The function itself is not called. The worker keeps the loaded module, so the run
 * does not load it again.
 */
import type { FunctionReference } from './load-function.js';
import { DEFAULT_JS_TIMEOUT_MS, jsWorkerPool } from './sandbox/worker-pool.js';

/** Why the referenced function cannot be had (does not load, no such export, loads too slowly); undefined when it can. */
export async function scriptProblem(ref: FunctionReference, timeoutMs = DEFAULT_JS_TIMEOUT_MS): Promise<string | undefined> {
  const answer = await jsWorkerPool().check({ kind: 'file', file: ref.file, ...(ref.name !== undefined ? { name: ref.name } : {}) }, timeoutMs);
  if (answer.ok) return undefined;
  if ('unusable' in answer) return answer.unusable.split('\n')[0]!; // not node's "Require stack" lines
  if ('timedOut' in answer) return `${ref.file} did not finish loading within ${timeoutMs} ms (its top-level code runs when it loads)`;
  if ('crashed' in answer) return `loading ${ref.file} stopped its worker thread: ${answer.crashed}`;
  if ('threw' in answer) return `loading ${ref.file} threw: ${answer.threw}`;
  if ('compile' in answer) return `${ref.file} does not compile: ${answer.compile}`;
  return `loading ${ref.file} was interrupted`;
}
