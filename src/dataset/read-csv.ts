/**
 * A .csv cases file: a header row, then one case per row. Columns `id`, `input`, `expected` and
 * `split` are the case's own; every other column is a var. Cells are strings; an empty cell in a
 * case column counts as absent.
 */
import { parse } from 'csv-parse/sync';
import type { SpecIssue } from '../errors.js';
import { likelyTypoOf } from '../spec/did-you-mean.js';
import { displayPath, issueFactory, type PathSegment } from '../spec/issues.js';
import { CASE_KEYS } from '../spec/schema.js';
import { lineLocator, type RawRow, type RowsRead } from './raw-row.js';

const CASE_COLUMNS = new Set(['id', 'input', 'expected', 'split']);
const UNSUPPORTED_COLUMNS: Record<string, string> = {
  assert: 'put assertions under defaults.assert in the spec, or use a .jsonl or .yaml cases file',
  vars: 'in a CSV file every column other than id, input, expected and split is already a var',
  metadata: 'case metadata needs a .jsonl or .yaml cases file',
};

interface CsvRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

export function readCsvRows(file: string, text: string): RowsRead {
  let records: CsvRecord[];
  try {
    records = parse(text, { info: true, raw: true, bom: true, skip_empty_lines: true }) as unknown as CsvRecord[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    const issue: SpecIssue = { file: displayPath(file), message: `invalid CSV: ${(error as Error).message}` };
    if (line !== undefined) Object.assign(issue, { line, column: 1 });
    return { rows: [], issues: [issue] };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], issues: [] };
  const issues = checkHeader(file, header);
  if (issues.length > 0) return { rows: [], issues };
  const columns = header.record.map((name) => name.trim());
  const rows = body.map((entry, index): RawRow => {
    const line = startLine(entry);
    const path: PathSegment[] = ['cases', index];
    const value: Record<string, string> = {};
    columns.forEach((column, i) => {
      const cell = entry.record[i] ?? '';
      if (CASE_COLUMNS.has(column) && cell === '') return;
      value[column] = cell;
    });
    const locator = lineLocator(file, line);
    return { value, file, path, issueAt: issueFactory(locator, [], path), position: { line, column: 1 }, fromDataFile: true };
  });
  return { rows, issues: [] };
}

function checkHeader(file: string, header: CsvRecord): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const seen = new Set<string>();
  const at = (message: string, hint?: string): SpecIssue => ({ file: displayPath(file), line: startLine(header), column: 1, message, ...(hint ? { hint } : {}) });
  header.record.forEach((raw, i) => {
    const name = raw.trim();
    if (name === '') issues.push(at(`column ${i + 1} has no name in the header row`));
    else if (seen.has(name)) issues.push(at(`column "${name}" appears twice in the header row`));
    else if (UNSUPPORTED_COLUMNS[name]) issues.push(at(`column "${name}" is not supported in CSV files`, UNSUPPORTED_COLUMNS[name]));
    else if (!CASE_COLUMNS.has(name) && likelyTypoOf(name, CASE_KEYS) !== undefined) {
      const suggestion = likelyTypoOf(name, CASE_KEYS)!;
      issues.push(at(`unknown column "${name}" (did you mean "${suggestion}"?)`, 'columns other than id, input, expected and split become vars; rename this one'));
    }
    seen.add(name);
  });
  return issues;
}

/** The line a record starts on (a quoted cell may span several lines). */
function startLine(entry: CsvRecord): number {
  const newlines = (entry.raw.replace(/\r?\n$/, '').match(/\n/g) ?? []).length;
  return entry.info.lines - newlines;
}
