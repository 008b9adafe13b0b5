/**
 * Parses a user function reference `file://path.js[:fnName]` (also .mjs, .cjs, .ts, .mts, .cts), or
 * `file://path.py[:fn_name]`, relative to the spec's folder. A JavaScript function is loaded and called
 * in a worker thread (sandbox/js-worker.ts), through jiti, once per worker; a Python one in a python3
 * process (sandbox/python-pool.ts), once per process.
 */
import path from 'node:path';

const REFERENCE = /^(.+?\.(?:[cm]?[jt]s|[jt]sx|py))(?::([A-Za-z_$][\w$]*))?$/;

/** True when the reference names a Python file. */
export function isPythonReference(ref: FunctionReference): boolean {
  return ref.file.toLowerCase().endsWith('.py');
}

export interface FunctionReference {
  file: string;
  /** Named export; undefined means the default export. */
  name?: string;
}

/** Parses `file://checks.ts:isPolite` against `baseDir`; undefined when it names no script file. */
export function parseFunctionReference(value: string, baseDir: string): FunctionReference | undefined {
  const match = REFERENCE.exec(value.trim().replace(/^file:\/\//, ''));
  if (!match) return undefined;
  return { file: path.resolve(baseDir, match[1]!), name: match[2] };
}
