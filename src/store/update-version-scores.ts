import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { readMetaJson } from './list-versions.js';
import { VersionNotFoundError } from './version-error.js';
import { withVersionsLock } from './find-or-write-version.js';
import type { Objective } from '../spec/types.js';
import { definedScores, isRecord, metaFileName, parseVersionMeta, scoresObjective, type VersionMeta, type VersionScores } from './version-meta.js';

/**
 * Merges `scores` into `vN.json` (e.g. the held-out test score, which arrives after the version is
 * written) and rewrites it atomically. Fields this version of promptopt does not know are kept.
 * Under the folder's lock: runs sharing a version do not lose each other's scores. `objective` is the
 * figure `scores` are in (default pass_rate): a version's scores are all in one figure, so scores in
 * another than the version's are not merged (the run that made them reports them).
 */
export async function updateVersionScores(dir: string, n: number, scores: VersionScores, objective: Objective = 'pass_rate'): Promise<VersionMeta> {
  if ((await readMetaJson(dir, n)) === undefined) throw new VersionNotFoundError(dir, n);
  return withVersionsLock(dir, () => mergeScores(dir, n, scores, objective));
}

async function mergeScores(dir: string, n: number, scores: VersionScores, objective: Objective): Promise<VersionMeta> {
  const raw = await readMetaJson(dir, n);
  const current = parseVersionMeta(raw, n);
  if (!current || !isRecord(raw)) throw new VersionNotFoundError(dir, n);
  const existing = scoresObjective(current);
  if (existing !== undefined && existing !== objective) return current;
  const merged = { ...current.scores, ...definedScores(scores) };
  await writeFileAtomic(join(dir, metaFileName(n)), `${JSON.stringify({ ...raw, scores: merged, objective }, null, 2)}\n`);
  return { ...current, scores: merged, objective };
}
