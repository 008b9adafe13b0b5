/**
 * The spec stage: read -> YAML -> schema -> normalize -> rules -> Spec. Reports every problem it can
 * find at once, as a SpecError whose issues each name the file, the field path, line and column.
 * Reads files, never writes.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { SpecError, type SpecIssue } from '../errors.js';
import { loadCases } from '../dataset/load-cases.js';
import { displayPath, issueFactory, sortIssues } from './issues.js';
import { DEFAULT_INPUT_VAR, normalizeSpec } from './normalize.js';
import { parseYaml } from './read-yaml.js';
import { checkRules } from './rules.js';
import { specSchema } from './schema.js';
import { findLiteralKeys } from './secrets.js';
import type { Spec } from './types.js';
import { zodIssuesToSpecIssues } from './zod-issues.js';

export interface LoadSpecOptions {
  /** Environment for checks that depend on it (OPENAI_BASE_URL); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

export async function loadSpec(file: string, options: LoadSpecOptions = {}): Promise<Spec> {
  const env = options.env ?? process.env;
  const specFile = resolve(file);
  const dir = dirname(specFile);
  const text = await readSpecText(specFile);

  const parsed = parseYaml(specFile, text);
  if (parsed.issues.length > 0) throw new SpecError(parsed.issues);
  const issueAt = issueFactory(parsed.locator);
  const raw: unknown = parsed.doc.toJS({ maxAliasCount: 1000 });
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
    casesFiles: loaded.casesFiles,
  });
  issues.push(...normalized.issues);
  if (issues.length === 0) issues.push(...checkRules(normalized.spec, { raw: checked.data, issueAt, env }));
  if (issues.length > 0) throw new SpecError(sortIssues(issues));
  return normalized.spec;
}

async function readSpecText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'spec file not found' : code === 'EISDIR' ? 'spec path is a folder, not a YAML file' : `cannot read spec file: ${(error as Error).message}`;
    throw new SpecError([{ file: displayPath(file), message, hint: 'pass the path of a task YAML file' }]);
  }
}
