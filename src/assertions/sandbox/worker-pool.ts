/**
 * A small pool of worker threads for JavaScript assertions, shared by the whole process. Each task
 * runs in one worker, alone, under a time limit: a function that never returns is ended by
 * terminating its worker (a fresh one takes its place), so it costs one assertion_error and never
 * the run; the main event loop stays free meanwhile, so Ctrl-C works. Workers keep the code they
 * compiled and the modules they loaded, so a file is loaded once per worker, not once per case.
 *
 * The worker module is js-worker.js next to this file; under the test runner (TypeScript sources)
 * it is js-worker.ts, loaded through jiti.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { JsReady, JsReply, JsSource, JsTask } from './protocol.js';

/** What the pool answers: the worker's reply, or why there is none. */
export type PoolAnswer = JsReply | { ok: false; timedOut: true } | { ok: false; crashed: string } | { ok: false; aborted: true };

export const DEFAULT_JS_TIMEOUT_MS = 5_000;
const MAX_WORKERS = 4;

const SELF = import.meta.url;
const FROM_SOURCES = SELF.endsWith('.ts');
const WORKER_URL = new URL(`./js-worker.${FROM_SOURCES ? 'ts' : 'js'}`, SELF);
/** Started as an eval'd script: imports the worker module natively, or through jiti from the sources. */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const start = workerData.jiti
  ? require(workerData.jiti).createJiti(workerData.url).import(workerData.file)
  : import(workerData.url);
start.catch((error) => { console.error('promptopt: the javascript assertion worker did not start:', error); process.exit(1); });
`;

interface Job {
  task: Omit<JsTask, 'id'>;
  timeoutMs: number;
  signal?: AbortSignal;
  resolve: (answer: PoolAnswer) => void;
}

interface Slot {
  worker: Worker;
  /** False until the worker has started (its start-up is not charged to a task's time limit). */
  ready: boolean;
  job?: { id: number; finish: (answer: PoolAnswer) => void };
}

export class JsWorkerPool {
  readonly #size: number;
  readonly #slots = new Set<Slot>();
  readonly #queue: Job[] = [];
  #nextId = 1;

  constructor(size = Math.min(MAX_WORKERS, Math.max(1, availableParallelism()))) {
    this.#size = size;
  }

  /** Runs `source` on (output, context) in a worker, within `timeoutMs`; never rejects. */
  run(source: JsSource, output: unknown, context: JsTask['context'], timeoutMs: number, signal?: AbortSignal, returns?: JsTask['returns']): Promise<PoolAnswer> {
    if (signal?.aborted) return Promise.resolve({ ok: false, aborted: true });
    return new Promise((resolve) => {
      this.#queue.push({ task: { source, output, context, ...(returns ? { returns } : {}) }, timeoutMs, signal, resolve });
      this.#dispatch();
    });
  }

  /**
   * Compiles the code, or loads the file (its top-level code runs) and finds the function, without
   * calling it, within `timeoutMs`: `ok` when it could run. A file loaded here stays loaded in its
   * worker for the run.
   */
  check(source: JsSource, timeoutMs: number, returns?: JsTask['returns']): Promise<PoolAnswer> {
    return new Promise((resolve) => {
      this.#queue.push({ task: { source, output: '', context: { vars: {}, caseId: '' }, loadOnly: true, ...(returns ? { returns } : {}) }, timeoutMs, resolve });
      this.#dispatch();
    });
  }

  /** Ends every worker (tests; the CLI process simply exits). */
  async close(): Promise<void> {
    const slots = [...this.#slots];
    this.#slots.clear();
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
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
      this.#spawn(this.#queue[starting]!.task.source.kind === 'file');
    }
  }

  #spawn(preloadJiti: boolean): Slot {
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { url: WORKER_URL.href, file: fileURLToPath(WORKER_URL), jiti: FROM_SOURCES ? createRequire(SELF).resolve('jiti') : undefined, preloadJiti },
    });
    // An idle worker never keeps the process alive; a waiting task's timer (or a starting worker's) does.
    worker.unref();
    const boot = setTimeout(() => lost('the worker did not start within 30 s'), 30_000);
    const slot: Slot = { worker, ready: false };
    worker.on('message', (reply: JsReply | JsReady) => {
      if ('ready' in reply) {
        clearTimeout(boot);
        slot.ready = true;
        this.#dispatch();
      } else if (slot.job?.id === reply.id) slot.job.finish(reply);
    });
    const lost = (why: string) => {
      clearTimeout(boot);
      if (!this.#slots.delete(slot)) return;
      if (slot.job) slot.job.finish({ ok: false, crashed: why });
      else if (!slot.ready) this.#failQueued(why); // a worker that cannot start: no task would ever run
      void worker.terminate();
    };
    worker.on('error', (error) => lost(error.message));
    worker.on('exit', (code) => lost(`the worker exited with code ${code}`));
    this.#slots.add(slot);
    return slot;
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
    try {
      slot.worker.postMessage({ id, ...job.task } satisfies JsTask);
    } catch (error) {
      finish({ ok: false, crashed: `cannot hand the case to the worker: ${(error as Error).message}` });
    }
  }

  #failQueued(why: string): void {
    for (const job of this.#queue.splice(0)) job.resolve({ ok: false, crashed: why });
  }

  /** Ends a worker stuck in a task (or whose run is stopping), answering its task with `answer`. */
  #kill(slot: Slot, answer: PoolAnswer): void {
    this.#slots.delete(slot);
    const job = slot.job;
    job?.finish(answer);
    void slot.worker.terminate();
  }
}

/** The process-wide pool (made on first use). */
let shared: JsWorkerPool | undefined;
export function jsWorkerPool(): JsWorkerPool {
  return (shared ??= new JsWorkerPool());
}
