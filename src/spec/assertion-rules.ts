/**
 * Assertion values, checked before the first call, so a mistake costs no run: every `{{variable}}` a
 * value uses must be provided by each case it applies to (`{{expected}}` by the case's `expected`,
 * nested names such as `{{customer.name}}` field by field), and the value as each case renders it must
 * be usable (a regex that compiles, a JSON schema that can be read and compiled, a `javascript`
 * script that exists or code that compiles, a value where the type needs one). A value without
 * variables is checked once; one with variables once per case (identical renderings are cached by
 * the checks). Script files are only collected here: loading runs code (see script-rule.ts).
 */
import { statSync } from 'node:fs';
import { inlinePythonToCheck, valueProblem, scriptToLoad, type ValueProblem } from '../assertions/check-value.js';
import { DEFAULT_JS_TIMEOUT_MS } from '../assertions/sandbox/worker-pool.js';
import { isPythonReference, type FunctionReference } from '../assertions/load-function.js';
import { renderAssertion } from '../assertions/run-assertions.js';
import { caseVariable, templateVars, valueStrings, valueVariableUses } from '../assertions/render-value.js';
import type { JsSource } from '../assertions/sandbox/protocol.js';
import { inlineTransformProblem, transformCode } from '../assertions/transform.js';
import type { AssertionSpec } from '../assertions/types.js';
import type { SpecIssue } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { outsideScope, type FileScope } from './file-scope.js';
import { displayPath, type IssueAt } from './issues.js';
import { assertionSites, siteIssueAt, type AssertionSite, type CaseIssueAt } from './assertion-sites.js';
import { caseWhere } from './template-vars-rule.js';
import { assertionFile } from './trust-rules.js';
import { rootVariable, templateProblem, TemplateRenderError } from '../template/template.js';
import type { Spec, TestCase } from './types.js';
import type { VariableUse } from '../template/template.js';
import { brokenPath } from './variable-facts.js';

const MAX_NAMES_SHOWN = 10;

/**
 * Code to load (a script file) or compile (inline python) before the first call, and where to report it
 * when it cannot be used. `returns: 'data'`: a transform (a .py file's default function is then
 * `get_transform`).
 */
export interface ScriptCheck {
  language: 'javascript' | 'python';
  source: JsSource;
  /** The file it loads, for messages; undefined for inline code. */
  file?: string;
  returns?: 'data';
  timeoutMs: number;
  /** The issue for its first use; `uses` counts them all. */
  at: (message: string, hint?: string) => SpecIssue;
  uses: number;
}

export interface AssertionChecks {
  issues: SpecIssue[];
  scripts: ScriptCheck[];
}

export interface AssertionRulesContext {
  issueAt: IssueAt;
  scope: FileScope;
  caseIssueAt?: CaseIssueAt;
}

/** What went wrong for some of a site's cases: the first of them, and how many. */
interface Group {
  first: TestCase;
  count: number;
  issue: (first: TestCase, count: number) => SpecIssue;
}

