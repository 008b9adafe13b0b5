/**
 * Rules about what a spec someone else wrote could abuse, and about folders that cannot work:
 * a webhook header fed from a provider's key variable (it would post the key), an assertion file
 * outside the project (same limit as prompt and case files), and an output folder (cache,
 * versions, runs) outside the project or whose path runs into a file.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SpecIssue } from '../errors.js';
import { parseAssertionType } from '../assertions/names.js';
import { parseFunctionReference } from '../assertions/load-function.js';
import type { AssertionSpec } from '../assertions/types.js';
import { PROVIDER_DEFAULTS } from '../providers/resolve-endpoint.js';
import { outsideScope } from './file-scope.js';
import { assertionSites, siteIssueAt } from './assertion-sites.js';
import { displayPath, formatPath, type PathSegment } from './issues.js';
import { FILE_PREFIX } from './read-template.js';
import type { RulesContext } from './rules.js';
import type { Spec } from './types.js';

/** Every variable a provider key may come from: the built-in ones and the spec's api_key_env lists. */
export function apiKeyVariables(spec: Spec): Set<string> {
  const names = new Set<string>(Object.values(PROVIDER_DEFAULTS).flatMap((d) => d.keyEnv));
  for (const model of [spec.target, spec.optimizer, spec.judge]) for (const name of model.apiKeyEnv) names.add(name);
  return names;
}

/** `headers_env` may not read a provider key variable: the webhook (which the spec picks) would receive the key. */
export function checkHeadersEnv(spec: Spec, { issueAt }: Pick<RulesContext, 'issueAt'>): SpecIssue[] {
  const keys = apiKeyVariables(spec);
  return Object.entries(spec.notify?.headers ?? {})
    .filter(([, variable]) => keys.has(variable))
    .map(([header, variable]) =>
      issueAt(['notify', 'headers_env', header], `${variable} holds a model provider's API key; a webhook header may not send it`, {
        hint: 'give the webhook its own token in a variable of its own, e.g. Authorization: WEBHOOK_AUTH',
      }),
    );
}

/** `file://` schema and script files of assertions: inside the project unless trusted (each file reported once). */
export function checkAssertionFiles(spec: Spec, { issueAt, scope, caseIssueAt }: Pick<RulesContext, 'issueAt' | 'scope' | 'caseIssueAt'>): SpecIssue[] {
  if (scope.trusted) return [];
  const issues: SpecIssue[] = [];
  const seen = new Set<string>();
  for (const site of assertionSites(spec)) {
    const file = assertionFile(site.assertion, spec.dir);
    if (file === undefined || seen.has(file)) continue;
    seen.add(file);
    const outside = outsideScope(file, 'assertion file', scope);
    if (outside) issues.push(siteIssueAt(site, issueAt, caseIssueAt)(['value'], outside.message, { hint: outside.hint }));
  }
  return issues;
}

/** The `file://` schema or script an assertion reads (absolute); undefined when it reads none. */
export function assertionFile(assertion: AssertionSpec, dir: string): string | undefined {
  const value = assertion.value;
  if (typeof value !== 'string' || !value.trim().startsWith(FILE_PREFIX)) return undefined;
  const base = parseAssertionType(assertion.type).base;
  if (base === 'javascript' || base === 'python') return parseFunctionReference(value, dir)?.file;
  return resolve(dir, value.trim().slice(FILE_PREFIX.length));
}

/**
 * The cache, versions and runs folders must be inside the project (unless trusted), and folders: a
 * file on their path would fail the first write.
 */
export function checkOutputFolders(spec: Spec, { issueAt, scope }: Pick<RulesContext, 'issueAt' | 'scope'>): SpecIssue[] {
  const folders: [PathSegment[], string, string, boolean][] = [
    [['cache', 'dir'], 'cache folder', spec.cache.dir, spec.cache.enabled],
    [['versions_dir'], 'versions folder', spec.versionsDir, true],
    [['runs_dir'], 'runs folder', spec.runsDir, true],
  ];
  const issues: SpecIssue[] = [];
  for (const [path, what, dir, used] of folders) {
    if (!used) continue;
    const outside = outsideScope(dir, what, scope, 'writes');
    if (outside) {
      issues.push(issueAt(path, outside.message, { hint: outside.hint }));
      continue;
    }
    const file = fileOnPath(dir);
    if (file === undefined) continue;
    // A file where the cache folder belongs is a damaged cache (a partial CI restore): the cache moves
    // it aside with a warning and starts afresh, and `cache clear` must work on it. A file further up
    // the path cannot be moved aside that way.
    if (file === dir && path[0] === 'cache') continue;
    const at = file === dir ? `${displayPath(dir)} is a file` : `${displayPath(file)} (on its path) is a file`;
    issues.push(issueAt(path, `${what} ${displayPath(dir)} cannot be used: ${at}, not a folder`, { hint: `set ${formatPath(path)} to a folder, or move the file away` }));
  }
  return issues;
}

/** The first path, from `dir` up, that exists and is not a folder; undefined when there is none. */
function fileOnPath(dir: string): string | undefined {
  for (let path = dir; ; path = dirname(path)) {
    try {
      return statSync(path).isDirectory() ? undefined : path;
    } catch {
      if (dirname(path) === path) return undefined;
    }
  }
}
