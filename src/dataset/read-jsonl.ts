/** A .jsonl cases file: one JSON object per line; blank lines are skipped. */
import type { SpecIssue } from '../errors.js';
import { displayPath, formatPath, issueFactory, type PathSegment } from '../spec/issues.js';
import { describeJsonError } from './json-error.js';
import { lineLocator, type RawRow, type RowsRead } from './raw-row.js';

export function readJsonlRows(file: string, text: string): RowsRead {
  const rows: RawRow[] = [];
  const issues: SpecIssue[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let index = 0;
  lines.forEach((lineText, i) => {
    if (lineText.trim() === '') return;
    const line = i + 1;
    const path: PathSegment[] = ['cases', index++];
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (error) {
      const { message, offset } = describeJsonError(error, lineText);
      issues.push({
        file: displayPath(file),
        path: formatPath(path),
        line,
        column: (offset ?? 0) + 1,
        message: `invalid JSON on line ${line}: ${message}`,
        hint: 'each line of a .jsonl file must be one complete JSON object',
      });
      return;
    }
    const locator = lineLocator(file, line, (fieldPath) => columnOfKey(lineText, fieldPath[0]));
    rows.push({ value, file, path, issueAt: issueFactory(locator, [], path), position: { line, column: 1 }, fromDataFile: true });
  });
  return { rows, issues };
}

/** Column of `"key":` in the line, or 1. */
function columnOfKey(lineText: string, key: PathSegment | undefined): number {
  if (typeof key !== 'string') return 1;
  const at = lineText.indexOf(`${JSON.stringify(key)}`);
  return at >= 0 ? at + 1 : 1;
}
