/** The first few differences between an expected and an actual JSON value, as `$.path: ...` lines. */
import { canonicalJson } from '../util/hash.js';
import { showJson } from './text.js';
import type { JsonDiffFact } from './types.js';

interface Difference extends JsonDiffFact {
  /** `$.path: missing (expected "x")`, for reasons. */
  text: string;
}

function show(value: unknown): string {
  return showJson(value, 60);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function walk(expected: unknown, actual: unknown, at: string, out: Difference[], max: number): void {
  if (out.length >= max) return;
  if (isObject(expected) && isObject(actual)) {
    for (const key of Object.keys(expected)) {
      if (out.length >= max) return;
      const child = `${at}.${key}`;
      if (!(key in actual)) out.push({ path: child, kind: 'missing', text: `${child}: missing (expected ${show(expected[key])})` });
      else walk(expected[key], actual[key], child, out, max);
    }
    for (const key of Object.keys(actual)) {
      if (out.length >= max) return;
      if (!(key in expected)) out.push({ path: `${at}.${key}`, kind: 'unexpected', text: `${at}.${key}: unexpected (got ${show(actual[key])})` });
    }
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      out.push({ path: at, kind: 'changed', text: `${at}: expected ${expected.length} items, got ${actual.length}` });
      return;
    }
    expected.forEach((item, i) => walk(item, actual[i], `${at}[${i}]`, out, max));
    return;
  }
  if (canonicalJson(expected) !== canonicalJson(actual)) {
    out.push({ path: at, kind: 'changed', text: `${at}: expected ${show(expected)}, got ${show(actual)}` });
  }
}

export function jsonDiff(expected: unknown, actual: unknown, max = 3): string[] {
  const out: Difference[] = [];
  walk(expected, actual, '$', out, max);
  return out.map((d) => d.text);
}

/** The differences as data (path and kind), for feedback; more of them than a reason shows. */
export function jsonDiffFacts(expected: unknown, actual: unknown, max = 10): JsonDiffFact[] {
  const out: Difference[] = [];
  walk(expected, actual, '$', out, max);
  return out.map(({ path, kind }) => ({ path, kind }));
}
