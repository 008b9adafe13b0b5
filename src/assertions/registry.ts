/**
 * Every assertion type mapped to its handler. The map `satisfies Record<AssertionType, ...>`, so adding
 * a type to ASSERTION_TYPES without a handler does not compile. `evaluateAssertion` is the single place
 * that resolves `not-`, and that turns a throwing handler into a failed result.
 */
import { PromptoptError, ProviderError } from '../errors.js';
import { containsAll, icontainsAll } from './handlers/contains-all.js';
import { containsAny, icontainsAny } from './handlers/contains-any.js';
import { containsJson } from './handlers/contains-json.js';
import { contains, icontains } from './handlers/contains.js';
import { cost } from './handlers/cost.js';
import { equals } from './handlers/equals.js';
import { isJson } from './handlers/is-json.js';
import { javascript } from './handlers/javascript.js';
import { jsonSchema } from './handlers/json-schema.js';
import { latency } from './handlers/latency.js';
import { levenshtein } from './handlers/levenshtein.js';
import { llmRubric } from './handlers/llm-rubric.js';
import { python } from './handlers/python.js';
import { regex } from './handlers/regex.js';
import { startsWith } from './handlers/starts-with.js';
import { parseAssertionType, type AssertionType } from './names.js';
import { negateOutcome } from './negate.js';
import { assertionError, clampScore } from './outcome.js';
import { errorMessage } from './text.js';
import type { AssertionContext, AssertionHandler, AssertionOutcome, AssertionResult, AssertionSpec } from './types.js';

const handlers = {
  equals,
  contains,
  icontains,
  'contains-any': containsAny,
  'icontains-any': icontainsAny,
  'contains-all': containsAll,
  'icontains-all': icontainsAll,
  'starts-with': startsWith,
  regex,
  'is-json': isJson,
  'contains-json': containsJson,
  'json-schema': jsonSchema,
  javascript,
  python,
  levenshtein,
  'llm-rubric': llmRubric,
  cost,
  latency,
} satisfies Record<AssertionType, AssertionHandler>;

/** Keeps an outcome inside the contract: score in 0..1, a category on every failure. */
function normalize(outcome: AssertionOutcome): AssertionOutcome {
  const score = clampScore(outcome.score);
  if (outcome.pass) return { ...outcome, score };
  return { ...outcome, score, category: outcome.category ?? 'wrong_answer' };
}

/** Runs one assertion (its value already templated). Throws only what stops the whole run. */
export async function evaluateAssertion(assertion: AssertionSpec, context: AssertionContext): Promise<AssertionResult> {
  const { negate, base } = parseAssertionType(assertion.type);
  let outcome: AssertionOutcome;
  if (!base) {
    outcome = assertionError(`unknown assertion type "${assertion.type}"`);
  } else {
    try {
      outcome = normalize(await handlers[base](assertion, context));
      if (negate) outcome = negateOutcome(base, outcome);
    } catch (error) {
      // What stops the run (a budget, an interrupt, an endpoint down) is no verdict on this output.
      if (error instanceof PromptoptError && !(error instanceof ProviderError)) throw error;
      outcome = assertionError(`${base} assertion threw: ${errorMessage(error)}`);
    }
  }
  return {
    type: assertion.type,
    ...(assertion.metric === undefined ? {} : { metric: assertion.metric }),
    ...(assertion.weight === undefined ? {} : { weight: assertion.weight }),
    ...outcome,
  };
}