export function checkAssertions(spec: Spec, context: AssertionRulesContext): AssertionChecks {
  const issues: SpecIssue[] = [];
  const scripts = new Map<string, ScriptCheck>();
  const addScript = (check: Omit<ScriptCheck, 'uses'>) => {
    const key = `${check.language}\u0000${check.returns ?? ''}\u0000${check.source.kind === 'file' ? `${check.source.file}\u0000${check.source.name ?? ''}` : check.source.code}`;
    const known = scripts.get(key);
    if (known) known.uses++;
    else scripts.set(key, { ...check, uses: 1 });
  };
  /** A script file, or inline python, to load before the run; `field` is where to report it. */
  const queue = (code: { source: JsSource; language: 'javascript' | 'python'; returns?: 'data' }, timeoutMs: number, at: () => IssueAt, field: 'value' | 'transform') => {
    const file = code.source.kind === 'file' ? code.source.file : undefined;
    if (file !== undefined) {
      const found = fileProblem(file, `${code.language} file`, spec.dir, context.scope);
      if (found === 'skip') return;
      if (found) {
        issues.push(at()([field], found.message, found.hint === undefined ? {} : { hint: found.hint }));
        return;
      }
    }
    addScript({ ...code, ...(file !== undefined ? { file } : {}), timeoutMs, at: (message, hint) => at()([field], message, hint === undefined ? {} : { hint }) });
  };
  const script = (ref: FunctionReference, assertion: AssertionSpec, at: () => IssueAt) => {
    const language = isPythonReference(ref) ? 'python' : 'javascript';
    queue({ language, source: { kind: 'file', file: ref.file, ...(ref.name !== undefined ? { name: ref.name } : {}) } }, assertion.timeout_ms ?? DEFAULT_JS_TIMEOUT_MS, at, 'value');
  };
  const inlinePython = (assertion: AssertionSpec, at: () => IssueAt) => {
    const code = inlinePythonToCheck(assertion);
    if (code !== undefined) queue({ language: 'python', source: { kind: 'inline', code } }, assertion.timeout_ms ?? DEFAULT_JS_TIMEOUT_MS, at, 'value');
  };
  issues.push(...checkTransform(spec.transform, spec, context, () => context.issueAt, queue));
  const transformsSeen = new Set<string>();
  for (const site of assertionSites(spec)) {
    const at = () => siteIssueAt(site, context.issueAt, context.caseIssueAt);
    const { transform } = site.assertion;
    if (transform !== undefined && !transformsSeen.has(transform)) {
      transformsSeen.add(transform);
      issues.push(...checkTransform(transform, spec, context, at, queue));
    }
    const syntax = valueStrings(site.assertion.value).map((text) => templateProblem(text, spec.templateEngine)).find((p) => p !== undefined);
    if (syntax) {
      issues.push(at()(['value'], `not a valid Nunjucks template: ${syntax.message}${syntax.line !== undefined ? ` (template line ${syntax.line}, column ${syntax.column})` : ''}`));
      continue;
    }
    const uses = valueVariableUses(site.assertion.value, spec.templateEngine);
    const names = uses.map((use) => use.name);
    if (names.length === 0) {
      // A file outside the project is the trust rule's to report; it is not read here.
      const file = assertionFile(site.assertion, spec.dir);
      if (file !== undefined && outsideScope(file, 'assertion file', context.scope)) continue;
      const problem = usableValue(site.assertion, spec.dir);
      if (problem) issues.push(problemIssue(at(), problem));
      const ref = problem ? undefined : scriptToLoad(site.assertion, spec.dir);
      if (ref) script(ref, site.assertion, at);
      else if (!problem) inlinePython(site.assertion, at);
      continue;
    }
    issues.push(...checkPerCase(site, uses, spec, context, script, inlinePython));
  }
  return { issues, scripts: [...scripts.values()] };
}

/**
 * A transform (the spec's, or an assertion's): inline JavaScript that compiles, or a script file inside
 * the project that loads and has the function (loaded before the run, like assertion scripts).
 */
function checkTransform(
  transform: string | undefined,
  spec: Spec,
  context: AssertionRulesContext,
  at: () => IssueAt,
  queue: (code: { source: JsSource; language: 'javascript' | 'python'; returns?: 'data' }, timeoutMs: number, at: () => IssueAt, field: 'value' | 'transform') => void,
): SpecIssue[] {
  if (transform === undefined) return [];
  const code = transformCode(transform, spec.dir);
  if ('problem' in code) return [at()(['transform'], code.problem, { hint: 'inline JavaScript using output and context, or file://transform.js[:fn] / file://transform.py[:fn]' })];
  if (code.source.kind === 'inline') {
    const problem = inlineTransformProblem(transform);
    return problem === undefined ? [] : [at()(['transform'], `transform code does not compile: ${problem}`, { hint: 'an expression using output and context (output.trim()), or a function body with return' })];
  }
  const outside = outsideScope(code.source.file, 'transform file', context.scope);
  if (outside) return [at()(['transform'], outside.message, { hint: outside.hint })];
  queue({ language: code.language, source: code.source, returns: 'data' }, DEFAULT_JS_TIMEOUT_MS, at, 'transform');
  return [];
}

/** valueProblem, naming the file it reads as the user would type it. */
function usableValue(assertion: AssertionSpec, dir: string): ValueProblem | undefined {
  const problem = valueProblem(assertion, dir);
  const file = assertionFile(assertion, dir);
  return problem && file !== undefined ? { ...problem, message: withDisplayPath(problem.message, file) } : problem;
}

/** `message` with the absolute `file` replaced by its display path. */
export function withDisplayPath(message: string, file: string): string {
  return message.split(file).join(displayPath(file));
}

