/** What promote and rollback print: the diff of the prompt they rewrote, then one line saying what happened. */
import chalk from 'chalk';
import type { PromoteResult } from '../../store/promote.js';
import { displayPath } from '../../spec/issues.js';
import type { Io } from '../terminal.js';
import { colorDiff, isEmptyDiff, unifiedDiff } from './color-diff.js';
import type { TaskVersions } from './task-versions.js';

export function printPromotion(task: TaskVersions, result: PromoteResult, verb: 'promoted' | 'rolled back to', io: Io): void {
  const where = task.location.inline ? `the inline prompt of ${displayPath(task.location.file)}` : displayPath(task.location.file);
  if (!result.changed) {
    io.out(`v${result.to} is already the current prompt (${where}); nothing to do`);
    return;
  }
  const fromLabel = result.from === null ? `${displayPath(task.location.file)} (hand edits)` : `v${result.from}`;
  const patch = unifiedDiff(fromLabel, `v${result.to}`, result.before, result.after);
  if (!isEmptyDiff(patch)) io.out(colorDiff(patch));
  const was = result.from === null ? `replaced hand edits, kept in ${displayPath(result.kept ?? task.location.file)}` : `was v${result.from}`;
  const wrote = result.before === result.after ? 'text unchanged' : `wrote ${where}`;
  io.out(`${chalk.green(verb)} v${result.to} (${was}): ${wrote}`);
}
