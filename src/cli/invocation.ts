/**
 * How this promptopt was started, so that every command a hint prints works where the user is, in
 * the way the tool was started:
 *
 *   - `promptopt`      the `promptopt` the shell finds on PATH is this very install (`npm install -g`,
 *                      the install script, or a link to this checkout);
 *   - `npx promptopt`  started through npx / `npm exec` from a project that has it (as a dependency,
 *                      or the promptopt checkout itself), for a command run inside that project;
 *   - `node <path>`    otherwise: this install's bin/promptopt.js, relative to the folder the command
 *                      runs in when that is short (at most two levels up, not via the root), else absolute.
 *
 * Unknown (runCli called without a script, as the in-process tests do unless they set one): `promptopt`.
 * Everything is read from what the caller passes (argv[1], the environment, the working folder), never
 * from process globals, and only when a hint is first rendered.
 */
import { accessSync, constants, existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export interface StartedAs {
  /** argv[1]: the script node was started with (a bin link, or bin/promptopt.js itself). */
  script?: string;
  /** The folder the command runs in. */
  cwd: string;
  /** PATH, and the npm_* variables npx / `npm exec` set. */
  env: NodeJS.ProcessEnv;
  /** Which shell quoting to use; process.platform by default. */
  platform?: NodeJS.Platform;
}

export interface Invocation {
  /** The folder the command runs in. */
  readonly cwd: string;
  /** What starts this promptopt in `dir` (the working folder by default): `promptopt`, `npx promptopt`, `node ...`. */
  program(dir?: string): string;
  /** `promptopt <args>` as a line to type in `dir` (the working folder by default); arguments are quoted for the shell when needed. */
  command(args: readonly string[], dir?: string): string;
  /** A file as typed in `dir` (the working folder by default): relative when inside it, else absolute. */
  path(file: string, dir?: string): string;
  /** Every `promptopt <command>` mentioned in a text (an error's hint, a warning), rendered as program() does. */
  rewrite(text: string): string;
}

/** The commands a mention may name (see rewrite). */
const COMMANDS = ['eval', 'optimize', 'init', 'compare', 'report', 'history', 'diff', 'promote', 'rollback', 'branch', 'cherry-pick', 'cache', 'import', 'stats', 'bench'];
/** `promptopt eval …`, not `npx promptopt eval` (already rendered), `promptopt.js eval` or a header's `promptopt eval · task`. */
const MENTION = new RegExp(`(?<![\\w./\\\\-])(?<!npx )promptopt(?= (?:${COMMANDS.join('|')})(?![\\w-])(?! ·))`, 'g');
/** Folders npm puts in front of PATH for npx and scripts: their `promptopt` is not one the user's shell finds. */
const NPM_BIN_DIR = /[\\/]node_modules[\\/]\.bin$|[\\/]node-gyp-bin$/;

export function detectInvocation(started: StartedAs): Invocation {
  const cwd = resolve(started.cwd);
  const platform = started.platform ?? process.platform;
  const inDir = (dir?: string) => (dir === undefined ? cwd : resolve(cwd, dir));
  let onPath: boolean | undefined;
  const program = (dir?: string): string => {
    const script = started.script;
    if (!script) return 'promptopt';
    onPath ??= isThisOnPath(script, started.env, platform);
    if (onPath) return 'promptopt';
    const where = inDir(dir);
    if (startedByNpxIn(script, started.env, where)) return 'npx promptopt';
    return `node ${quote(nodePath(realOr(resolve(cwd, script)), where), platform)}`;
  };
  const path = (file: string, dir?: string): string => {
    const absolute = resolve(cwd, file);
    const rel = relative(inDir(dir), absolute);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
  };
  return {
    cwd,
    program,
    command: (args, dir) => [program(dir), ...args.map((arg) => quote(arg, platform))].join(' '),
    path,
    rewrite(text) {
      const name = program();
      return name === 'promptopt' ? text : text.replace(MENTION, name);
    },
  };
}

/** True when the first `promptopt` on PATH (outside npm's own bin folders) is this install's bin. */
function isThisOnPath(script: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
  if (platform === 'win32') return false; // npm's .cmd shims cannot be followed to their script: `node <path>` always works
  const self = realOr(script);
  const underNpm = env.npm_command !== undefined || env.npm_lifecycle_event !== undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir) || (underNpm && NPM_BIN_DIR.test(dir))) continue;
    const candidate = join(dir, 'promptopt');
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      continue;
    }
    return realOr(candidate) === self; // the shell runs the first one it finds
  }
  return false;
}

/**
 * True when npx / `npm exec` started this promptopt from its project (the script lies in the project
 * that npm found, `npm_config_local_prefix`), and `dir` belongs to that same project, so `npx promptopt`
 * typed in `dir` finds the same install.
 */
function startedByNpxIn(script: string, env: NodeJS.ProcessEnv, dir: string): boolean {
  const project = env.npm_config_local_prefix;
  if (env.npm_command !== 'exec' || !project) return false;
  const root = resolve(project);
  const inside = (path: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
  if (!inside(resolve(script)) && !inside(realOr(script))) return false;
  return nearestProject(dir) === root;
}

/** The folder npm takes for the project of `dir`: the nearest one up with a package.json or node_modules. */
function nearestProject(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, 'package.json')) || existsSync(join(current, 'node_modules'))) return current;
    if (dirname(current) === current) return undefined;
  }
}

/** The script relative to `dir` when that is shorter and climbs at most two levels (not up to the root), else absolute. */
function nodePath(script: string, dir: string): string {
  const rel = relative(dir, script);
  const climbs = rel.split(/[\\/]/).filter((part) => part === '..').length;
  const depth = dir.split(/[\\/]/).filter(Boolean).length;
  return isAbsolute(rel) || climbs > 2 || climbs >= depth || rel.length >= script.length ? script : rel;
}

function realOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** An argument as a shell reads it: bare when it holds only safe characters, else quoted. */
export function quote(arg: string, platform: NodeJS.Platform = process.platform): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  if (platform === 'win32') return `"${arg.replace(/"/g, '""')}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