function problemIssue(at: IssueAt, problem: ValueProblem): SpecIssue {
  return at([problem.field ?? 'value'], problem.message, problem.hint === undefined ? {} : { hint: problem.hint });
}

/** What a rendering of a value turned out to be (cached per site by the variables' values). */
type Rendered = { ok: true } | { ok: false; problem: ValueProblem; outside: boolean };

/**
 * A value with variables: each case it applies to provides them, and renders a usable value. Cases
 * whose variables have the same values render the same value: it is rendered and checked once.
 */
function checkPerCase(
  site: AssertionSite,
  uses: VariableUse[],
  spec: Spec,
  context: AssertionRulesContext,
  script: (ref: FunctionReference, assertion: AssertionSpec, at: () => IssueAt) => void,
  inlinePython: (assertion: AssertionSpec, at: () => IssueAt) => void,
): SpecIssue[] {
  const names = uses.map((use) => use.name);
  const optional = new Set(uses.filter((use) => use.optional).map((use) => use.name));
  const groups = new Map<string, Group>();
  const add = (key: string, testCase: TestCase, issue: Group['issue']) => {
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { first: testCase, count: 1, issue });
  };
  const renderings = new Map<string, Rendered>();
  for (const testCase of site.cases) {
    // A default comparing with {{expected}} is left out, at run time, for a case without one that has
    // assertions of its own (an imported thumbs-down checked by its rubric): see applicableAssertions.
    // An imported case kept on purpose without a label (`import --keep-unlabelled`) is not compared either.
    const checkedElsewhere = testCase.assert.length > 0 || testCase.metadata?.feedback === 'unlabelled';
    if (!site.owner && testCase.expected === undefined && checkedElsewhere && names.some((n) => rootVariable(n) === 'expected')) continue;
    let key = '';
    let complete = true;
    for (const name of names) {
      const value = caseVariable(testCase.vars, testCase.expected, name);
      if (value === undefined && optional.has(name)) {
        key += '\u0002';
      } else if (value === undefined) {
        complete = false;
        add(`var\u0000${name}`, testCase, (first, count) => missingVariableIssue(site, context, name, first, count));
      } else key += `${typeof value === 'string' ? value : JSON.stringify(value)}\u0000${typeof value}\u0001`;
    }
    if (!complete) continue;
    let rendered = renderings.get(key);
    if (rendered === undefined) {
      try {
        rendered = checkRendering(renderAssertion(site.assertion, { ...testCase, templateEngine: spec.templateEngine }), spec, context, site, testCase, script, inlinePython);
      } catch (error) {
        if (!(error instanceof TemplateRenderError)) throw error;
        rendered = { ok: false, problem: { message: `the value cannot be rendered: ${error.message}` }, outside: false };
      }
      renderings.set(key, rendered);
    }
    if (!rendered.ok) {
      const { problem } = rendered;
      add(rendered.outside ? 'outside' : 'value', testCase, (first, count) => renderedIssue(site, context, first, count, problem));
    }
  }
  return [...groups.values()].map((group) => group.issue(group.first, group.count));
}

/** One rendering of a value: its file inside the project, usable, and its script (if any) queued for loading. */
function checkRendering(
  rendered: AssertionSpec,
  spec: Spec,
  context: AssertionRulesContext,
  site: AssertionSite,
  testCase: TestCase,
  script: (ref: FunctionReference, assertion: AssertionSpec, at: () => IssueAt) => void,
  inlinePython: (assertion: AssertionSpec, at: () => IssueAt) => void,
): Rendered {
  const file = assertionFile(rendered, spec.dir);
  const outside = file === undefined ? undefined : outsideScope(file, 'assertion file', context.scope);
  if (outside) return { ok: false, problem: { message: outside.message, hint: outside.hint }, outside: true };
  const problem = usableValue(rendered, spec.dir);
  if (problem) return { ok: false, problem, outside: false };
  const ref = scriptToLoad(rendered, spec.dir);
  if (ref) {
    // A script problem is reported for the first case that renders to this file.
    script(ref, rendered, () => (_path, message, options) => renderedIssue(site, context, testCase, 1, { message, ...(options?.hint === undefined ? {} : { hint: options.hint }) }));
  } else {
    inlinePython(rendered, () => (_path, message, options) => renderedIssue(site, context, testCase, 1, { message, ...(options?.hint === undefined ? {} : { hint: options.hint }) }));
  }
  return { ok: true };
}

