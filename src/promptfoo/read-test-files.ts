/**
 * `tests: file://tests.csv` (and .yaml/.yml/.json/.jsonl) -> raw promptfoo test objects, each with
 * where it is. A CSV row becomes a test as promptfoo builds one: `__expected` (and `__expected1`,
 * `__expected2`...) an assertion in promptfoo's cell syntax, `__description`, `__metric` (on each of
 * the row's assertions), `__threshold`; every other column a var, a cell holding a JSON object or
 * list parsed (so `{{ item.field }}` reads it). Other `__` columns are named in the warning.
 */
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { FileScope } from '../spec/file-scope.js';
import type { PathSegment } from '../spec/issues.js';
import { assertionFromExpected } from './expected-column.js';
import type { MappingNotes } from './notes.js';
import { parseSource } from './read-config.js';
import { configPath, FILE_PREFIX, readConfigFile } from './read-file.js';
import type { Where } from './types.js';

/** A promptfoo test as written, and where any of its fields is. */
export interface RawTest {
  value: Record<string, unknown>;
  at(path: readonly PathSegment[], options?: { key?: boolean }): Where;
  /** promptfoo runs a test once per value of a var holding a list; a JSON cell of a CSV file is one value. */
  expandLists: boolean;
}

export async function readTestFile(ref: string, where: Where, dir: string, scope: FileScope, notes: MappingNotes): Promise<RawTest[]> {
  const path = ref.slice(FILE_PREFIX.length);
  if (/[*?{[]/.test(path)) {
    notes.fail(where, `test files given by a pattern cannot be mapped: ${ref}`, 'list each test file');
    return [];
  }
  const ext = extname(path).toLowerCase();
  if (!['.csv', '.yaml', '.yml', '.json', '.jsonl'].includes(ext)) {
    notes.fail(where, `tests from ${ref} cannot be mapped: promptopt reads .csv, .yaml, .yml, .json and .jsonl test files`);
    return [];
  }
  const file = configPath(dir, path);
  const text = await readConfigFile(file, 'test file', where, scope, notes);
  if (text === undefined) return [];
  if (ext === '.csv') return csvTests(file, text, notes);
  if (ext === '.jsonl') {
    return text.split('\n').flatMap((line, index) => {
      if (line.trim() === '') return [];
      const at = () => ({ file, line: index + 1 });
      try {
        return [{ value: JSON.parse(line) as Record<string, unknown>, at, expandLists: true }];
      } catch (error) {
        notes.fail(at(), `invalid JSON: ${(error as Error).message}`);
        return [];
      }
    });
  }
  const source = parseSource(file, text);
  if (!Array.isArray(source.value)) {
    notes.fail({ file, line: 1 }, 'a test file must hold a list of tests');
    return [];
  }
  return source.value.map((value, index) => ({ value: value as Record<string, unknown>, at: (p: readonly PathSegment[], o?: { key?: boolean }) => source.at([index, ...p], o), expandLists: true }));
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
  raw: string;
}

function csvTests(file: string, text: string, notes: MappingNotes): RawTest[] {
  let records: CsvRecord[];
  try {
    records = parse(text, { info: true, raw: true, bom: true, skip_empty_lines: true }) as unknown as CsvRecord[];
  } catch (error) {
    notes.fail({ file, ...lineOf(error) }, `invalid CSV: ${(error as Error).message}`);
    return [];
  }
  const [header, ...body] = records;
  if (!header) return [];
  const columns = header.record.map((name) => name.trim());
  return body.map((entry) => {
    const line = entry.info.lines - (entry.raw.replace(/\r?\n$/, '').match(/\n/g) ?? []).length;
    const where = { file, line };
    const row: Record<string, string> = {};
    columns.forEach((column, i) => (row[column] = entry.record[i] ?? ''));
    return { value: testFromCsvRow(row, where, notes), at: () => where, expandLists: false };
  });
}

export function testFromCsvRow(row: Record<string, string>, where: Where, notes: MappingNotes): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  const assert: Record<string, unknown>[] = [];
  const test: Record<string, unknown> = {};
  let metric: string | undefined;
  for (const [column, cell] of Object.entries(row)) {
    if (/^__expected\d*$/.test(column)) {
      if (cell.trim() !== '') assert.push(assertionFromExpected(cell));
    } else if (column === '__description') {
      if (cell !== '') test.description = cell;
    } else if (column === '__metric') {
      if (cell !== '') metric = cell;
    } else if (column === '__threshold') {
      if (cell.trim() !== '') test.threshold = Number(cell);
    } else if (column.startsWith('__')) {
      if (cell !== '') notes.unknownKey(where, column, ['__expected', '__description', '__metric', '__threshold', '__prefix', '__suffix'], `CSV column \`${column}\``);
    } else vars[column] = jsonCell(cell);
  }
  if (metric !== undefined) for (const a of assert) a.metric = metric;
  return { ...test, vars, ...(assert.length > 0 ? { assert } : {}) };
}

/** A cell holding a JSON object or list is that value; any other cell stays text. */
function jsonCell(cell: string): unknown {
  const trimmed = cell.trim();
  if (!(trimmed.startsWith('{') && trimmed.endsWith('}')) && !(trimmed.startsWith('[') && trimmed.endsWith(']'))) return cell;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return cell;
  }
}

function lineOf(error: unknown): { line?: number } {
  const line = (error as { lines?: number }).lines;
  return line === undefined ? {} : { line };
}
