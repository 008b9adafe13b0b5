/**
 * Keeps API keys out of specs: a key-like field holding a literal value is refused, and an
 * `api_key_env` entry that looks like a key rather than a variable name is refused too. Messages
 * never repeat the value.
 */
import type { SpecIssue } from '../errors.js';
import type { IssueAt, PathSegment } from './issues.js';
import { formatPath } from './issues.js';
import { isSecretKeyName } from '../util/secret-names.js';

export { isSecretKeyName };

export const LITERAL_KEY_MESSAGE = 'literal API keys are not allowed in a spec';
export const LITERAL_KEY_HINT = 'put the key in an environment variable and list its name under api_key_env';


const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEY_PREFIX = /^(sk|pk|rk)[-_]|^(AIza|xox[abpr]-|gh[pousr]_|glpat-|hf_)/;

export function isEnvVarName(value: string): boolean {
  return ENV_NAME.test(value);
}

/** True for values shaped like a credential rather than an environment variable name. */
export function looksLikeSecret(value: string): boolean {
  if (KEY_PREFIX.test(value)) return true;
  return value.length >= 32 && /[a-z]/.test(value) && /\d/.test(value);
}

export interface LiteralKeyScan {
  issues: SpecIssue[];
  /** Dotted paths of the refused fields, so the schema's "unknown key" for them is not reported twice. */
  paths: Set<string>;
}

/** Data, not configuration: never scanned (a `contains-json` value may well hold a `token`). */
const DATA_KEYS = new Set(['cases', 'vars', 'value']);

/** Every key-like field holding a literal anywhere in the spec's configuration (case data and assertion values excluded). */
export function findLiteralKeys(raw: unknown, issueAt: IssueAt): LiteralKeyScan {
  const scan: LiteralKeyScan = { issues: [], paths: new Set() };
  walk(raw, [], issueAt, scan);
  return scan;
}

function walk(value: unknown, path: PathSegment[], issueAt: IssueAt, scan: LiteralKeyScan): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, [...path, index], issueAt, scan));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childPath = [...path, key];
    if (DATA_KEYS.has(key)) continue;
    // `headers_env: { Authorization: WEBHOOK_AUTH }`: names of variables, checked by the schema.
    if (key === 'headers_env') continue;
    if (isSecretKeyName(key) && (typeof child === 'string' || typeof child === 'number')) {
      scan.issues.push(issueAt(childPath, LITERAL_KEY_MESSAGE, { hint: LITERAL_KEY_HINT, key: true }));
      scan.paths.add(formatPath(childPath));
      continue;
    }
    walk(child, childPath, issueAt, scan);
  }
}
