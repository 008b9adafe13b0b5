/**
 * The runner's entry point: template each assertion's value with the case's vars and expected, then
 * evaluate it through the registry. Results come back in assertion order; nothing here throws but
 * what stops the whole run (a budget, an interrupt, an endpoint down).
 */
import { evaluateAssertion } from './registry.js';
import { renderValue, templateVars } from './render-value.js';
import type { AssertionContext, AssertionResult, AssertionSpec } from './types.js';

/** The assertion with its `value` templated (`{{var}}`, `{{expected}}`). */
export function renderAssertion(assertion: AssertionSpec, context: Pick<AssertionContext, 'vars' | 'expected'>): AssertionSpec {
  if (assertion.value === undefined) return assertion;
  return { ...assertion, value: renderValue(assertion.value, templateVars(context.vars, context.expected)) };
}

export async function runAssertions(assertions: AssertionSpec[], context: AssertionContext): Promise<AssertionResult[]> {
  return Promise.all(assertions.map((assertion) => evaluateAssertion(renderAssertion(assertion, context), context)));
}
