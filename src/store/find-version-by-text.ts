import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '../util/hash.js';
import { listVersions } from './list-versions.js';
import type { VersionMeta } from './version-meta.js';

/**
 * The lowest version whose prompt is exactly `text` (so optimizing again from the same start
 * prompt reuses its version instead of duplicating it). Matches on prompt_sha256, then checks the
 * file itself, so a hand-edited version file is not mistaken for the original text.
 */
export async function findVersionByText(
  dir: string,
  text: string,
  options: { branch?: string } = {},
): Promise<VersionMeta | undefined> {
  const hash = sha256(text);
  for (const meta of await listVersions(dir)) {
    if (meta.promptSha256 !== hash) continue;
    if (options.branch !== undefined && meta.branch !== options.branch) continue;
    const onDisk = await readFile(join(dir, meta.promptFile), 'utf8').catch(() => undefined);
    if (onDisk === text) return meta;
  }
  return undefined;
}
