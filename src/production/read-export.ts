/**
 * An export file -> its raw items with their line numbers: `.jsonl` (one JSON object per line),
 * `.json` (an array of objects) or `.csv` (a header row, then one record per row; cells are
 * strings). A line that is not an object (bad JSON, a row with the wrong number of cells) is a
 * malformed record with its line; a file that cannot be read at all is an error (exit 2).
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { PromptoptError, UsageError } from '../errors.js';
import { describeJsonError } from '../dataset/json-error.js';
import { displayPath, positionOfOffset } from '../spec/issues.js';
import { parseYaml } from '../spec/read-yaml.js';
import type { MalformedRecord } from './record.js';

export interface RawItem {
  line: number;
  value: Record<string, unknown>;
}

export interface ExportRead {
  items: RawItem[];
  malformed: MalformedRecord[];
}

export const EXPORT_TYPES = ['.jsonl', '.json', '.csv'] as const;

export async function readExport(file: string): Promise<ExportRead> {
  const type = extname(file).toLowerCase();
  if (!(EXPORT_TYPES as readonly string[]).includes(type)) {
    throw new UsageError(`unsupported export file type "${type || file}": ${displayPath(file)}`, `use one of: ${EXPORT_TYPES.join(', ')}`);
  }
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code ?? (error as Error).message})`;
    throw new PromptoptError('EXPORT_UNREADABLE', `export file ${what}: ${displayPath(file)}`, { location: { file: displayPath(file) } });
  }
  if (type === '.jsonl') return readJsonl(text);
  if (type === '.json') return readJsonArray(file, text);
  return readCsv(file, text);
}

function readJsonl(text: string): ExportRead {
  const out: ExportRead = { items: [], malformed: [] };
  text.split(/\r?\n/).forEach((lineText, i) => {
    if (lineText.trim() === '') return;
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (error) {
      out.malformed.push({ line, reason: `invalid JSON (${describeJsonError(error, lineText).message})` });
      return;
    }
    if (isObject(value)) out.items.push({ line, value });
    else out.malformed.push({ line, reason: 'not a JSON object' });
  });
  return out;
}

function readJsonArray(file: string, text: string): ExportRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const { message, offset } = describeJsonError(error, text);
    throw new PromptoptError('EXPORT_INVALID', `invalid JSON in ${displayPath(file)}: ${message}`, {
      location: { file: displayPath(file), ...positionOfOffset(text, offset ?? 0) },
      hint: 'a .json export must hold one array of records; use .jsonl for one record per line',
    });
  }
  if (!Array.isArray(value)) {
    throw new PromptoptError('EXPORT_INVALID', `a .json export must hold an array of records: ${displayPath(file)}`, { location: { file: displayPath(file) } });
  }
  // JSON is YAML: parse it again only to know the line each record starts on.
  const parsed = parseYaml(file, text);
  const out: ExportRead = { items: [], malformed: [] };
  value.forEach((item, index) => {
    const line = (parsed.issues.length === 0 ? parsed.locator.locate([index]).line : undefined) ?? index + 1;
    if (isObject(item)) out.items.push({ line, value: item });
    else out.malformed.push({ line, reason: 'not a JSON object' });
  });
  return out;
}

interface CsvRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

function readCsv(file: string, text: string): ExportRead {
  let records: CsvRecord[];
  try {
    records = parse(text, { info: true, raw: true, skip_empty_lines: true, relax_column_count: true }) as unknown as CsvRecord[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new PromptoptError('EXPORT_INVALID', `invalid CSV in ${displayPath(file)}: ${(error as Error).message}`, {
      location: { file: displayPath(file), ...(line !== undefined ? { line, column: 1 } : {}) },
    });
  }
  const [header, ...body] = records;
  const out: ExportRead = { items: [], malformed: [] };
  if (!header) return out;
  const columns = header.record.map((name) => name.trim());
  for (const entry of body) {
    const line = entry.info.lines - (entry.raw.replace(/\r?\n$/, '').match(/\n/g) ?? []).length;
    if (entry.record.length !== columns.length) {
      out.malformed.push({ line, reason: `${entry.record.length} cells, but the header has ${columns.length} columns` });
      continue;
    }
    const value: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      if (entry.record[i] !== '') value[column] = entry.record[i];
    });
    out.items.push({ line, value });
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
