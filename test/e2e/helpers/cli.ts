/**
 * Runs the CLI the way a user or a CI job would: a clean environment (PATH, HOME, CI=true,
 * NO_COLOR=1, plus what the test sets), a temp working folder, stdout and stderr captured.
 *
 * `runCli` runs it IN-PROCESS through `runCli` of src/cli/run-cli.ts (the entry bin/ uses), as
 * compiled to dist/ like everything tests import from src/ (vitest.config.ts says why; vi.mock
 * cannot reach it: plant failures through `tapStdout` or the fake server). One in-process run at a
 * time per test file (it changes the working folder for the run's duration). `spawnCli` runs the
 * built CLI
 * (`node bin/promptopt.js`) as a child process: for what only a real process shows (signals,
 * kill -9, exit codes of the process, pipes). dist/ is never stale under test: the global setup
 * (test/support/fresh-build.ts) builds it first when it does not match src/.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLI_BIN = join(REPO_ROOT, 'bin', 'promptopt.js');
export const CLI_ENTRY = join(REPO_ROOT, 'dist', 'cli', 'main.js');

/** Throws when dist/ was never built (the global setup rebuilds a stale one). */
export function assertBuilt(): void {
  if (!existsSync(CLI_ENTRY)) {
    throw new Error(
      `e2e tests run the built CLI, but ${relative(REPO_ROOT, CLI_ENTRY)} is missing. ` +
        'Run `npm test` (which builds first) or `npm run build && npx vitest run test/e2e`.',
    );
  }
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time of the child, ms. */
  ms: number;
  /** In-process runs on a fake terminal (`tty`): every write the spinner made to it. */
  drawn?: string[];
}

export interface RunCliOptions {
  cwd: string;
  /** Added to the clean base environment (PATH, HOME, CI, NO_COLOR). `undefined` values are dropped. */
  env?: Record<string, string | undefined>;
  /** HOME for the child; the working folder by default, so anything written there is seen by the test. */
  home?: string;
  /** Extra node flags (e.g. `--import preload.mjs`). */
  nodeArgs?: string[];
  timeoutMs?: number;
  /**
   * Play a slow reader: stop reading stdout (the pipe fills at 64 KiB) until stderr matches
   * `untilStderr`, then keep not reading for `thenMs` more.
   */
  holdStdout?: { untilStderr: RegExp; thenMs: number };
}

