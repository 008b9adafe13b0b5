import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { META_FILE, parseVersionMeta, type VersionMeta } from './version-meta.js';

/**
 * Every committed version in `dir`, sorted by number. A version counts only when its `vN.json`
 * parses: a prompt file left without metadata (a crash between writes) is ignored.
 */
export async function listVersions(dir: string): Promise<VersionMeta[]> {
  const names = await readdirOrEmpty(dir);
  const numbers = names.flatMap((name) => {
    const match = META_FILE.exec(name);
    return match ? [Number(match[1])] : [];
  });
  const metas = await Promise.all(numbers.map((n) => readMeta(dir, n)));
  return metas.filter((m): m is VersionMeta => m !== undefined).sort((a, b) => a.version - b.version);
}

/** The parsed metadata of version `n`, or undefined when it is missing or unreadable. */
export async function readMeta(dir: string, n: number): Promise<VersionMeta | undefined> {
  const raw = await readMetaJson(dir, n);
  return raw === undefined ? undefined : parseVersionMeta(raw, n);
}

/** The raw JSON of `vN.json` (keeps fields this version of promptopt does not know). */
export async function readMetaJson(dir: string, n: number): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(join(dir, `v${n}.json`), 'utf8');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

export function isNotFound(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
