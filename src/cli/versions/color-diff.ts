/** Unified diffs between prompt texts, coloured git-style (chalk is off with NO_COLOR or off a TTY). */
import chalk from 'chalk';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

/** The unified diff from `before` to `after`, with `--- oldName` / `+++ newName` headers. */
export function unifiedDiff(oldName: string, newName: string, before: string, after: string): string {
  return createTwoFilesPatch(oldName, newName, before, after, undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY });
}

export function colorDiff(patch: string): string {
  return patch
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => {
      if (line.startsWith('---') || line.startsWith('+++')) return chalk.bold(line);
      if (line.startsWith('@@')) return chalk.cyan(line);
      if (line.startsWith('+')) return chalk.green(line);
      if (line.startsWith('-')) return chalk.red(line);
      if (line.startsWith('\\')) return chalk.dim(line);
      return line;
    })
    .join('\n');
}

/** True when the patch has no hunk (the texts are equal). */
export function isEmptyDiff(patch: string): boolean {
  return !/^@@/m.test(patch);
}
