/** The first few differences between an expected and an actual JSON value, as `$.path: ...` lines. */
import { canonicalJson } from '../util/hash.js';
import { showJson } from './text.js';

function show(value: unknown): string {
  return showJson(value, 60);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function walk(expected: unknown, actual: unknown, at: string, out: string[], max: number): void {
  if (out.length >= max) return;
  if (isObject(expected) && isObject(actual)) {
    for (const key of Object.keys(expected)) {
      if (out.length >= max) return;
      const child = `${at}.${key}`;
      if (!(key in actual)) out.push(`${child}: missing (expected ${show(expected[key])})`);
      else walk(expected[key], actual[key], child, out, max);
    }
    for (const key of Object.keys(actual)) {
      if (out.length >= max) return;
      if (!(key in expected)) out.push(`${at}.${key}: unexpected (got ${show(actual[key])})`);
    }
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      out.push(`${at}: expected ${expected.length} items, got ${actual.length}`);
      return;
    }
    expected.forEach((item, i) => walk(item, actual[i], `${at}[${i}]`, out, max));
    return;
  }
  if (canonicalJson(expected) !== canonicalJson(actual)) out.push(`${at}: expected ${show(expected)}, got ${show(actual)}`);
}

export function jsonDiff(expected: unknown, actual: unknown, max = 3): string[] {
  const out: string[] = [];
  walk(expected, actual, '$', out, max);
  return out;
}
