/**
 * The folder a spec's files must stay inside: the git work tree that holds the spec (the nearest
 * folder above it with a `.git` entry), or the spec's own folder outside git. The walk never stops
 * at, nor climbs past, the home folder: a home folder kept in git (dotfiles) is not a project.
 * Paths are compared after resolving symlinks, so a link inside the project that points outside
 * it (`prompt.md -> /proc/self/environ`) is outside.
 */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

/** The project root for a spec in `specDir` (an absolute path, symlinks resolved). */
export function findProjectRoot(specDir: string, home?: string): string {
  const start = realPath(specDir);
  const homeDir = home ? realPath(home) : undefined;
  for (let dir = start; ; dir = dirname(dir)) {
    if (homeDir !== undefined && dir === homeDir) break;
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) break;
  }
  return start;
}

/** True when `file` (absolute) is `root` or lies inside it once symlinks are resolved. */
export function isInside(root: string, file: string): boolean {
  const rel = relative(realPath(root), realPath(file));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * `path` with symlinks resolved. A path that does not exist (yet) resolves its nearest existing
 * parent and keeps the rest as written, so "not found" is still reported by whoever reads it.
 */
export function realPath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync.native(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(realPath(parent), basename(absolute));
  }
}