function missingVariableIssue(site: AssertionSite, context: AssertionRulesContext, name: string, first: TestCase, count: number): SpecIssue {
  const shown = `"{{${name}}}"`;
  const at = (message: string, hint: string) => siteIssueAt(site, context.issueAt, context.caseIssueAt)(['value'], message, { hint });
  const vars = templateVars(first.vars, first.expected);
  const broken = brokenPath(vars, name);
  const isExpected = rootVariable(name) === 'expected' && !broken;
  if (site.owner) {
    if (isExpected) {
      return at(`the value uses ${shown}, but this case has no \`expected\``, 'add `expected` to the case, or write the value to compare with here');
    }
    if (broken) return at(`template variable ${shown} is not provided by this case: ${broken}`, 'check the name against the case\'s data');
    const have = [...Object.keys(first.vars), ...(first.expected === undefined ? [] : ['expected'])];
    return at(`template variable ${shown} is not provided by this case (it has: ${listNames(have)})${suggest(name, have)}`, 'assertion values see the case\'s vars and {{expected}}');
  }
  const all = count === site.cases.length;
  const others = count > 1 && !all ? ` and ${count - 1} other case${count > 2 ? 's' : ''}` : '';
  const firstCase = `case "${first.id}" (${caseWhere(first)})`;
  if (isExpected) {
    return all
      ? at(`the value uses ${shown}, but no case has an \`expected\` value`, 'add `expected` to the cases, or write the value to compare with here')
      : at(`the value uses ${shown}, but ${firstCase}${others} ${count > 1 ? 'have' : 'has'} no \`expected\``, 'give every case an `expected`, or move this assertion into the `assert` list of the cases that have one');
  }
  if (broken) {
    return all
      ? at(`template variable ${shown} is not provided by any case: ${broken}`, 'check the name against the cases\' data')
      : at(`template variable ${shown} is not provided by ${firstCase}${others}: ${broken}`, `give every case a "${name}" field`);
  }
  if (all) {
    const have = caseVarNames(site.cases);
    return at(`template variable ${shown} is not provided by any case (cases have: ${listNames(have)})${suggest(name, have)}`, 'assertion values see the case\'s vars and {{expected}}');
  }
  return at(`template variable ${shown} is not provided by ${firstCase}${others}`, `give every case a value for "${rootVariable(name)}"`);
}

/** A value that some case renders into something unusable: which case, and what. */
function renderedIssue(site: AssertionSite, context: AssertionRulesContext, first: TestCase, count: number, problem: ValueProblem): SpecIssue {
  const at = siteIssueAt(site, context.issueAt, context.caseIssueAt);
  const field = problem.field ?? 'value';
  const options = problem.hint === undefined ? {} : { hint: problem.hint };
  if (site.owner) return at([field], problem.message, options);
  const others = count > 1 ? ` (and ${count - 1} other case${count > 2 ? 's' : ''})` : '';
  return at([field], `for case "${first.id}" (${caseWhere(first)}): ${problem.message}${others}`, options);
}

/**
 * A file the spec names: 'skip' when it is outside the project (the trust rule reports that, and
 * it is not read), a problem when it is missing or a folder, undefined when it is there.
 */
export function fileProblem(file: string, what: string, dir: string, scope: FileScope): ValueProblem | 'skip' | undefined {
  if (outsideScope(file, what, scope)) return 'skip';
  try {
    if (statSync(file).isDirectory()) return { message: `${what} ${displayPath(file)} is a folder` };
    return undefined;
  } catch {
    return { message: `${what} not found: ${displayPath(file)}`, hint: `file:// paths are relative to the spec's folder (${displayPath(dir)})` };
  }
}

function caseVarNames(cases: readonly TestCase[]): string[] {
  const names = new Set<string>();
  for (const c of cases) {
    for (const name of Object.keys(c.vars)) names.add(name);
    if (c.expected !== undefined) names.add('expected');
  }
  return [...names];
}

function listNames(names: string[]): string {
  if (names.length === 0) return 'no vars';
  return names.length > MAX_NAMES_SHOWN ? `${names.slice(0, MAX_NAMES_SHOWN).join(', ')}, ...` : names.join(', ');
}

function suggest(name: string, candidates: string[]): string {
  const suggestion = didYouMean(rootVariable(name), [...candidates, 'expected']);
  return suggestion ? ` (did you mean "{{${suggestion}}}"?)` : '';
}
