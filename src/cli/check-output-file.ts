/**
 * An output file named on the command line (--output, --junit) or by the environment
 * (GITHUB_STEP_SUMMARY) is checked before the first call: a folder where the file should be, or a
 * file where a parent folder should be, is a usage error (exit 2) now, not a failure after the run
 * has been paid for.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { displayPath } from '../spec/issues.js';

export function checkOutputFile(path: string, what: string): void {
  const file = resolve(path);
  if (statOf(file)?.isDirectory()) throw new UsageError(`${what} ${displayPath(file)} is a folder, not a file`, `give ${what} the path of a file to write`);
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const stats = statOf(dir);
    if (stats) {
      if (stats.isDirectory()) return;
      throw new UsageError(`${what} ${displayPath(file)} cannot be written: ${displayPath(dir)} is a file, not a folder`, `give ${what} a path whose folders are folders`);
    }
    if (dirname(dir) === dir) return;
  }
}

function statOf(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
