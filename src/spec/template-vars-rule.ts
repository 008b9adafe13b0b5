/**
 * Every variable the request templates (the prompt or each chat message, and the fixed system/user
 * templates) read must be provided by every case's vars. `{{expected}}` is the answer and belongs in
 * assertions, never in what the model sees. With `template: nunjucks`, a template must also parse and
 * use only known filters and tests, and each case is rendered once: an undefined value printed for
 * some case is an error before any call, never a silently empty or literal placeholder.
 */
import { readFileSync } from 'node:fs';
import { escapeRegExp } from '../assertions/text.js';
import type { SpecIssue } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { displayPath, positionOfOffset, type IssueAt } from './issues.js';
import { positionInFile } from './template-position.js';
import { requestTemplates, type RequestTemplate } from './prompt-templates.js';
import { rootVariable, renderTemplate, templateProblem, templateVariableUses, TemplateRenderError, type TemplateEngine } from '../template/template.js';
import type { Spec, TestCase } from './types.js';
import { brokenPath, providesVariable } from './variable-facts.js';

const MAX_NAMES_SHOWN = 10;

export function checkTemplateVariables(spec: Spec, issueAt: IssueAt, prompt: { text: string; form: Spec['prompt']['form']; file?: string } = spec.prompt): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const engine = spec.templateEngine;
  const varNames = caseVarNames(spec.cases);
  for (const template of requestTemplates(spec, prompt)) {
    const file = template.field === 'prompt' ? prompt.file : undefined;
    const at = (message: string, hint: string, name?: string) => locate(template, file, name, message, hint, issueAt);
    const problem = templateProblem(template.text, engine);
    if (problem) {
      const message = `not a valid Nunjucks template: ${problem.message}${problem.line !== undefined ? ` (template line ${problem.line}, column ${problem.column})` : ''}`;
      issues.push(locate(template, file, undefined, message, 'see https://mozilla.github.io/nunjucks/templating.html; or remove `template: nunjucks` for plain {{var}} substitution', issueAt, problem));
      continue;
    }
    if (spec.cases.length === 0) continue;
    const reported = new Set<TestCase>();
    for (const { name, optional } of templateVariableUses(template.text, engine)) {
      if (optional) continue;
      const missing = spec.cases.filter((c) => !providesVariable(c.vars, name));
      if (missing.length === 0) continue;
      for (const testCase of missing) reported.add(testCase);
      issues.push(missingVariableIssue(name, missing, spec.cases.length, varNames, (message, hint) => at(message, hint, name)));
    }
    if (engine === 'nunjucks') issues.push(...renderIssues(template, spec.cases.filter((c) => !reported.has(c)), engine, at));
  }
  return issues;
}

/** Renders the template for each case (cases with the same values once); failures grouped by message. */
function renderIssues(template: RequestTemplate, cases: readonly TestCase[], engine: TemplateEngine, at: (message: string, hint: string) => SpecIssue): SpecIssue[] {
  const roots = [...new Set(templateVariableUses(template.text, engine).map((use) => rootVariable(use.name)))];
  const failures = new Map<string, { first: TestCase; count: number }>();
  const seen = new Map<string, string | undefined>();
  for (const testCase of cases) {
    const key = JSON.stringify(roots.map((root) => testCase.vars[root] ?? null));
    let failure = seen.get(key);
    if (!seen.has(key)) {
      failure = undefined;
      try {
        renderTemplate(template.text, testCase.vars, engine);
      } catch (error) {
        if (!(error instanceof TemplateRenderError)) throw error;
        failure = error.message;
      }
      seen.set(key, failure);
    }
    if (failure === undefined) continue;
    const group = failures.get(failure);
    if (group) group.count++;
    else failures.set(failure, { first: testCase, count: 1 });
  }
  return [...failures].map(([message, { first, count }]) => {
    const others = count > 1 ? ` and ${count - 1} other case${count > 2 ? 's' : ''}` : '';
    return at(
      `the template cannot be rendered for case "${first.id}" (${caseWhere(first)})${others}: ${message}`,
      'a value the template prints is undefined (or null) for this case: give the cases that value, or guard it ({% if x %}, x | default("..."))',
    );
  });
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

/** The var names cases use, in order of first appearance. */
function caseVarNames(cases: readonly TestCase[]): string[] {
  const names = new Set<string>();
  for (const c of cases) for (const name of Object.keys(c.vars)) names.add(name);
  return [...names];
}

/**
 * In a prompt file: the first place the variable is used, or where the syntax error is (its template
 * line and column in the file's terms), else where the template starts. Inline: the field (a chat
 * message's content) in the spec.
 */
function locate(
  template: RequestTemplate,
  file: string | undefined,
  name: string | undefined,
  message: string,
  hint: string,
  issueAt: IssueAt,
  syntax?: { line?: number; column?: number },
): SpecIssue {
  const issue = issueAt(template.path, message, { hint });
  if (file === undefined) return issue;
  const path = template.index !== undefined ? `prompt[${template.index}].content` : 'prompt';
  try {
    const text = readFileSync(file, 'utf8');
    const match = name === undefined ? undefined : new RegExp(`\\{[{%][^}]*?\\b${escapeRegExp(rootVariable(name))}\\b`).exec(text);
    const position = match ? positionOfOffset(text, match.index) : positionInFile(text, template, syntax);
    return { ...issue, file: displayPath(file), path, line: position.line, column: position.column };
  } catch {
    return { ...issue, file: displayPath(file), path };
  }
}
