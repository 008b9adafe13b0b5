/**
 * Which files a spec may read (`file://` prompts and templates, case files, schema and script files
 * of assertions) and where it may write (its cache, versions and runs folders). A spec can be
 * written by someone else (a pull request), so by default it reads and writes only inside its
 * project (the git work tree that holds it, or its own folder outside git): `file://../examples/x.md`
 * works, `/proc/self/environ`, `/etc` or `~/.ssh` do not, and prompt versions (whose extension and
 * text the spec decides) cannot land in `~/.config/...`. `--trust-spec` lifts the limit.
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

/**
 * A message and hint when `path` is outside the scope (`what`: "prompt file", "versions folder"...;
 * `use`: whether the spec reads or writes there); undefined when it may.
 */
export function outsideScope(
  path: string,
  what: string,
  scope: FileScope | undefined,
  use: 'reads' | 'writes' = 'reads',
): { message: string; hint: string } | undefined {
  if (!scope || scope.trusted || isInside(scope.root, path)) return undefined;
  return {
    message: `${what} ${displayPath(path)} is outside the project (${displayPath(scope.root)}): a spec ${use} only inside the git work tree that holds it, or its own folder outside git`,
    hint: `${use === 'reads' ? 'move the file into the project' : 'use a folder inside the project'}; if you wrote this spec yourself, pass ${TRUST_SPEC_FLAG}`,
  };
}
