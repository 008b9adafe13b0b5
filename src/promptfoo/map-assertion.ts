/**
 * One promptfoo assertion -> a native one. Every type promptopt runs maps by name (with `not-`);
 * `value`, `threshold`, `weight`, `metric` and `transform` keep their meaning. A type promptopt
 * cannot run (`similar`, `factuality`, `assert-set`...) is an error: dropping it would pass cases
 * unchecked. Other keys (`provider`, `rubricPrompt`, `config`...) are named in the warning.
 */
import { parseAssertionType } from '../assertions/names.js';
import type { MappingNotes } from './notes.js';
import type { Where } from './types.js';

const CARRIED_KEYS = ['type', 'value', 'threshold', 'weight', 'metric', 'transform'];

/** Why some promptfoo types have no native counterpart (the rest: "promptopt has no such check"). */
const WHY_UNMAPPABLE: Record<string, string> = {
  similar: 'it needs an embedding model; use contains/icontains, regex, or llm-rubric',
  'assert-set': 'groups of assertions are not supported; list the assertions one by one',
  'select-best': 'it compares the outputs of several prompts; compare them with `promptopt compare`',
  'max-score': 'it compares the outputs of several prompts; compare them with `promptopt compare`',
  factuality: 'use llm-rubric with the fact to check in its rubric',
  'model-graded-closedqa': 'use llm-rubric with the criteria in its rubric',
};

export function mapAssertion(raw: unknown, where: Where, notes: MappingNotes, name = 'assertion'): Record<string, unknown> | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    notes.fail(where, `${name} is not a mapping with a type`, 'e.g. { type: contains, value: refund }');
    return undefined;
  }
  const assertion = raw as Record<string, unknown>;
  const type = assertion.type;
  if (typeof type !== 'string') {
    notes.fail(where, `${name} has no type`);
    return undefined;
  }
  if (parseAssertionType(type).base === undefined) {
    const base = type.replace(/^not-/, '');
    notes.fail(where, `assertion type "${type}" cannot be mapped: ${WHY_UNMAPPABLE[base] ?? 'promptopt has no such check'}`, 'running without it would pass cases unchecked; replace it with a type promptopt runs, listed under Assertions in the README, or remove it');
    return undefined;
  }
  const mapped: Record<string, unknown> = { type };
  for (const key of CARRIED_KEYS.slice(1)) if (assertion[key] !== undefined) mapped[key] = assertion[key];
  for (const key of Object.keys(assertion)) {
    if (!CARRIED_KEYS.includes(key)) notes.unknownKey(where, key, [...CARRIED_KEYS, 'provider', 'rubricPrompt', 'config'], `${name} (${type}) \`${key}\``);
  }
  if (assertion.weight === 0) {
    notes.skip(where, `${name} (${type}) \`weight: 0\`: promptopt only reports it (promptfoo also fails the test when it fails)`);
  }
  return mapped;
}
