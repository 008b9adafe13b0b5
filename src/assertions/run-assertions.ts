/**
 * The runner's entry point: template each assertion's value with the case's vars and expected, then
 * evaluate it through the registry. Results come back in assertion order; nothing here throws but
 * what stops the whole run (a budget, an interrupt, an endpoint down).
 */
import { rootVariable, templateVariables } from '../spec/template.js';
import { evaluateAssertion } from './registry.js';
import { renderValue, templateVars } from './render-value.js';
import type { AssertionContext, AssertionResult, AssertionSpec } from './types.js';

/** The assertion with its `value` templated (`{{var}}`, `{{expected}}`). */
export function renderAssertion(assertion: AssertionSpec, context: Pick<AssertionContext, 'vars' | 'expected'>): AssertionSpec {
  if (assertion.value === undefined) return assertion;
  return { ...assertion, value: renderValue(assertion.value, templateVars(context.vars, context.expected)) };
}

/**
 * The assertions a case is checked by: one that compares with `{{expected}}` (a default such as
 * `equals: "{{expected}}"`) cannot be checked on a case without an expected answer (an imported
 * thumbs-down with a comment, a flagged output) and is left out for it. The spec rules refuse such a
 * case unless it has assertions of its own (spec/assertion-rules.ts) or is an imported case kept
 * unlabelled on purpose: that one is left with none, `unchecked`, and counted in no figure
 * (assertions/summarize.ts).
 */
export function applicableAssertions(assertions: AssertionSpec[], context: Pick<AssertionContext, 'vars' | 'expected'>): AssertionSpec[] {
  if (context.expected !== undefined || Object.hasOwn(context.vars, 'expected')) return assertions;
  return assertions.filter((assertion) => !assertionUsesExpected(assertion));
}

export async function runAssertions(assertions: AssertionSpec[], context: AssertionContext): Promise<AssertionResult[]> {
  return Promise.all(applicableAssertions(assertions, context).map((assertion) => evaluateAssertion(renderAssertion(assertion, context), context)));
}

/** True when the assertion's value templates `{{expected}}`. */
export function assertionUsesExpected(assertion: AssertionSpec): boolean {
  return usesExpected(assertion.value);
}

function usesExpected(value: unknown): boolean {
  if (typeof value === 'string') return templateVariables(value).some((name) => rootVariable(name) === 'expected');
  if (Array.isArray(value)) return value.some(usesExpected);
  if (value !== null && typeof value === 'object') return Object.values(value).some(usesExpected);
  return false;
}
