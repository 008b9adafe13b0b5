/**
 * Moving a damaged cache (or the one broken part of it) out of the way, never deleting it: it goes
 * beside the cache folder as `<dir>.damaged-<time>/` with its path inside the cache kept, so the
 * cache folder is free for a fresh database and the damaged copy can be inspected or attached to a
 * bug report. `cache clear` removes these copies.
 */
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { asidePath, isAsideName } from './cache-paths.js';

const MAX_ATTEMPTS = 100;

/** Moves `target` (the cache folder itself, or a path inside it) aside; returns where it is now. */
export async function moveAside(dir: string, target: string): Promise<string> {
  const now = new Date();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const aside = asidePath(dir, now, attempt);
    if (await exists(aside)) continue;
    if (target === dir) {
      try {
        await rename(dir, aside);
        return aside;
      } catch (error) {
        if (isTaken(error)) continue;
        throw error;
      }
    }
    try {
      await mkdir(aside); // not recursive: fails when another process took this name
    } catch (error) {
      if (isTaken(error)) continue;
      throw error;
    }
    const destination = join(aside, relative(dir, target));
    await mkdir(dirname(destination), { recursive: true });
    await rename(target, destination);
    return destination;
  }
  throw new Error(`could not find a free name to move ${target} aside`);
}

/** The moved-aside copies of the cache at `dir` (full paths). */
export async function listAsideCopies(dir: string): Promise<string[]> {
  const names = await readdir(dirname(dir)).catch(() => [] as string[]);
  return names.filter((name) => isAsideName(dir, name)).map((name) => join(dirname(dir), name)).sort();
}

export async function removeAsideCopies(copies: string[]): Promise<void> {
  for (const copy of copies) await rm(copy, { recursive: true, force: true });
}

/** Bytes under `path` (a file or a folder); 0 when it is missing. */
export async function sizeOf(path: string): Promise<number> {
  const info = await lstat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const name of await readdir(path).catch(() => [] as string[])) total += await sizeOf(join(path, name));
  return total;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

function isTaken(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'EEXIST' || code === 'ENOTEMPTY';
}
