/**
 * Where imported cases go, and writing them: appended to the spec's cases file when it is the one
 * JSONL file the cases come from, otherwise to `<spec name>.imported.jsonl` beside the spec, which
 * the spec then lists under `cases:`. Every write is atomic (temp file + rename): the cases file
 * first, then the spec, so a crash in between leaves a file the next import reads as existing cases.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import { PromptoptError, EXIT } from '../errors.js';
import { normalizeCase } from '../dataset/normalize-case.js';
import { readJsonlRows } from '../dataset/read-jsonl.js';
import { displayPath } from '../spec/issues.js';
import type { Spec, TestCase } from '../spec/types.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { ImportedCase } from './plan-import.js';
import { addCasesFile } from './spec-cases-list.js';

export const IMPORTED_SUFFIX = '.imported.jsonl';

export interface ImportTarget {
  /** Absolute path of the JSONL file the cases are appended to. */
  file: string;
  /** False when the spec must be edited to list it. */
  listed: boolean;
}

export function importTarget(spec: Pick<Spec, 'file' | 'dir' | 'cases' | 'casesFiles'>): ImportTarget {
  const inline = spec.cases.some((c) => c.origin.file === spec.file);
  const only = spec.casesFiles.length === 1 ? spec.casesFiles[0]! : undefined;
  if (only !== undefined && !inline && extname(only).toLowerCase() === '.jsonl') return { file: only, listed: true };
  const file = join(spec.dir, `${basename(spec.file, extname(spec.file))}${IMPORTED_SUFFIX}`);
  return { file, listed: spec.casesFiles.includes(file) };
}

/** Cases in a target the spec does not list yet (left by an import that stopped before editing the spec). */
export async function readUnlistedCases(target: ImportTarget, inputVar: string): Promise<TestCase[]> {
  if (target.listed) return [];
  const text = await readText(target.file);
  if (text === undefined) return [];
  return readJsonlRows(target.file, text).rows.flatMap((row) => normalizeCase(row, inputVar).testCase ?? []);
}

/** One JSONL line: id, vars, expected, assert, split, metadata. */
export function formatCaseLine(c: ImportedCase): string {
  return JSON.stringify({
    id: c.id,
    vars: c.vars,
    ...(c.expected !== undefined ? { expected: c.expected } : {}),
    ...(c.assert.length > 0 ? { assert: c.assert } : {}),
    ...(c.split !== undefined ? { split: c.split } : {}),
    metadata: c.metadata,
  });
}

export interface WrittenImport {
  /** True when the spec was edited to list the target. */
  specEdited: boolean;
}

export async function writeImport(spec: Pick<Spec, 'file' | 'dir' | 'inputVar'>, target: ImportTarget, cases: ImportedCase[]): Promise<WrittenImport> {
  if (cases.length === 0) return { specEdited: false };
  const lines = cases.map(formatCaseLine);
  assertReadable(target.file, lines, spec.inputVar ?? 'input');
  const current = (await readText(target.file)) ?? '';
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  await writeFileAtomic(target.file, `${current}${separator}${lines.join('\n')}\n`);
  if (target.listed) return { specEdited: false };
  const specText = await readFile(spec.file, 'utf8');
  const entry = relative(spec.dir, target.file).split(sep).join('/');
  await writeFileAtomic(spec.file, addCasesFile(specText, entry));
  return { specEdited: true };
}

/** The lines read back as cases; anything else is a bug here, caught before a byte is written. */
function assertReadable(file: string, lines: string[], inputVar: string): void {
  const rows = readJsonlRows(file, lines.join('\n'));
  const issues = [...rows.issues, ...rows.rows.flatMap((row) => normalizeCase(row, inputVar).issues)];
  if (issues.length > 0) {
    throw new PromptoptError('IMPORT_INTERNAL', `the imported cases would not read back (${issues[0]!.message}); nothing was written to ${displayPath(file)}`, { exitCode: EXIT.internal });
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
