/**
 * Which files a spec may read: `file://` prompts and templates, case files, schema and script
 * files of assertions. A spec can be written by someone else (a pull request), so by default it
 * reads only inside its project (the git work tree that holds it, or its own folder outside git):
 * `file://../examples/x.md` works, `/proc/self/environ`, `/etc` or `~/.ssh` do not. `--trust-spec`
 * lifts the limit.
 */
import { displayPath } from './issues.js';
import { findProjectRoot, isInside } from '../util/project-root.js';

export interface FileScope {
  /** The project folder (symlinks resolved). */
  root: string;
  /** True with --trust-spec: the spec may read any file. */
  trusted: boolean;
}

export const TRUST_SPEC_FLAG = '--trust-spec';

export function specFileScope(specDir: string, options: { trusted?: boolean; home?: string } = {}): FileScope {
  return { root: findProjectRoot(specDir, options.home), trusted: options.trusted === true };
}

/** A message and hint when `file` is outside the scope (for `what`: "prompt file", "cases file"...); undefined when it may be read. */
export function outsideScope(file: string, what: string, scope: FileScope | undefined): { message: string; hint: string } | undefined {
  if (!scope || scope.trusted || isInside(scope.root, file)) return undefined;
  return {
    message: `${what} ${displayPath(file)} is outside the project (${displayPath(scope.root)}): a spec reads only files inside the git work tree that holds it, or its own folder outside git`,
    hint: `move the file into the project; if you wrote this spec yourself, pass ${TRUST_SPEC_FLAG} to let it read anywhere`,
  };
}
