/** A file a promptfoo config names (`file://...`), read from beside the config and inside its project. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { outsideScope, type FileScope } from '../spec/file-scope.js';
import { displayPath } from '../spec/issues.js';
import type { MappingNotes } from './notes.js';
import type { Where } from './types.js';

export const FILE_PREFIX = 'file://';

export function configPath(dir: string, value: string): string {
  return resolve(dir, value.startsWith(FILE_PREFIX) ? value.slice(FILE_PREFIX.length) : value);
}

/** The file's text, or undefined after an error at `where`. */
export async function readConfigFile(path: string, what: string, where: Where, scope: FileScope, notes: MappingNotes): Promise<string | undefined> {
  const outside = outsideScope(path, what, scope);
  if (outside) {
    notes.fail(where, outside.message, outside.hint);
    return undefined;
  }
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    notes.fail(where, code === 'ENOENT' ? `${what} not found: ${displayPath(path)}` : `cannot read ${what} ${displayPath(path)}: ${(error as Error).message}`, 'file:// paths are relative to the config\'s folder');
    return undefined;
  }
}

/** `a label` -> `a-label`: letters, digits, - and _, at most 40 characters; unique among `taken`. */
export function uniqueSlug(label: string, taken: Set<string>): string {
  const base = label.toLowerCase().replace(/^file:\/\//, '').replace(/[^a-z0-9_]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '') || 'item';
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  taken.add(slug);
  return slug;
}
