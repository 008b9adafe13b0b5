/**
 * Whether an assertion's (or a transform's) code can be used, found before any call: a script file
 * loads (its top-level code runs, as it would for the first case) and has the function the reference
 * names; inline python compiles. The function itself is not called. A JavaScript file loads in a worker
 * thread, Python in a python3 process; either keeps what it loaded, so the run does not load it again.
 */
import type { JsSource } from './sandbox/protocol.js';
import { pythonPool } from './sandbox/python-pool.js';
import { DEFAULT_JS_TIMEOUT_MS, jsWorkerPool } from './sandbox/worker-pool.js';

export interface CodeToCheck {
  language: 'javascript' | 'python';
  source: JsSource;
  /** `data`: a transform (a .py file's default function is `get_transform`, not `get_assert`). */
  returns?: 'data';
}

/** Why the code cannot be used (does not load or compile, no such function, loads too slowly); undefined when it can. */
export async function scriptProblem(code: CodeToCheck, timeoutMs = DEFAULT_JS_TIMEOUT_MS): Promise<string | undefined> {
  const pool = code.language === 'python' ? pythonPool() : jsWorkerPool();
  const answer = await pool.check(code.source, timeoutMs, code.returns);
  const what = code.source.kind === 'file' ? code.source.file : `the ${code.language} code`;
  if (answer.ok) return undefined;
  if ('unusable' in answer) return answer.unusable.split('\n')[0]!; // not node's "Require stack" lines
  if ('timedOut' in answer) return `${what} did not finish loading within ${timeoutMs} ms (its top-level code runs when it loads)`;
  if ('crashed' in answer) return `loading ${what} stopped its ${code.language === 'python' ? 'python process' : 'worker thread'}: ${answer.crashed}`;
  if ('threw' in answer) return `loading ${what} threw: ${answer.threw}`;
  if ('compile' in answer) return `${code.source.kind === 'file' ? `${what} does not compile` : 'the code does not compile'}: ${answer.compile}`;
  return `loading ${what} was interrupted`;
}