/** The clean environment a child gets: nothing from this process but PATH. */
export function cleanEnv(options: Pick<RunCliOptions, 'cwd' | 'env' | 'home'>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.home ?? options.cwd, CI: 'true', NO_COLOR: '1' };
  for (const [name, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[name] = value;
  return env;
}

export interface InProcessOptions extends RunCliOptions {
  /** Present a terminal: stderr `isTTY` with this many columns (0 = a terminal that reports no size). */
  tty?: { columns: number; rows?: number };
  /** Aborted like Ctrl-C (reason 'SIGINT') or SIGTERM (reason 'SIGTERM'). */
  signal?: AbortSignal;
  /** argv[1] as the process entry passes it: how printed hints name the command (unset: `promptopt`). */
  script?: string;
  /**
   * Sees every stdout write (a line, or a piece of a streamed document) before it is kept: a test
   * may throw from it to plant a failure no code path expects (internal-error.test.ts).
   */
  tapStdout?: (text: string) => void;
}


/** A fake terminal stream: records everything drawn on it. */
export function fakeTerminal(columns: number, rows = 24): NodeJS.WriteStream & { drawn: string[] } {
  const drawn: string[] = [];
  const stream = {
    isTTY: true,
    columns,
    rows,
    drawn,
    write(chunk: string | Uint8Array, ...rest: unknown[]) {
      drawn.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    },
    cursorTo: () => true,
    moveCursor: () => true,
    clearLine: () => true,
    on: () => stream,
    once: () => stream,
    off: () => stream,
    removeListener: () => stream,
  };
  return stream as unknown as NodeJS.WriteStream & { drawn: string[] };
}

let inProcessBusy = false;

/** Runs the CLI in-process (see the file comment); falls back to spawnCli for options only a child has. */
export async function runCli(args: string[], options: InProcessOptions): Promise<CliResult> {
  if (options.holdStdout || options.nodeArgs) return spawnCli(args, options);
  assertBuilt();
  if (inProcessBusy) throw new Error('runCli: one in-process run at a time (use spawnCli for concurrent runs)');
  inProcessBusy = true;
  const { runCli: run } = await import('../../../src/cli/run-cli.js');
  const out: string[] = [];
  const err: string[] = [];
  const line = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  const terminal = options.tty ? fakeTerminal(options.tty.columns, options.tty.rows) : undefined;
  const tap = options.tapStdout ?? (() => undefined);
  const io = {
    out: (t: string) => void (tap(t), out.push(line(t))),
    write: async (chunk: string) => void (tap(chunk), out.push(chunk)), // a streamed document (eval --json)
    err: (t: string) => void err.push(line(t)),
    isTTY: Boolean(terminal),
    ...(terminal ? { errStream: terminal } : {}),
  };
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const timer = setTimeout(() => controller.abort('SIGTERM'), options.timeoutMs ?? 20_000);
  const started = performance.now();
  const previousCwd = process.cwd();
  process.chdir(options.cwd);
  let code: number;
  try {
    code = await run(args, { io, env: cleanEnv(options), signal: controller.signal, ...(options.script ? { script: options.script } : {}) });
  } finally {
    process.chdir(previousCwd);
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
    inProcessBusy = false;
  }
  return { code, signal: null, stdout: out.join(''), stderr: err.join(''), ms: performance.now() - started, ...(terminal ? { drawn: terminal.drawn } : {}) };
}

/** Runs the BUILT CLI as a child process (see the file comment). */
export function spawnCli(args: string[], options: RunCliOptions): Promise<CliResult> {
  assertBuilt();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI_BIN, ...args], {
      cwd: options.cwd,
      env: cleanEnv(options),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const hold = options.holdStdout;
    if (hold) {
      child.stdout.pause();
      const check = () => {
        if (!hold.untilStderr.test(Buffer.concat(err).toString('utf8'))) return;
        child.stderr.off('data', check);
        setTimeout(() => child.stdout.resume(), hold.thenMs);
      };
      child.stderr.on('data', check);
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: performance.now() - started,
      });
    });
  });
}

/** stdout parsed as the one JSON document `--json` promises; the error message shows what came out instead. */
export function parseJsonOut(result: CliResult): Record<string, any> {
  try {
    return JSON.parse(result.stdout) as Record<string, any>;
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${result.code}).\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Temp folders and specs

export async function makeTempDir(prefix = 'promptopt-e2e-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/**
 * Writes `task.yaml` (or `name`) into `dir`: an object is serialized as YAML, a string is written as
 * is (for tests that assert a line and column). `files` are written beside it (relative paths).
 */
export async function writeSpec(
  dir: string,
  spec: Record<string, unknown> | string,
  options: { name?: string; files?: Record<string, string> } = {},
): Promise<string> {
  for (const [name, text] of Object.entries(options.files ?? {})) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  }
  const path = join(dir, options.name ?? 'task.yaml');
  await writeFile(path, typeof spec === 'string' ? spec : stringify(spec));
  return path;
}

/** Every file under `dir`, as paths relative to it, sorted. Empty for a missing folder. */
export async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string) => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else found.push(relative(dir, path));
    }
  };
  await walk(dir);
  return found.sort();
}

/** Contents of every file under `dir` (binary-safe: read as latin1, which keeps ASCII keys findable). */
export async function readAllFiles(dir: string): Promise<{ path: string; text: string }[]> {
  const files = await listFiles(dir);
  return Promise.all(files.map(async (path) => ({ path, text: (await readFile(join(dir, path))).toString('latin1') })));
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
