/**
 * `promptopt cherry-pick <task.yaml> <vX> --onto <vY> [--dry-run]`: apply the change vX made to its
 * parent onto vY, as a new version on vY's branch. When a hunk does not apply, each failing hunk is
 * printed with its text, nothing is written and the exit code is 1.
 */
import chalk from 'chalk';
import { EXIT, PromptoptError } from '../../errors.js';
import { cherryPick, type FailedHunk } from '../../store/cherry-pick.js';
import { readVersion } from '../../store/read-version.js';
import { writeVersion } from '../../store/write-version.js';
import { displayPath } from '../../spec/issues.js';
import type { CommandEnv } from '../program/command-env.js';
import { colorDiff, unifiedDiff } from '../versions/color-diff.js';
import { openTaskVersions } from '../versions/task-versions.js';
import { resolveVersion } from '../versions/version-arg.js';

export interface CherryPickOptions {
  onto: string;
  dryRun?: boolean;
}

export async function cherryPickCommand(file: string, version: string, options: CherryPickOptions, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  const task = await openTaskVersions(file, ctx);
  const x = await resolveVersion(task.dir, version);
  const y = await resolveVersion(task.dir, options.onto);
  const picked = await readVersion(task.dir, x);
  if (picked.meta.parent === null) {
    throw new PromptoptError('CHERRY_PICK_NO_PARENT', `v${x} has no parent, so it made no change to pick`, {
      exitCode: EXIT.badInput,
      hint: 'pick a version derived from another one (promptopt history shows parents)',
    });
  }
  const base = (await readVersion(task.dir, picked.meta.parent)).text;
  const onto = await readVersion(task.dir, y);
  const result = cherryPick({ base, changed: picked.text, onto: onto.text });

  if (!result.ok) {
    io.out(failedHunksText(x, y, result.failed, result.hunks));
    io.err(`${chalk.red('cherry-pick failed:')} the change of v${x} does not apply to v${y}; nothing was written`);
    return EXIT.belowThreshold;
  }
  if (result.hunks === 0 || result.text === onto.text) {
    io.out(result.hunks === 0 ? `v${x} is identical to its parent v${picked.meta.parent}: nothing to pick` : `v${y} already has the change of v${x}: nothing to pick`);
    return 0;
  }
  io.out(colorDiff(unifiedDiff(`v${y}`, `v${y} + v${x}`, onto.text, result.text)));
  if (options.dryRun) {
    io.out(`dry run: would write a new version on branch ${onto.meta.branch} (parent v${y}); nothing was written`);
    return 0;
  }
  const written = await writeVersion(task.dir, {
    text: result.text,
    parent: y,
    branch: onto.meta.branch,
    runId: null,
    task: task.spec.name,
    targetModel: task.targetModel,
    scores: {},
    costUsd: 0,
    hypothesis: `cherry-pick of v${x} (${picked.meta.hypothesis || 'no hypothesis'}) onto v${y}`,
    ext: task.ext,
    source: 'manual',
  });
  io.out(`wrote v${written.version} on branch ${written.branch} (parent v${y}, the change of v${x}): ${displayPath(written.file)}`);
  return 0;
}

function failedHunksText(x: number, y: number, failed: FailedHunk[], total: number): string {
  const lines = [chalk.bold(`${failed.length} of ${total} hunk${total === 1 ? '' : 's'} of v${x} do not apply to v${y}:`)];
  for (const hunk of failed) {
    lines.push('', colorDiff([hunk.header, ...hunk.lines].join('\n')));
  }
  return lines.join('\n');
}
