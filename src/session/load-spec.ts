/**
 * The spec stage: read -> YAML -> schema -> normalize -> rules (assertion values and scripts too) ->
 * Spec. Reports every problem it can find at once, as a SpecError whose issues each name the file,
 * the field path, line and column. Reads files, never writes.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { SpecError, type SpecIssue } from '../errors.js';
import { collapseRepeats, loadCases } from '../dataset/load-cases.js';
import { displayPath, issueFactory, sortIssues } from '../spec/issues.js';
import { DEFAULT_INPUT_VAR, normalizeSpec } from '../spec/normalize.js';
import { parseYaml, TO_JS_OPTIONS } from '../spec/read-yaml.js';
import { checkRules } from '../spec/rules.js';
import { specFileScope } from '../spec/file-scope.js';
import { specWarnings } from '../spec/spec-warnings.js';
import { decodeUtf8, describeLines } from '../util/decode-utf8.js';
import { specSchema } from '../spec/schema.js';
import { looksLikePromptfooConfig, promptfooConfigError } from '../spec/promptfoo-hint.js';
import { findLiteralKeys } from '../spec/secrets.js';
import type { Spec, TestCase } from '../spec/types.js';
import { checkAssertions } from '../spec/assertion-rules.js';
import { checkScripts } from '../spec/script-rule.js';
import { checkUncheckedCases } from '../spec/unchecked-cases-rule.js';
import { zodIssuesToSpecIssues } from '../spec/zod-issues.js';

export interface LoadSpecOptions {
  /** Environment for checks that depend on it (OPENAI_BASE_URL, HOME); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * --trust-spec: the spec may read files outside its project and send keys to any base_url.
   * Off by default: a spec may come from someone else (a pull request).
   */
  trustSpec?: boolean;
  /** One line per warning (bytes that are not UTF-8 in a cases file, a huge case, a prompt without variables). */
  warn?: (message: string) => void;
  /**
   * Check what running the assertions needs (default true): every case checked by some assertion,
   * assertion values usable for every case, and `file://` scripts of javascript assertions loaded
   * (their top-level code runs, in a worker thread). Off for commands that run no assertion
   * (history, promote, report, cache).
   */
  checkAssertions?: boolean;
  /**
   * The spec's text, used instead of reading `file` (a promptfoo config mapped in memory: `file` is
   * the config, so paths resolve beside it). Issues in this text name `source.origin`.
   */
  source?: { text: string; origin: string };
}

export async function loadSpec(file: string, options: LoadSpecOptions = {}): Promise<Spec> {
  if (!options.source) return loadSpecText(file, options);
  try {
    return await loadSpecText(file, options);
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    // Lines of the mapped text mean nothing to the user: name the origin and the field path.
    const shown = displayPath(resolve(file));
    const origin = options.source.origin;
    const mentions = new RegExp(`,? ${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+`, 'g');
    throw new SpecError(
      error.issues.map(({ line, column, ...issue }) =>
        issue.file === shown ? { ...issue, file: origin, message: issue.message.replace(mentions, '') } : { ...issue, ...(line !== undefined ? { line, column } : {}) },
      ),
    );
  }
}

async function loadSpecText(file: string, options: LoadSpecOptions): Promise<Spec> {
  const env = options.env ?? process.env;
  const specFile = resolve(file);
  const dir = dirname(specFile);
  const text = options.source ? options.source.text : await readSpecText(specFile, options.warn);
  const scope = specFileScope(dir, { trusted: options.trustSpec, home: env.HOME });

  const parsed = parseYaml(specFile, text);
  if (parsed.issues.length > 0) throw new SpecError(parsed.issues);
  const issueAt = issueFactory(parsed.locator);
  const raw: unknown = parsed.doc.toJS(TO_JS_OPTIONS);
  if (looksLikePromptfooConfig(raw)) throw promptfooConfigError(specFile);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SpecError([issueAt([], 'a spec must be a YAML mapping (name:, prompt:, target:, cases:, ...)', { hint: 'see examples/ for a complete spec' })]);
  }

  // Schema problems and case problems are independent: report both before giving up.
  const literalKeys = findLiteralKeys(raw, issueAt);
  const checked = specSchema.safeParse(raw);
  const schemaIssues = checked.success
    ? []
    : zodIssuesToSpecIssues(checked.error.issues, { schema: specSchema, root: raw, issueAt, skip: literalKeys.paths });
  const rawInputVar = (raw as Record<string, unknown>).input_var;
  const loaded = await loadCases((raw as Record<string, unknown>).cases, {
    specLocator: parsed.locator,
    specIssueAt: issueAt,
    specDir: dir,
    inputVar: typeof rawInputVar === 'string' && rawInputVar !== '' ? rawInputVar : DEFAULT_INPUT_VAR,
    scope,
    ...(options.warn ? { warn: options.warn } : {}),
  });
  const issues: SpecIssue[] = [...literalKeys.issues, ...schemaIssues, ...loaded.issues];
  if (!checked.success) throw new SpecError(sortIssues(issues));

  const normalized = await normalizeSpec(checked.data, {
    file: specFile,
    dir,
    locator: parsed.locator,
    issueAt,
    cases: loaded.cases,
    casesFile: loaded.casesFile,
    scope,
    casesFiles: loaded.casesFiles,
  });
  issues.push(...normalized.issues);
  if (issues.length === 0) {
    const caseIssueAt = (testCase: TestCase) => loaded.issueAtOf.get(testCase);
    issues.push(...checkRules(normalized.spec, { raw: checked.data, issueAt, env, scope, caseIssueAt }));
    if (options.checkAssertions !== false) {
      const assertions = checkAssertions(normalized.spec, { issueAt, scope, caseIssueAt });
      // The same mistake in the own assertions of many rows is one issue, with a count.
      issues.push(...checkUncheckedCases(normalized.spec, issueAt, caseIssueAt), ...collapseRepeats(assertions.issues));
      issues.push(...(await checkScripts(assertions.scripts, env)));
    }
  }
  if (issues.length > 0) throw new SpecError(sortIssues(issues));
  if (options.warn) for (const warning of specWarnings(normalized.spec)) options.warn(warning);
  return normalized.spec;
}

async function readSpecText(file: string, warn?: (message: string) => void): Promise<string> {
  try {
    const { text, invalidLines } = decodeUtf8(await readFile(file));
    if (invalidLines.length > 0) {
      warn?.(`warning: ${displayPath(file)}: ${describeLines(invalidLines)} ${invalidLines.length === 1 ? 'holds' : 'hold'} bytes that are not UTF-8; they were replaced with "\uFFFD" (save the file as UTF-8)`);
    }
    return text;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'spec file not found' : code === 'EISDIR' ? 'spec path is a folder, not a YAML file' : `cannot read spec file: ${(error as Error).message}`;
    throw new SpecError([{ file: displayPath(file), message, hint: 'pass the path of a task YAML file' }]);
  }
}
