/**
 * The spec's `cases` -> TestCase[]: an inline list, or a path (also `file://path`) to a .jsonl,
 * .json, .yaml/.yml or .csv file, or a list whose items are cases or such paths (`promptopt import`
 * adds its file to the list). Every problem is an issue naming the file, the row and the field;
 * explicit ids must be unique across all of them, generated ones are made unique.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { SpecIssue } from '../errors.js';
import { displayPath, type IssueAt, type Locator } from '../spec/issues.js';
import { outsideScope, type FileScope } from '../spec/file-scope.js';
import { resolveSpecPath } from '../spec/read-template.js';
import type { TestCase } from '../spec/types.js';
import { decodeUtf8, describeLines } from '../util/decode-utf8.js';
import { normalizeCase } from './normalize-case.js';
import { readCsvRows } from './read-csv.js';
import { readJsonlRows } from './read-jsonl.js';
import { readJsonRows, readYamlRows } from './read-list-rows.js';
import { rowsFromList, type RawRow, type RowsRead } from './raw-row.js';

const READERS: Record<string, (file: string, text: string) => RowsRead> = {
  '.jsonl': readJsonlRows,
  '.json': readJsonRows,
  '.yaml': readYamlRows,
  '.yml': readYamlRows,
  '.csv': readCsvRows,
};

export interface LoadCasesOptions {
  /** The spec: inline cases are located in it, and file problems point at its `cases` field. */
  specLocator: Locator;
  specIssueAt: IssueAt;
  specDir: string;
  inputVar: string;
  /** Where a cases file may be read from (see spec/file-scope.ts). */
  scope?: FileScope;
  /** One line per problem that is not an error (bytes that are not UTF-8). */
  warn?: (message: string) => void;
}

export interface LoadedCases {
  cases: TestCase[];
  /**
   * Absolute path of the data file the splits file sits beside: the cases file, or the first item
   * of a `cases` list when it is a file. Undefined when the cases start inline in the spec.
   */
  casesFile?: string;
  /** Absolute paths of every data file the cases came from, in the spec's order. */
  casesFiles: string[];
  issues: SpecIssue[];
  /** An issue for a field of a case (`['assert', 0, 'value']`), at its line in the spec or the cases file. */
  issueAtOf: Map<TestCase, IssueAt>;
}

export async function loadCases(source: unknown, options: LoadCasesOptions): Promise<LoadedCases> {
  if (Array.isArray(source)) return loadList(source, options);
  if (typeof source !== 'string' || source === '') return { cases: [], casesFiles: [], issues: [], issueAtOf: new Map() }; // the schema reports it
  const file = resolveSpecPath(options.specDir, source);
  const read = await readRows(file, options, ['cases']);
  return buildCases(read.rows, read.issues, options, [file]);
}

/** A list: mappings are inline cases, strings are cases files (read in the list's order). */
async function loadList(items: unknown[], options: LoadCasesOptions): Promise<LoadedCases> {
  const rows: RawRow[] = [];
  const issues: SpecIssue[] = [];
  const files: string[] = [];
  const inline = rowsFromList(options.specLocator.file, items, options.specLocator, { base: ['cases'], fromDataFile: false });
  for (const [index, item] of items.entries()) {
    if (typeof item !== 'string') {
      rows.push(inline[index]!);
      continue;
    }
    const file = resolveSpecPath(options.specDir, item);
    if (files.includes(file)) {
      issues.push(options.specIssueAt(['cases', index], `cases file listed twice: ${displayPath(file)}`, { hint: 'list each file once' }));
      continue;
    }
    files.push(file);
    const read = await readRows(file, options, ['cases', index]);
    rows.push(...read.rows);
    issues.push(...read.issues);
  }
  return buildCases(rows, issues, options, files, typeof items[0] === 'string');
}

