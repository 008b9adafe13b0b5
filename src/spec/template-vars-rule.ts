/**
 * Every `{{variable}}` in the prompt, system and user templates must be provided by every case's
 * vars. `{{expected}}` is the answer and belongs in assertions, never in what the model sees.
 */
import { readFileSync } from 'node:fs';
import { escapeRegExp } from '../assertions/text.js';
import type { SpecIssue } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { displayPath, positionOfOffset, type IssueAt } from './issues.js';
import { resolveSpecPath, FILE_PREFIX } from './read-template.js';
import type { RawSpec } from './schema.js';
import { rootVariable, templateVariables } from './template.js';
import type { Spec, TestCase } from './types.js';
import { brokenPath, providesVariable } from './variable-facts.js';

const MAX_NAMES_SHOWN = 10;

export function checkTemplateVariables(spec: Spec, raw: RawSpec, issueAt: IssueAt): SpecIssue[] {
  if (spec.cases.length === 0) return [];
  const issues: SpecIssue[] = [];
  const fields = [
    { field: 'prompt', text: spec.prompt.text, rawValue: raw.prompt },
    { field: 'system', text: spec.system, rawValue: raw.system },
    { field: 'user', text: spec.user, rawValue: raw.user },
  ] as const;
  const varNames = caseVarNames(spec.cases);
  for (const { field, text, rawValue } of fields) {
    if (text === undefined || rawValue === undefined) continue;
    for (const name of templateVariables(text)) {
      const missing = spec.cases.filter((c) => !provides(c, name));
      if (missing.length === 0) continue;
      const at = (message: string, hint: string) => locateVariable(field, rawValue, spec.dir, name, message, hint, issueAt);
      issues.push(missingVariableIssue(name, missing, spec.cases.length, varNames, at));
    }
  }
  return issues;
}

function missingVariableIssue(
  name: string,
  missing: TestCase[],
  total: number,
  varNames: string[],
  at: (message: string, hint: string) => SpecIssue,
): SpecIssue {
  const shown = `"{{${name}}}"`;
  if (missing.length < total) {
    const first = missing[0]!;
    const broken = brokenPath(first.vars, name);
    const others = missing.length > 1 ? ` and ${missing.length - 1} other case${missing.length > 2 ? 's' : ''}` : '';
    return at(
      `template variable ${shown} is not provided by case "${first.id}" (${caseWhere(first)})${others}${broken ? `: ${broken}` : ''}`,
      `give every case a value for "${broken ? name : rootVariable(name)}"`,
    );
  }
  if (rootVariable(name) === 'expected') {
    return at(`template variable ${shown} is the expected answer, which the model must not see`, 'use {{expected}} only in assertion values');
  }
  const broken = brokenPath(missing[0]!.vars, name);
  if (broken) return at(`template variable ${shown} is not provided by any case: ${broken}`, `fix the template, or give the cases a "${name}" field`);
  const have = varNames.length > MAX_NAMES_SHOWN ? `${varNames.slice(0, MAX_NAMES_SHOWN).join(', ')}, ...` : varNames.join(', ') || 'no vars';
  const suggestion = didYouMean(rootVariable(name), varNames);
  return at(
    `template variable ${shown} is not provided by any case (cases have: ${have})${suggestion ? ` (did you mean "{{${suggestion}}}"?)` : ''}`,
    `add "${rootVariable(name)}" to the cases' vars, or fix the template`,
  );
}

/** `cases[3], data/cases.jsonl:4`: a case's path and, when known, its file and line. */
export function caseWhere(testCase: TestCase): string {
  const { origin } = testCase;
  return `${origin.path}${origin.line !== undefined ? `, ${displayPath(origin.file)}:${origin.line}` : ''}`;
}

function provides(testCase: TestCase, name: string): boolean {
  return providesVariable(testCase.vars, name);
}

/** The var names cases use, in order of first appearance. */
function caseVarNames(cases: TestCase[]): string[] {
  const names = new Set<string>();
  for (const c of cases) for (const name of Object.keys(c.vars)) names.add(name);
  return [...names];
}

/** In a template file: the first place the variable is used. Inline: the field in the spec. */
function locateVariable(
  field: string,
  rawValue: string,
  dir: string,
  name: string,
  message: string,
  hint: string,
  issueAt: IssueAt,
): SpecIssue {
  const issue = issueAt([field], message, { hint });
  if (!rawValue.startsWith(FILE_PREFIX)) return issue;
  const file = resolveSpecPath(dir, rawValue);
  try {
    const text = readFileSync(file, 'utf8');
    const match = new RegExp(`\\{\\{\\s*${escapeRegExp(name)}\\s*\\}\\}`).exec(text);
    const position = positionOfOffset(text, match?.index ?? 0);
    return { ...issue, file: displayPath(file), line: position.line, column: position.column };
  } catch {
    return issue;
  }
}
