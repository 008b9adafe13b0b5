/**
 * Only what the prompt uses reaches the optimizer: the case results feedback is built from, with
 * every variable but the named ones taken out. Provenance columns, a worked solution, or a column
 * that gives the answer away never appear in an optimizer request unless the spec asks for them.
 */
import type { CaseResult } from '../runner/types.js';

/** `customer.name` in `{ customer: { name } }`, or a top-level key that has a dot in it. */
function lookup(vars: Record<string, unknown>, name: string): unknown {
  if (name in vars) return vars[name];
  let value: unknown = vars;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The variables of `vars` named in `names` (nested names as `a.b`), in the order of `names`. */
export function pickVars(vars: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const value = lookup(vars, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The results with only the named variables left in each case. */
export function withVarsOnly(results: readonly CaseResult[], names: readonly string[]): CaseResult[] {
  return results.map((r) => ({ ...r, vars: pickVars(r.vars, names) }));
}