async function readRows(file: string, options: LoadCasesOptions, specPath: (string | number)[]): Promise<RowsRead> {
  const at = (message: string, hint: string): RowsRead => ({ rows: [], issues: [options.specIssueAt(specPath, message, { hint })] });
  const reader = READERS[extname(file).toLowerCase()];
  if (!reader) return at(`unsupported cases file type "${extname(file) || file}"`, `use one of: ${Object.keys(READERS).join(', ')}`);
  const outside = outsideScope(file, 'cases file', options.scope);
  if (outside) return at(outside.message, outside.hint);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code ?? (error as Error).message})`;
    return at(`cases file ${what}: ${displayPath(file)}`, `paths are relative to the spec's folder (${displayPath(options.specDir)})`);
  }
  const { text, invalidLines } = decodeUtf8(bytes);
  if (invalidLines.length > 0) {
    options.warn?.(
      `warning: ${displayPath(file)}: ${describeLines(invalidLines)} ${invalidLines.length === 1 ? 'holds' : 'hold'} bytes that are not UTF-8; they were replaced with "\uFFFD" (save the file as UTF-8 to keep those characters)`,
    );
  }
  return reader(file, text);
}

function buildCases(rows: RawRow[], readIssues: SpecIssue[], options: LoadCasesOptions, files: string[], startsWithFile = files.length > 0): LoadedCases {
  const issues = [...readIssues];
  const file = files.length === 1 && startsWithFile ? files[0] : undefined;
  if (rows.length === 0 && readIssues.length === 0) {
    const message = file ? `cases file has no cases: ${displayPath(file)}` : files.length > 1 ? 'the cases files hold no cases' : 'the cases list is empty';
    issues.push(options.specIssueAt(['cases'], message, { hint: 'add at least one case' }));
  }
  const normalized = rows.map((row) => ({ row, ...normalizeCase(row, options.inputVar) }));
  for (const n of normalized) issues.push(...n.issues);

  // Explicit ids must be unique; generated ids (identical cases) get a -2, -3 suffix.
  const seen = new Map<string, RawRow>();
  for (const { row, testCase, idGiven } of normalized) {
    if (!testCase || !idGiven) continue;
    const first = seen.get(testCase.id);
    if (first) issues.push(duplicateIdIssue(testCase.id, row, first));
    else seen.set(testCase.id, row);
  }
  const cases: TestCase[] = [];
  const issueAtOf = new Map<TestCase, IssueAt>();
  for (const { row, testCase, idGiven } of normalized) {
    if (!testCase) continue;
    issueAtOf.set(testCase, row.issueAt);
    if (!idGiven) {
      let id = testCase.id;
      for (let n = 2; seen.has(id); n++) id = `${testCase.id}-${n}`;
      testCase.id = id;
      seen.set(id, row);
    }
    cases.push(testCase);
  }
  const casesFile = startsWithFile ? files[0] : undefined;
  return { cases, ...(casesFile ? { casesFile } : {}), casesFiles: files, issues: collapseRepeats(issues), issueAtOf };
}

function duplicateIdIssue(id: string, row: RawRow, first: RawRow): SpecIssue {
  const where = `${first.path[0]}[${String(first.path[1])}]${first.position.line !== undefined ? ` at ${displayPath(first.file)}:${first.position.line}` : ''}`;
  return row.issueAt(['id'], `duplicate case id "${id}": also used by ${where}`, {
    hint: 'ids must be unique; leave id out to get a stable generated one',
  });
}

/** The same problem on many rows (a misspelled column) is reported once, with a count. */
export function collapseRepeats(issues: SpecIssue[]): SpecIssue[] {
  const groups = new Map<string, { first: SpecIssue; count: number }>();
  const out: SpecIssue[] = [];
  for (const issue of issues) {
    const key = `${issue.file}\u0000${(issue.path ?? '').replace(/^cases\[\d+\]/, 'cases[]')}\u0000${issue.message}`;
    const group = groups.get(key);
    if (group) {
      group.count++;
      continue;
    }
    const entry = { first: { ...issue }, count: 1 };
    groups.set(key, entry);
    out.push(entry.first);
  }
  for (const { first, count } of groups.values()) {
    if (count > 1) first.message += ` (and ${count - 1} more row${count > 2 ? 's' : ''})`;
  }
  return out;
}
