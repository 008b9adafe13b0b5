import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isNotFound, readMeta } from './list-versions.js';
import { VersionNotFoundError } from './version-error.js';
import type { VersionMeta } from './version-meta.js';

/** Version `n`: its metadata and prompt text. Throws VERSION_NOT_FOUND when it is not committed. */
export async function readVersion(dir: string, n: number): Promise<{ meta: VersionMeta; text: string }> {
  const meta = await readMeta(dir, n);
  if (!meta) throw new VersionNotFoundError(dir, n);
  try {
    return { meta, text: await readFile(join(dir, meta.promptFile), 'utf8') };
  } catch (error) {
    if (isNotFound(error)) throw new VersionNotFoundError(dir, n);
    throw error;
  }
}
