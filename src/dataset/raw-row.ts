/**
 * One case as read from the spec or a data file, before validation: its value, where it is, and
 * how to report a problem in one of its fields.
 */
import type { SpecIssue } from '../errors.js';
import { issueFactory, type IssueAt, type Locator, type PathSegment, type Position } from '../spec/issues.js';

export interface RawRow {
  value: unknown;
  /** Absolute path of the file the row is in (the spec itself for inline cases). */
  file: string;
  /** How the row is named in messages, e.g. `['cases', 3]`. */
  path: PathSegment[];
  /** An issue for a field of this row (path relative to the row). */
  issueAt: IssueAt;
  /** Where the row starts. */
  position: Position;
  /** From a data file: keys other than the case keys become vars. Inline cases are strict. */
  fromDataFile: boolean;
}

export interface RowsRead {
  rows: RawRow[];
  issues: SpecIssue[];
}

/** Rows of a YAML/JSON list whose items the locator finds at `[...base, index]`. */
export function rowsFromList(
  file: string,
  values: readonly unknown[],
  locator: Locator,
  options: { base: PathSegment[]; fromDataFile: boolean },
): RawRow[] {
  return values.map((value, index) => ({
    value,
    file,
    path: ['cases', index],
    issueAt: issueFactory(locator, [...options.base, index], ['cases', index]),
    position: locator.locate([...options.base, index]),
    fromDataFile: options.fromDataFile,
  }));
}

/** A locator for a row that sits on one known line (jsonl, csv). */
export function lineLocator(file: string, line: number, columnOf: (path: readonly PathSegment[]) => number = () => 1): Locator {
  return { file, locate: (path) => ({ line, column: columnOf(path) }) };
}
