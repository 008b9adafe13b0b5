/**
 * The vocabulary every validation step shares: a path into a document, a locator that turns a path
 * into a 1-based line and column, and `issueAt`, which builds one `SpecIssue` ("file:line:col: path: message").
 */
import { isAbsolute, relative } from 'node:path';
import type { SpecIssue } from '../errors.js';

export type PathSegment = string | number;

export interface Position {
  line?: number;
  column?: number;
}

/** Finds where a path is in one source file. */
export interface Locator {
  /** Absolute path of the file. */
  file: string;
  /** `key: true` points at the key of the last segment rather than its value. */
  locate(path: readonly PathSegment[], options?: { key?: boolean }): Position;
}

export interface IssueOptions {
  hint?: string;
  /** Point at the key (`modle:`) rather than its value. */
  key?: boolean;
}

/** Builds an issue for a path relative to some document or row. */
export type IssueAt = (path: readonly PathSegment[], message: string, options?: IssueOptions) => SpecIssue;

/** `['cases', 3, 'vars', 'text']` -> `cases[3].vars.text`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** A path as the user would type it: relative to the working folder when inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/**
 * An `IssueAt` over one locator. `locatePrefix` is prepended when locating, `displayPrefix` when
 * naming the path (a row of a data file is located at `[7]` but shown as `cases[7]`).
 */
export function issueFactory(
  locator: Locator,
  locatePrefix: readonly PathSegment[] = [],
  displayPrefix: readonly PathSegment[] = locatePrefix,
): IssueAt {
  return (path, message, options = {}) => {
    const position = locator.locate([...locatePrefix, ...path], { key: options.key });
    const issue: SpecIssue = { file: displayPath(locator.file), path: formatPath([...displayPrefix, ...path]), message };
    if (position.line !== undefined) {
      issue.line = position.line;
      issue.column = position.column ?? 1;
    }
    if (options.hint !== undefined) issue.hint = options.hint;
    return issue;
  };
}

/** Issues in reading order: files in order of first appearance, then by line and column. */
export function sortIssues(issues: SpecIssue[]): SpecIssue[] {
  const fileOrder = new Map<string | undefined, number>();
  for (const issue of issues) if (!fileOrder.has(issue.file)) fileOrder.set(issue.file, fileOrder.size);
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort(
      (a, b) =>
        fileOrder.get(a.issue.file)! - fileOrder.get(b.issue.file)! ||
        (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) ||
        (a.issue.column ?? 0) - (b.issue.column ?? 0) ||
        a.index - b.index,
    )
    .map(({ issue }) => issue);
}

/** 1-based line and column of a character offset in a text. */
export function positionOfOffset(text: string, offset: number): Required<Position> {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
