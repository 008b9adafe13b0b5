/**
 * Every assertion type promptopt knows, promptfoo's names where they exist. The registry maps each
 * to a handler (`satisfies Record<AssertionType, AssertionHandler>`, so the compiler checks coverage);
 * any type can be negated with a `not-` prefix.
 */

/** The types that look for text in the output: negated, they forbid it (see negate.ts). */
export const TEXT_SEARCH_TYPES = [
  'contains',
  'icontains',
  'contains-any',
  'icontains-any',
  'contains-all',
  'icontains-all',
  'starts-with',
  'regex',
] as const;

export const ASSERTION_TYPES = [
  'equals',
  ...TEXT_SEARCH_TYPES,
  'is-json',
  'contains-json',
  'json-schema',
  'javascript',
  'python',
  'levenshtein',
  'llm-rubric',
  'cost',
  'latency',
] as const;

export type AssertionType = (typeof ASSERTION_TYPES)[number];

/** Splits `not-contains` into `{ negate: true, base: 'contains' }`; base is undefined when unknown. */
export function parseAssertionType(type: string): { negate: boolean; base?: AssertionType } {
  const negate = type.startsWith('not-');
  const name = negate ? type.slice(4) : type;
  const base = (ASSERTION_TYPES as readonly string[]).includes(name) ? (name as AssertionType) : undefined;
  return { negate, base };
}

/** Every spelling the spec accepts, for "did you mean" suggestions. */
export function allAssertionTypeNames(): string[] {
  return [...ASSERTION_TYPES, ...ASSERTION_TYPES.map((t) => `not-${t}`)];
}
