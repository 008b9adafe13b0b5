import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VersionFileDamagedError } from './version-error.js';
import { META_FILE, parseVersionMeta, versionMetaProblem, type VersionMeta } from './version-meta.js';

/**
 * Every committed version in `dir`, sorted by number. A version counts once its `vN.json` exists:
 * a prompt file left without metadata (a crash between writes) is ignored; a `vN.json` that does
 * not parse is damage, and VERSION_FILE_DAMAGED names it.
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

/** The parsed metadata of version `n`; undefined when it has no `vN.json`; VERSION_FILE_DAMAGED when that does not parse. */
export async function readMeta(dir: string, n: number): Promise<VersionMeta | undefined> {
  const raw = await readMetaJson(dir, n);
  if (raw === undefined) return undefined;
  const meta = parseVersionMeta(raw, n);
  if (!meta) throw new VersionFileDamagedError(join(dir, `v${n}.json`), versionMetaProblem(raw, n) ?? 'not version metadata');
  return meta;
}

/** The raw JSON of `vN.json` (keeps fields this version of promptopt does not know); undefined when there is none. */
export async function readMetaJson(dir: string, n: number): Promise<unknown> {
  const file = join(dir, `v${n}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new VersionFileDamagedError(file, `not valid JSON (${(error as Error).message})`);
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
