/**
 * The body of a JavaScript-assertion worker thread: runs user functions (inline code, or an export
 * of a .js/.mjs/.cjs/.ts file loaded with jiti) one task at a time and posts back what they
 * returned or threw. A function that never returns blocks only this thread: the main thread
 * terminates it at the time limit. Compiled inline code and loaded modules are kept for the next
 * task. Self-contained on purpose (node built-ins, jiti and compile-inline.ts, which imports
 * nothing): it is loaded in a fresh thread.
 */
import { existsSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { compileInline as compile, type UserFunction } from './compile-inline.js';
import type { JsReady, JsReply, JsSource, JsTask, JsValue } from './protocol.js';

type JitiInstance = { import<T>(id: string): Promise<T> };

const inline = new Map<string, UserFunction | { error: string }>();
const modules = new Map<string, Promise<Record<string, unknown>>>();
let jiti: Promise<JitiInstance> | undefined;

/** Inline code as a function of (output, context), or its syntax error (kept for the next task). */
function compileInline(code: string): UserFunction | { error: string } {
  let entry = inline.get(code);
  if (entry === undefined) {
    entry = compile(code);
    inline.set(code, entry);
  }
  return entry;
}

function importModule(file: string): Promise<Record<string, unknown>> {
  let loading = modules.get(file);
  if (!loading) {
    loading = loadJiti().then((j) => j.import<Record<string, unknown>>(file));
    modules.set(file, loading);
  }
  return loading;
}

function asFunction(value: unknown): UserFunction | undefined {
  return typeof value === 'function' ? (value as UserFunction) : undefined;
}

function exportNames(mod: Record<string, unknown>): string {
  const names = new Set(Object.keys(mod));
  const dflt = mod.default;
  if (dflt && typeof dflt === 'object') for (const key of Object.keys(dflt)) names.add(key);
  return [...names].join(', ') || 'none';
}

/** The referenced function, or why it cannot be had (missing file, load error, no such export). */
async function loadFunction(file: string, name: string | undefined): Promise<UserFunction | { error: string }> {
  if (!existsSync(file)) return { error: `javascript file not found: ${file}` };
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(file);
  } catch (error) {
    return { error: `cannot load ${file}: ${describeThrown(error)}` };
  }
  const dflt = mod.default as Record<string, unknown> | undefined;
  if (name !== undefined) {
    const fn = asFunction(mod[name]) ?? asFunction(dflt?.[name]);
    return fn ?? { error: `${file} has no exported function "${name}" (exports: ${exportNames(mod)})` };
  }
  const fn = asFunction(dflt) ?? asFunction(dflt?.default);
  return fn ?? { error: `${file} has no default export function; export one or name it as file://…:fnName (exports: ${exportNames(mod)})` };
}

function describeThrown(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (error === undefined || error === null) return '';
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

const VERDICT_FIELDS = ['pass', 'score', 'reason', 'category', 'actual', 'expected'] as const;

/** The return value as it can cross threads (see JsValue). */
function encode(result: unknown): JsValue {
  if (typeof result === 'function' || typeof result === 'symbol') return { kind: 'typeof', type: typeof result as 'function' | 'symbol' };
  if (result === null || typeof result !== 'object') return { kind: 'value', value: result as boolean | number | string | bigint | null | undefined };
  const fields: Record<string, boolean | number | string | null | undefined> = {};
  for (const key of VERDICT_FIELDS) {
    const value = (result as Record<string, unknown>)[key];
    if (value === undefined) continue;
    fields[key] = value === null || ['boolean', 'number', 'string'].includes(typeof value) ? (value as boolean | number | string | null) : describeThrown(value);
  }
  return { kind: 'object', fields };
}

/** A transform's result as JSON data (what crosses threads and what assertions read); undefined stays undefined. */
function asData(result: unknown): JsValue {
  if (result === undefined || typeof result === 'function' || typeof result === 'symbol') return { kind: 'value', value: undefined };
  if (typeof result === 'bigint') return { kind: 'data', value: result.toString() };
  return { kind: 'data', value: JSON.parse(JSON.stringify(result)) as unknown };
}

async function run(source: JsSource, task: JsTask): Promise<JsReply> {
  const { id } = task;
  let fn: UserFunction | { error: string };
  if (source.kind === 'inline') {
    fn = compileInline(source.code);
    if (typeof fn !== 'function') return { id, ok: false, compile: fn.error };
  } else {
    fn = await loadFunction(source.file, source.name);
    if (typeof fn !== 'function') return { id, ok: false, unusable: fn.error };
  }
  // A load check (before any call): the code compiles or the file loads and has the function.
  if (task.loadOnly) return { id, ok: true, value: { kind: 'value', value: true } };
  try {
    const result = await fn(task.output, task.context);
    if (task.returns === 'data') return { id, ok: true, value: asData(result) };
    return { id, ok: true, value: encode(result) };
  } catch (error) {
    return { id, ok: false, threw: describeThrown(error) };
  }
}

function loadJiti(): Promise<JitiInstance> {
  return (jiti ??= import('jiti').then(({ createJiti }) => createJiti(import.meta.url, { fsCache: false }) as JitiInstance));
}

parentPort?.on('message', (task: JsTask) => {
  void run(task.source, task).then((reply) => parentPort!.postMessage(reply));
});
// Started for a file://: load jiti before saying ready, so its start-up is not charged to the first case.
void (((workerData as { preloadJiti?: boolean } | undefined)?.preloadJiti ? loadJiti() : Promise.resolve()) as Promise<unknown>)
  .catch(() => undefined)
  .then(() => parentPort?.postMessage({ ready: true } satisfies JsReady));
