/**
 * `promptopt diff <task.yaml> <a> [b]`: a coloured unified diff between two versions (`v3` or `3`)
 * or files (anything else). Without `b`: a version against its parent, a file against the current
 * prompt. Diffs are computed from the texts, so a version edited by hand is shown as it is now.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PromptoptError, EXIT } from '../../errors.js';
import { readPrompt } from '../../store/promote.js';
import { readVersion } from '../../store/read-version.js';
import { displayPath } from '../../spec/issues.js';
import type { CommandEnv } from '../program/command-env.js';
import { colorDiff, isEmptyDiff, unifiedDiff } from '../versions/color-diff.js';
import { openTaskVersions, type TaskVersions } from '../versions/task-versions.js';
import { parseVersionArg, resolveVersion } from '../versions/version-arg.js';

interface Side {
  label: string;
  text: string;
}

export async function diffCommand(file: string, a: string, b: string | undefined, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  const task = await openTaskVersions(file, ctx);
  let before: Side;
  let after: Side;
  if (b !== undefined) {
    [before, after] = [await side(task, a), await side(task, b)];
  } else if (parseVersionArg(a) !== undefined) {
    const n = await resolveVersion(task.dir, a);
    const { meta, text } = await readVersion(task.dir, n);
    after = { label: `v${n}`, text };
    if (meta.parent === null) {
      io.err(`v${n} has no parent: shown against an empty prompt`);
      before = { label: '/dev/null', text: '' };
    } else {
      before = { label: `v${meta.parent}`, text: (await readVersion(task.dir, meta.parent)).text };
    }
  } else {
    before = { label: `${displayPath(task.location.file)}${task.location.inline ? '#prompt' : ''}`, text: await readPrompt(task.location) };
    after = await side(task, a);
  }
  const patch = unifiedDiff(before.label, after.label, before.text, after.text);
  if (isEmptyDiff(patch)) io.out(`${before.label} and ${after.label} are identical`);
  else io.out(colorDiff(patch));
  return 0;
}

async function side(task: TaskVersions, arg: string): Promise<Side> {
  if (parseVersionArg(arg) !== undefined) {
    const n = await resolveVersion(task.dir, arg);
    return { label: `v${n}`, text: (await readVersion(task.dir, n)).text };
  }
  const path = resolve(arg);
  try {
    return { label: arg, text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PromptoptError('DIFF_FILE_UNREADABLE', `${arg} is neither a version nor a readable file${code ? ` (${code})` : ''}`, {
      exitCode: EXIT.badInput,
      hint: 'name a version as v3 or 3, or give the path of a prompt file',
    });
  }
}
