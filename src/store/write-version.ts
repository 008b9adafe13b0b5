/**
 * Writes a new prompt version without ever overwriting a file, even with several processes
 * writing into the same folder at once. Every file is written to a private temp file first, then
 * claimed under its final name with `link` (which fails with EEXIST when the name is taken):
 * the prompt file claims the number, then the diff, then the metadata last: `vN.json` is the
 * commit marker, so a crash in between leaves files that readers ignore and a number that is
 * skipped.
 */
import { constants } from 'node:fs';
import { copyFile, link, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import { PromptoptError, EXIT } from '../errors.js';
import type { Objective } from '../spec/types.js';
import { sha256 } from '../util/hash.js';
import { appendHistory } from './history.js';
import { readdirOrEmpty } from './list-versions.js';
import { readVersion } from './read-version.js';
import {
  ANY_VERSION_FILE,
  definedScores,
  diffFileName,
  metaFileName,
  normalizeExt,
  promptFileName,
  toMetaJson,
  VERSION_SCHEMA,
  type VersionMeta,
  type VersionScores,
  type VersionSource,
} from './version-meta.js';

export interface WriteVersionInput {
  text: string;
  /** The version this one was derived from; none for a first version. */
  parent?: number;
  /** Defaults to `main`. */
  branch?: string;
  runId?: string | null;
  task: string;
  /** `provider:model`. */
  targetModel: string;
  scores: VersionScores;
  /** The figure `scores` are in (see VersionMeta.objective). */
  objective?: Objective;
  costUsd: number;
  hypothesis: string;
  /** Extension of the user's prompt file (`.md`); `.txt` for an inline prompt. */
  ext: string;
  source: VersionSource;
}

export type WrittenVersion = VersionMeta & {
  /** Absolute path of the prompt file. */
  file: string;
  /** Absolute path of the diff to the parent; absent without a parent. */
  diffFile?: string;
};

const MAX_ATTEMPTS = 1000;

export async function writeVersion(dir: string, input: WriteVersionInput): Promise<WrittenVersion> {
  const ext = normalizeExt(input.ext);
  const parent = input.parent === undefined ? undefined : await readVersion(dir, input.parent);
  await mkdir(dir, { recursive: true });
  const tag = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const temps: string[] = [];
  const writeTemp = async (kind: string, data: string): Promise<string> => {
    const path = join(dir, `.tmp-${tag}-${kind}`);
    temps.push(path);
    await writeFile(path, data, { flag: 'wx' });
    return path;
  };
  try {
    const promptTmp = await writeTemp('prompt', input.text);
    let n = await nextVersionNumber(dir);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const written = await tryCommit(dir, n, { input, ext, parent, promptTmp, writeTemp });
      if (written) {
        await appendHistory(dir, { event: 'created', version: written.version, runId: written.runId, at: written.created });
        return written;
      }
      n = Math.max(n + 1, await nextVersionNumber(dir));
    }
    throw new PromptoptError('VERSION_ALLOCATION_FAILED', `could not allocate a version number in ${dir}`, {
      exitCode: EXIT.badInput,
      hint: 'too many concurrent writers, or a file system without exclusive create: try again',
    });
  } finally {
    await Promise.all(temps.map((path) => rm(path, { force: true })));
  }
}

interface CommitContext {
  input: WriteVersionInput;
  ext: string;
  parent: { meta: VersionMeta; text: string } | undefined;
  promptTmp: string;
  writeTemp: (kind: string, data: string) => Promise<string>;
}

/** Tries to commit as version `n`; undefined when another writer holds one of its names. */
async function tryCommit(dir: string, n: number, ctx: CommitContext): Promise<WrittenVersion | undefined> {
  const { input, parent } = ctx;
  const promptFile = promptFileName(n, ctx.ext);
  const file = join(dir, promptFile);
  if (!(await claim(ctx.promptTmp, file))) return undefined;
  const claimed = [file];
  try {
    let diffFile: string | undefined;
    if (parent) {
      const patch = createTwoFilesPatch(parent.meta.promptFile, promptFile, parent.text, input.text);
      diffFile = join(dir, diffFileName(n));
      if (!(await claim(await ctx.writeTemp(`v${n}.diff`, patch), diffFile))) return await release(claimed);
      claimed.push(diffFile);
    }
    const meta: VersionMeta = {
      schemaVersion: VERSION_SCHEMA,
      version: n,
      parent: parent ? parent.meta.version : null,
      branch: input.branch ?? 'main',
      created: new Date().toISOString(),
      runId: input.runId ?? null,
      task: input.task,
      targetModel: input.targetModel,
      scores: definedScores(input.scores),
      ...(input.objective && Object.keys(definedScores(input.scores)).length > 0 ? { objective: input.objective } : {}),
      costUsd: input.costUsd,
      hypothesis: input.hypothesis,
      promptFile,
      promptSha256: sha256(input.text),
      source: input.source,
    };
    const metaJson = `${JSON.stringify(toMetaJson(meta), null, 2)}\n`;
    if (!(await claim(await ctx.writeTemp(`v${n}.json`, metaJson), join(dir, metaFileName(n))))) {
      return await release(claimed);
    }
    return diffFile ? { ...meta, file, diffFile } : { ...meta, file };
  } catch (error) {
    await release(claimed);
    throw error;
  }
}

/** Removes names this writer claimed for a number it then lost (only files it created itself). */
async function release(paths: string[]): Promise<undefined> {
  await Promise.all(paths.map((path) => rm(path, { force: true })));
  return undefined;
}

/**
 * Gives `tmp` the name `final` unless that name exists. Hard links are atomic and exclusive; on a
 * file system without them, an exclusive copy keeps the never-overwrite guarantee.
 */
async function claim(tmp: string, final: string): Promise<boolean> {
  try {
    await link(tmp, final);
    return true;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
  }
  try {
    await copyFile(tmp, final, constants.COPYFILE_EXCL);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
}

/** One past the highest number any version file uses (committed or not). */
async function nextVersionNumber(dir: string): Promise<number> {
  let max = 0;
  for (const name of await readdirOrEmpty(dir)) {
    const match = ANY_VERSION_FILE.exec(name);
    if (match) max = Math.max(max, Number(match[1]));
  }
  return max + 1;
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}
