/** A template field: inline text, or `file://relative/path` read from beside the spec. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SpecIssue } from '../errors.js';
import { outsideScope, type FileScope } from './file-scope.js';
import { displayPath, type IssueAt } from './issues.js';

export const FILE_PREFIX = 'file://';

export interface TemplateText {
  text: string;
  /** Absolute path when the value was `file://...`. */
  file?: string;
}

/** Resolves `file://x` (or a plain path, for `cases`) against the spec's folder. */
export function resolveSpecPath(dir: string, value: string): string {
  return resolve(dir, value.startsWith(FILE_PREFIX) ? value.slice(FILE_PREFIX.length) : value);
}

/** The template text, or undefined with an issue at `field` when its file cannot be read. */
export async function readTemplate(
  value: string,
  field: string,
  dir: string,
  issueAt: IssueAt,
  issues: SpecIssue[],
  scope?: FileScope,
): Promise<TemplateText | undefined> {
  if (!value.startsWith(FILE_PREFIX)) return { text: value };
  const file = resolveSpecPath(dir, value);
  const outside = outsideScope(file, `${field} file`, scope);
  if (outside) {
    issues.push(issueAt([field], outside.message, { hint: outside.hint }));
    return undefined;
  }
  try {
    const text = await readFile(file, 'utf8');
    if (text.trim() === '') {
      issues.push(issueAt([field], `${field} file is empty: ${displayPath(file)}`));
      return undefined;
    }
    return { text, file };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? `${field} file not found: ${displayPath(file)}`
        : code === 'EISDIR'
          ? `${field} file is a folder: ${displayPath(file)}`
          : `cannot read ${field} file ${displayPath(file)}: ${(error as Error).message}`;
    issues.push(issueAt([field], message, { hint: `file:// paths are relative to the spec's folder (${displayPath(dir)})` }));
    return undefined;
  }
}
