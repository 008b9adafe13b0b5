/**
 * The process entry: wires runCli to the real terminal, environment and signals, and is the one
 * module that calls process.exit.
 *
 * The first Ctrl-C (SIGINT) or SIGTERM aborts the command's signal: no new model call starts, the
 * calls in flight are cancelled, an optimize run writes its checkpoint, and the command exits 130
 * (SIGINT) or 143 (SIGTERM). A second one exits at once. If the command has not stopped a few
 * seconds after the first, the process exits anyway (checkpoints are written atomically, so nothing
 * is left half-written).
 */
import './heap-policy.js'; // first: before the heap grows
import { EXIT } from '../errors.js';
import { runCli } from './run-cli.js';
import { processIo } from './terminal.js';

/** How long a stopping command may take before the process exits without it. */
const STOP_GRACE_MS = 5_000;
/** 128 + SIGPIPE, what a shell reports for a tool stopped by a closed pipe. */
const EXIT_BROKEN_PIPE = 141;

const io = processIo();
const controller = new AbortController();
let stopping: NodeJS.Signals | undefined;

function onStopSignal(signal: 'SIGINT' | 'SIGTERM'): void {
  const code = signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
  if (stopping) {
    process.exit(code);
  }
  stopping = signal;
  io.err(
    signal === 'SIGINT'
      ? 'interrupt: stopping; cancelling the calls in flight (Ctrl-C again to quit now)'
      : 'SIGTERM: stopping; cancelling the calls in flight',
  );
  controller.abort(signal);
  setTimeout(() => {
    io.err(`did not stop within ${STOP_GRACE_MS / 1000} s of ${signal}; exiting now`);
    process.exit(code);
  }, STOP_GRACE_MS).unref();
}
process.on('SIGINT', () => onStopSignal('SIGINT'));
process.on('SIGTERM', () => onStopSignal('SIGTERM'));
// The reader of stdout went away (`promptopt traces latest | head`): stop as a Unix tool does on
// SIGPIPE (exit 141), not with a crash. Node ignores SIGPIPE, so it arrives as this write error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(EXIT_BROKEN_PIPE);
});

let code: number;
try {
  code = await runCli(process.argv.slice(2), { io, env: process.env, signal: controller.signal, stdoutIsTTY: Boolean(process.stdout.isTTY), script: process.argv[1], cwd: process.cwd() });
} catch (error) {
  // runCli turns every error of a command into a message; this is a failure outside any command.
  io.err(`error: internal failure: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.PROMPTOPT_DEBUG && error instanceof Error && error.stack) io.err(error.stack);
  code = EXIT.internal;
}
// SDK keep-alive sockets must not hold the process open once the command is done, hence exit().
// But writes to a PIPE are asynchronous on POSIX: once the pipe buffer (64 KiB) is full the rest
// waits in memory, and exit() would drop it (a truncated `eval --json | jq`, with exit 0). So wait
// until everything written so far has been handed to the OS first.
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit(code);

function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableLength === 0) resolve();
    else stream.write('', () => resolve()); // called once the writes queued before it are done (or failed)
  });
}
