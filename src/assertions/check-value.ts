/**
 * What is wrong with an assertion's value whatever the model answers, found before any call: a type
 * that needs a value given none, a regex that does not compile, a JSON schema that cannot be read or
 * compiled, a `javascript` value that names no script or does not compile. The handlers meet the
 * same problems at run time as an assertion_error in every case; the spec stage refuses them up
 * front. Loading a script file (it runs code) is left to `scriptToLoad` + the worker pool's check.
 */
import { compileRegex } from './handlers/regex.js';
import { looksLikeSchema } from './handlers/contains-json.js';
import { schemaProblem } from './json-schema.js';
import { isPythonReference, parseFunctionReference, type FunctionReference } from './load-function.js';
import { parseAssertionType } from './names.js';
import { numericLimit } from './outcome.js';
import { compileInline } from './sandbox/compile-inline.js';
import { stringifyValue } from '../template/template.js';
import type { AssertionSpec } from './types.js';
import { valueList, valueText } from './value-list.js';

export interface ValueProblem {
  message: string;
  hint?: string;
  /** The field at fault when it is not `value` (cost and latency read `threshold`). */
  field?: 'threshold';
}

const FILE_PREFIX = 'file://';
const EXPECTED_HINT = 'e.g. value: "{{expected}}" compares with each case\'s expected value';

/** The problem with an assertion whose value is already templated; undefined when it can be evaluated. */
export function valueProblem(assertion: AssertionSpec, baseDir: string): ValueProblem | undefined {
  const { base } = parseAssertionType(assertion.type);
  const { value } = assertion;
  const given = value !== undefined && value !== null && value !== '';
  switch (base) {
    case 'equals':
      return value === undefined || value === null ? { message: `${assertion.type} needs a value to compare with`, hint: EXPECTED_HINT } : undefined;
    case 'contains':
    case 'icontains':
    case 'starts-with':
    case 'levenshtein': {
      const text = valueText(value);
      return text === undefined || text === '' ? { message: `${assertion.type} needs a non-empty text value`, hint: EXPECTED_HINT } : undefined;
    }
    case 'contains-any':
    case 'icontains-any':
    case 'contains-all':
    case 'icontains-all':
      return valueList(value).length === 0
        ? { message: `${assertion.type} needs a list of values`, hint: 'e.g. value: [refund, return] or value: "refund, return"' }
        : undefined;
    case 'regex':
      return regexProblem(assertion.type, value);
    case 'is-json':
      return given ? schemaAt(assertion.type, value, baseDir) : undefined;
    case 'contains-json':
      if (!given || (typeof value === 'object' && !looksLikeSchema(value))) return undefined;
      return schemaAt(assertion.type, value, baseDir);
    case 'json-schema':
      if (!given) return { message: `${assertion.type} needs a JSON schema as its value`, hint: 'an inline schema object, or file://schema.json (relative to the spec)' };
      return schemaAt(assertion.type, value, baseDir);
    case 'javascript':
      return javascriptProblem(assertion.type, value, baseDir);
    case 'python':
      return pythonProblem(assertion.type, value, baseDir);
    case 'llm-rubric':
      return stringifyValue(value).trim() === '' ? { message: `${assertion.type} needs a rubric as its value`, hint: 'e.g. value: "answers politely and names the refund policy"' } : undefined;
    case 'cost':
    case 'latency':
      return numericLimit(assertion.threshold, value) === undefined
        ? { message: `${assertion.type} needs a maximum (${base === 'cost' ? 'USD' : 'ms'}) as its threshold`, hint: `e.g. { type: ${assertion.type}, threshold: ${base === 'cost' ? '0.01' : '2000'} }`, field: 'threshold' }
        : undefined;
    default:
      return undefined; // an unknown type is the schema's to report
  }
}

/** The script file a `javascript` or `python` value names (`file://checks.js:fn`, `file://check.py`); undefined for inline code. */
export function scriptToLoad(assertion: AssertionSpec, baseDir: string): FunctionReference | undefined {
  const { value } = assertion;
  const base = parseAssertionType(assertion.type).base;
  if ((base !== 'javascript' && base !== 'python') || typeof value !== 'string' || !value.trim().startsWith(FILE_PREFIX)) return undefined;
  return parseFunctionReference(value, baseDir);
}

/** Inline `python` code: it is compiled before the run by python3 itself (see spec/script-rule.ts). */
export function inlinePythonToCheck(assertion: AssertionSpec): string | undefined {
  const { value } = assertion;
  if (parseAssertionType(assertion.type).base !== 'python' || typeof value !== 'string' || value.trim().startsWith(FILE_PREFIX) || value.trim() === '') return undefined;
  return value;
}

function regexProblem(type: string, value: unknown): ValueProblem | undefined {
  if (typeof value !== 'string' || value === '') return { message: `${type} needs a pattern string as its value` };
  const compiled = compileRegex(value);
  if (typeof compiled !== 'string') return undefined;
  const reason = compiled.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  return {
    message: `invalid regex /${value}/: ${reason}`,
    hint: 'the value is a JavaScript pattern without slashes or flags; escape ( ) [ ] { } . * + ? with a backslash to match them literally',
  };
}

function schemaAt(type: string, value: unknown, baseDir: string): ValueProblem | undefined {
  const problem = schemaProblem(value, baseDir);
  if (problem === undefined) return undefined;
  return { message: `${type}: ${problem}`, hint: 'an inline JSON Schema object, or file://schema.json|yaml relative to the spec' };
}

function javascriptProblem(type: string, value: unknown, baseDir: string): ValueProblem | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    return { message: `${type} needs code or a file:// reference as its value`, hint: 'e.g. value: "output.length < 200" or value: file://checks.js:isPolite' };
  }
  if (value.trim().startsWith(FILE_PREFIX)) {
    const ref = parseFunctionReference(value, baseDir);
    if (ref !== undefined && !isPythonReference(ref)) return undefined;
    return { message: `${type}: "${value.trim()}" does not name a .js, .mjs, .cjs or .ts file`, hint: 'file://path/to/checks.js, or file://checks.js:functionName for a named export' };
  }
  const compiled = compileInline(value);
  if (typeof compiled === 'function') return undefined;
  return { message: `${type} code does not compile: ${compiled.error}`, hint: 'an expression using output and context, or a function body with return' };
}

function pythonProblem(type: string, value: unknown, baseDir: string): ValueProblem | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    return { message: `${type} needs code or a file:// reference as its value`, hint: "e.g. value: \"'refund' in output.lower()\" or value: file://check.py (calls get_assert(output, context))" };
  }
  if (!value.trim().startsWith(FILE_PREFIX)) return undefined; // compiled by python3 before the run
  const ref = parseFunctionReference(value, baseDir);
  if (ref !== undefined && isPythonReference(ref)) return undefined;
  return { message: `${type}: "${value.trim()}" does not name a .py file`, hint: 'file://check.py (calls get_assert), or file://check.py:function_name' };
}
