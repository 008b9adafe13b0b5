/**
 * `promptopt branch <task.yaml> <v> <name> [--from-file <path>]`: register a hand-written variant
 * as a version on branch `name` (parent v, source manual): the file's text, or a copy of v to edit.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PromptoptError, EXIT } from '../../errors.js';
import { branchVersion, checkBranchName } from '../../store/branch.js';
import { displayPath } from '../../spec/issues.js';
import type { CommandEnv } from '../program/command-env.js';
import { colorDiff, isEmptyDiff, unifiedDiff } from '../versions/color-diff.js';
import { openTaskVersions } from '../versions/task-versions.js';
import { resolveVersion } from '../versions/version-arg.js';
import { readVersion } from '../../store/read-version.js';

export interface BranchOptions {
  fromFile?: string;
  message?: string;
}

export async function branchCommand(file: string, version: string, name: string, options: BranchOptions, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  checkBranchName(name);
  const task = await openTaskVersions(file, ctx);
  const parent = await resolveVersion(task.dir, version);
  const text = options.fromFile === undefined ? undefined : await readVariant(options.fromFile);
  const written = await branchVersion(task.dir, {
    from: parent,
    name,
    ...(text === undefined ? {} : { text }),
    task: task.spec.name,
    targetModel: task.targetModel,
    ext: task.ext,
    ...(options.message === undefined ? {} : { hypothesis: options.message }),
  });
  if (text !== undefined) {
    const patch = unifiedDiff(`v${parent}`, `v${written.version}`, (await readVersion(task.dir, parent)).text, text);
    if (!isEmptyDiff(patch)) io.out(colorDiff(patch));
  }
  io.out(`registered v${written.version} on branch ${written.branch} (parent v${parent}, source manual): ${displayPath(written.file)}`);
  if (text === undefined) io.out(`it is a copy of v${parent}: edit ${displayPath(written.file)}, then ${ctx.invocation.command(['diff', file, `v${written.version}`])}`);
  return 0;
}

async function readVariant(path: string): Promise<string> {
  try {
    return await readFile(resolve(path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PromptoptError('VARIANT_FILE_UNREADABLE', `cannot read --from-file ${path}${code ? ` (${code})` : ''}; nothing was written`, {
      exitCode: EXIT.badInput,
    });
  }
}
