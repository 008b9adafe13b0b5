/**
 * The runner's entry point: run the spec's output transform (if any), template each assertion's value
 * with the case's vars and expected, run the assertion's own transform (if any), then evaluate it
 * through the registry. Results come back in assertion order; nothing here throws but what stops the
 * whole run (a budget, an interrupt, an endpoint down).
 */
import { PromptoptError } from '../errors.js';
import { rootVariable, templateVariables, type TemplateEngine } from '../template/template.js';
import { assertionError } from './outcome.js';
import { evaluateAssertion } from './registry.js';
import { renderValue, templateVars } from './render-value.js';
import { errorMessage } from './text.js';
import { applyTransform, withTransformedOutput } from './transform.js';
import type { AssertionContext, AssertionResult, AssertionSpec } from './types.js';

/** The assertion with its `value` templated (`{{var}}`, `{{expected}}`) in the spec's engine. */
export function renderAssertion(assertion: AssertionSpec, context: Pick<AssertionContext, 'vars' | 'expected' | 'templateEngine'>): AssertionSpec {
  if (assertion.value === undefined) return assertion;
  return { ...assertion, value: renderValue(assertion.value, templateVars(context.vars, context.expected), context.templateEngine) };
}

/**
 * The assertions a case is checked by: one that compares with `{{expected}}` (a default such as
 * `equals: "{{expected}}"`) cannot be checked on a case without an expected answer (an imported
 * thumbs-down with a comment, a flagged output) and is left out for it. The spec rules refuse such a
 * case unless it has assertions of its own (spec/assertion-rules.ts) or is an imported case kept
 * unlabelled on purpose: that one is left with none, `unchecked`, and counted in no figure
 * (assertions/summarize.ts).
 */
export function applicableAssertions(assertions: AssertionSpec[], context: Pick<AssertionContext, 'vars' | 'expected' | 'templateEngine'>): AssertionSpec[] {
  if (context.expected !== undefined || Object.hasOwn(context.vars, 'expected')) return assertions;
  return assertions.filter((assertion) => !assertionUsesExpected(assertion, context.templateEngine));
}

export async function runAssertions(assertions: AssertionSpec[], context: AssertionContext): Promise<AssertionResult[]> {
  const applicable = applicableAssertions(assertions, context);
  let seen = context;
  if (context.transform !== undefined && applicable.length > 0) {
    const transformed = await applyTransform(context.transform, context.output, context);
    // The spec's transform failing is one failed check for the case, not a verdict of every assertion.
    if (!transformed.ok) return [{ type: 'transform', ...assertionError(transformed.reason) }];
    seen = withTransformedOutput(context, transformed.value);
  }
  return Promise.all(applicable.map((assertion) => runOne(assertion, seen)));
}

async function runOne(assertion: AssertionSpec, context: AssertionContext): Promise<AssertionResult> {
  let seen = context;
  if (assertion.transform !== undefined) {
    const transformed = await applyTransform(assertion.transform, context.outputValue === undefined ? context.output : context.outputValue, context, assertion.timeout_ms);
    if (!transformed.ok) return failedToRun(assertion, transformed.reason);
    seen = withTransformedOutput(context, transformed.value);
  }
  let rendered: AssertionSpec;
  try {
    rendered = renderAssertion(assertion, seen);
  } catch (error) {
    if (error instanceof PromptoptError) throw error;
    return failedToRun(assertion, `the value cannot be rendered: ${errorMessage(error)}`);
  }
  return evaluateAssertion(rendered, seen);
}

function failedToRun(assertion: AssertionSpec, reason: string): AssertionResult {
  return { type: assertion.type, ...(assertion.metric === undefined ? {} : { metric: assertion.metric }), ...assertionError(reason) };
}

/** True when the assertion's value templates `{{expected}}`. */
export function assertionUsesExpected(assertion: AssertionSpec, engine: TemplateEngine = 'simple'): boolean {
  return usesExpected(assertion.value, engine);
}

function usesExpected(value: unknown, engine: TemplateEngine): boolean {
  if (typeof value === 'string') return templateVariables(value, engine).some((name) => rootVariable(name) === 'expected');
  if (Array.isArray(value)) return value.some((item) => usesExpected(item, engine));
  if (value !== null && typeof value === 'object') return Object.values(value).some((item) => usesExpected(item, engine));
  return false;
}
