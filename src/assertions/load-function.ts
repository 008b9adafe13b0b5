/**
 * Loads a user function named by `file://path.js[:fnName]` (also .mjs, .cjs, .ts, .mts, .cts),
 * relative to the spec's folder. TypeScript and ESM/CJS interop go through jiti; each module is
 * loaded once per process.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { createJiti } from 'jiti';
import { errorMessage } from './text.js';

export type UserFunction = (...args: unknown[]) => unknown;

const REFERENCE = /^(.+?\.(?:[cm]?[jt]s|[jt]sx))(?::([A-Za-z_$][\w$]*))?$/;

let jiti: ReturnType<typeof createJiti> | undefined;
const modules = new Map<string, Promise<Record<string, unknown>>>();

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

function importModule(file: string): Promise<Record<string, unknown>> {
  let loading = modules.get(file);
  if (!loading) {
    // jiti is loaded on first use: runs without a custom assertion file never pay for it.
    loading = import('jiti').then(({ createJiti }) => {
      jiti ??= createJiti(import.meta.url, { fsCache: false });
      return jiti.import<Record<string, unknown>>(file);
    });
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

/** The referenced function, or a reason why it cannot be had (missing file, load error, no such export). */
export async function loadFunction(ref: FunctionReference): Promise<{ fn: UserFunction } | { error: string }> {
  if (!existsSync(ref.file)) return { error: `javascript file not found: ${ref.file}` };
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(ref.file);
  } catch (error) {
    return { error: `cannot load ${ref.file}: ${errorMessage(error)}` };
  }
  const dflt = mod.default as Record<string, unknown> | undefined;
  if (ref.name !== undefined) {
    const fn = asFunction(mod[ref.name]) ?? asFunction(dflt?.[ref.name]);
    return fn ? { fn } : { error: `${ref.file} has no exported function "${ref.name}" (exports: ${exportNames(mod)})` };
  }
  const fn = asFunction(dflt) ?? asFunction(dflt?.default);
  return fn
    ? { fn }
    : { error: `${ref.file} has no default export function; export one or name it as file://…:fnName (exports: ${exportNames(mod)})` };
}
