/**
 * A small pool of `python3` child processes for `python` assertions and `.py` transforms, shared by the
 * whole process, run like the JavaScript worker pool (worker-pool.ts): one task per process at a time,
 * under the same time limit; a function that never returns is ended by killing its process (a fresh one
 * takes its place), so it costs one assertion_error, never the run; Ctrl-C stops it at once. Processes
 * keep the files they imported, so a file is loaded once per process. JSON lines in and out
 * (python-runner.ts).
 *
 * The interpreter is `python3` on PATH, or the one `PROMPTOPT_PYTHON` names.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { PoolAnswer } from './worker-pool.js';
import type { JsReply, JsSource, JsTask } from './protocol.js';
import { PYTHON_RUNNER } from './python-runner.js';

const MAX_PROCESSES = 2;
const START_TIMEOUT_MS = 30_000;

/** The interpreter to run: `PROMPTOPT_PYTHON`, else `python3`. */
export function pythonExecutable(env: NodeJS.ProcessEnv = process.env): string {
  return env.PROMPTOPT_PYTHON?.trim() || 'python3';
}

/**
 * Whether the interpreter runs, asked before any call: its version (`3.11.7`), or why not (not found
 * on PATH, not Python 3). Runs `<python> -c` once with the environment given.
 */
export function probePython(env: NodeJS.ProcessEnv = process.env): Promise<{ version: string } | { problem: string }> {
  const executable = pythonExecutable(env);
  return new Promise((resolve) => {
    let out = '';
    let child;
    try {
      child = spawn(executable, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      resolve({ problem: `${executable} cannot be started: ${(error as Error).message}` });
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ problem: error.code === 'ENOENT' ? notFound(executable) : `${executable} cannot be started: ${error.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const version = out.trim();
      if (code === 0 && /^3\./.test(version)) resolve({ version });
      else resolve({ problem: code === 0 ? `${executable} is Python ${version || '(unknown version)'}, not Python 3` : `${executable} exited with code ${code}` });
    });
  });
}

function notFound(executable: string): string {
  return /[\\/]/.test(executable) ? `${executable} was not found` : `${executable} was not found on PATH`;
}

interface Job {
  task: Omit<JsTask, 'id'>;
  timeoutMs: number;
  signal?: AbortSignal;
  resolve: (answer: PoolAnswer) => void;
}

interface Slot {
  child: ChildProcessWithoutNullStreams;
  ready: boolean;
  job?: { id: number; finish: (answer: PoolAnswer) => void };
  stderr: string;
}

export class PythonPool {
  readonly #size: number;
  readonly #slots = new Set<Slot>();
  readonly #queue: Job[] = [];
  #nextId = 1;

  constructor(size = MAX_PROCESSES) {
    this.#size = size;
  }

  /** Runs `source` on (output, context) in a Python process, within `timeoutMs`; never rejects. */
  run(source: JsSource, output: unknown, context: JsTask['context'], timeoutMs: number, signal?: AbortSignal, returns?: JsTask['returns']): Promise<PoolAnswer> {
    if (signal?.aborted) return Promise.resolve({ ok: false, aborted: true });
    return new Promise((resolve) => {
      this.#queue.push({ task: { source, output, context, ...(returns ? { returns } : {}) }, timeoutMs, signal, resolve });
      this.#dispatch();
    });
  }

  /** Compiles inline code, or imports the file (its top-level code runs) and finds the function, without calling it. */
  check(source: JsSource, timeoutMs: number, returns?: JsTask['returns']): Promise<PoolAnswer> {
    return new Promise((resolve) => {
      this.#queue.push({ task: { source, output: '', context: { vars: {}, caseId: '' }, loadOnly: true, ...(returns ? { returns } : {}) }, timeoutMs, resolve });
      this.#dispatch();
    });
  }

  /** Ends every process (tests; the CLI process simply exits). */
  async close(): Promise<void> {
    const slots = [...this.#slots];
    this.#slots.clear();
    for (const slot of slots) slot.child.kill('SIGKILL');
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const idle = [...this.#slots].find((s) => s.ready && !s.job);
      if (idle) {
        this.#start(idle, this.#queue.shift()!);
        continue;
      }
      const starting = [...this.#slots].filter((s) => !s.ready).length;
      if (starting >= this.#queue.length || this.#slots.size >= this.#size) return;
      this.#spawn();
    }
  }

  #spawn(): void {
    const child = spawn(pythonExecutable(), ['-u', '-c', PYTHON_RUNNER], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    const slot: Slot = { child, ready: false, stderr: '' };
    const boot = setTimeout(() => lost(`python did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    const lost = (why: string) => {
      clearTimeout(boot);
      if (!this.#slots.delete(slot)) return;
      const detail = slot.stderr.trim().split('\n').at(-1);
      const reason = detail ? `${why}: ${detail}` : why;
      if (slot.job) slot.job.finish({ ok: false, crashed: reason });
      else if (!slot.ready) this.#failQueued(reason);
      child.kill('SIGKILL');
    };
    createInterface({ input: child.stdout }).on('line', (line) => {
      let reply: (JsReply & { ready?: undefined }) | { ready: true };
      try {
        reply = JSON.parse(line) as typeof reply;
      } catch {
        return;
      }
      if ('ready' in reply && reply.ready) {
        clearTimeout(boot);
        slot.ready = true;
        this.#dispatch();
      } else if (slot.job && 'id' in reply && slot.job.id === reply.id) slot.job.finish(reply);
    });
    // What user code prints goes to stderr; the last lines explain a crash.
    child.stderr.on('data', (chunk: Buffer) => (slot.stderr = (slot.stderr + chunk.toString()).slice(-2000)));
    child.on('error', (error: NodeJS.ErrnoException) => lost(error.code === 'ENOENT' ? notFound(pythonExecutable()) : `${pythonExecutable()} cannot be started: ${error.message}`));
    child.on('exit', (code, signal) => lost(`the python process exited (${signal ?? `code ${code}`})`));
    child.stdin.on('error', () => undefined); // a write to a process that just died: its exit says why
    child.unref();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    (child.stderr as unknown as { unref?: () => void }).unref?.();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    this.#slots.add(slot);
  }

  #start(slot: Slot, job: Job): void {
    if (job.signal?.aborted) {
      job.resolve({ ok: false, aborted: true });
      return;
    }
    const id = this.#nextId++;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => this.#kill(slot, { ok: false, aborted: true });
    const finish = (answer: PoolAnswer) => {
      if (slot.job?.id !== id) return;
      slot.job = undefined;
      clearTimeout(timer);
      job.signal?.removeEventListener('abort', onAbort);
      job.resolve(answer);
      this.#dispatch();
    };
    slot.job = { id, finish };
    timer = setTimeout(() => this.#kill(slot, { ok: false, timedOut: true }), job.timeoutMs);
    job.signal?.addEventListener('abort', onAbort, { once: true });
    let line: string;
    try {
      line = JSON.stringify({ id, ...job.task } satisfies JsTask);
    } catch (error) {
      finish({ ok: false, crashed: `cannot hand the case to python: ${(error as Error).message}` });
      return;
    }
    slot.child.stdin.write(`${line}\n`);
  }

  #failQueued(why: string): void {
    for (const job of this.#queue.splice(0)) job.resolve({ ok: false, crashed: why });
  }

  #kill(slot: Slot, answer: PoolAnswer): void {
    this.#slots.delete(slot);
    slot.job?.finish(answer);
    slot.child.kill('SIGKILL');
  }
}

/** The process-wide pool (made on first use). */
let shared: PythonPool | undefined;
export function pythonPool(): PythonPool {
  return (shared ??= new PythonPool());
}
