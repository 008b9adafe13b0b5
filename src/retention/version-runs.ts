/**
 * Which runs made a version: a version's metadata (`vN.json`) names the run that wrote it, and that
 * run's reports are the version's reports, which retention keeps unless asked. A run's versions
 * folder is its own spec's (`versions_dir`, read from the YAML the checkpoint names, so runs of other
 * tasks sharing the runs folder are judged by their own versions). When that cannot be read (the spec
 * is gone, a vN.json is damaged) the answer is "unknown", and retention keeps the reports.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_VERSIONS_DIR } from '../spec/normalize.js';
import { listVersions } from '../store/list-versions.js';

export type MadeVersion = 'yes' | 'no' | 'unknown';

export interface VersionRunsInput {
  /** The versions folder of the task prune was given (or ./prompt-versions): runs without a readable checkpoint are looked up there. */
  versionsDir: string;
  /** That task's spec file, when one was given: its runs use `versionsDir` without reading the YAML again. */
  specFile?: string;
}

export class VersionRuns {
  readonly #runIds = new Map<string, Promise<Set<string> | undefined>>();
  readonly #dirs = new Map<string, Promise<string | undefined>>();

  constructor(private readonly input: VersionRunsInput) {}

  /** Whether the run `runId`, whose checkpoint names `specFile` (if readable), made a version. */
  async madeVersion(runId: string, specFile: string | undefined): Promise<MadeVersion> {
    const dir = specFile === undefined || specFile === this.input.specFile ? this.input.versionsDir : await this.#versionsDirOf(specFile);
    if (dir === undefined) return 'unknown';
    const ids = await this.#idsIn(dir);
    if (ids === undefined) return 'unknown';
    return ids.has(runId) ? 'yes' : 'no';
  }

  #idsIn(dir: string): Promise<Set<string> | undefined> {
    let ids = this.#runIds.get(dir);
    if (!ids) {
      ids = listVersions(dir).then(
        (metas) => new Set(metas.flatMap((m) => (m.runId ? [m.runId] : []))),
        () => undefined,
      );
      this.#runIds.set(dir, ids);
    }
    return ids;
  }

  #versionsDirOf(specFile: string): Promise<string | undefined> {
    let dir = this.#dirs.get(specFile);
    if (!dir) {
      dir = versionsDirOf(specFile);
      this.#dirs.set(specFile, dir);
    }
    return dir;
  }
}

/** The versions folder a spec file names (`versions_dir`, default prompt-versions beside it); undefined when it cannot be read. */
export async function versionsDirOf(specFile: string): Promise<string | undefined> {
  let raw: unknown;
  try {
    raw = parse(await readFile(specFile, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const named = (raw as { versions_dir?: unknown }).versions_dir;
  return resolve(dirname(specFile), typeof named === 'string' && named !== '' ? named : DEFAULT_VERSIONS_DIR);
}
