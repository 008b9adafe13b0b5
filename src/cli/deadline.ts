/**
 * `--deadline <duration>`: a per-run time limit. When it passes, the run stops the way Ctrl-C stops
 * it (no new call starts, calls in flight are cancelled, optimize writes its checkpoint), but the
 * command ends with DeadlineExceededError: exit 3, "could not be scored in time", not 130.
 */
import { setMaxListeners } from 'node:events';
import { DeadlineExceededError, InterruptedError, UsageError } from '../errors.js';
import { IncompleteEvalError } from '../runner/run-eval.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `90s`, `15m`, `1.5h`, `500ms`; a bare number is seconds. */
export function parseDuration(flag: string, value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  const ms = match ? Number(match[1]) * UNITS[match[2] ?? 's']! : NaN;
  if (!Number.isFinite(ms) || ms <= 0) throw new UsageError(`${flag} must be a duration such as 90s, 15m or 2h (got "${value}")`);
  return ms;
}

export interface Deadline {
  /** Aborted by the command's own signal (Ctrl-C, SIGTERM) or when the deadline passes. */
  signal: AbortSignal;
  /** True once the deadline has passed (and not because of Ctrl-C). */
  readonly reached: boolean;
  /** Turns an interruption caused by the deadline into DeadlineExceededError; anything else passes. */
  explain(error: unknown, what: string, hint?: string): unknown;
  /** Stops the timer. */
  clear(): void;
}

/** A deadline `flag` (its text, for messages) from now; without one, the command's signal as it is. */
export function startDeadline(parent: AbortSignal, flag: string | undefined): Deadline {
  if (flag === undefined) return { signal: parent, reached: false, explain: (error) => error, clear: () => {} };
  const ms = parseDuration('--deadline', flag);
  const controller = new AbortController();
  setMaxListeners(0, controller.signal); // every request in flight listens to it
  let reached = false;
  const onParent = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onParent, { once: true });
  if (parent.aborted) onParent();
  const timer = setTimeout(() => {
    reached = !parent.aborted;
    controller.abort('DEADLINE');
  }, ms);
  timer.unref(); // never what keeps a finished command's process alive
  return {
    signal: controller.signal,
    get reached() {
      return reached;
    },
    explain(error, what, hint) {
      const cause = error instanceof IncompleteEvalError ? error.cause : error;
      if (!reached || !(cause instanceof InterruptedError)) return error;
      return new DeadlineExceededError(`--deadline ${flag.trim()} reached: ${what}`, hint);
    },
    clear() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onParent);
    },
  };
}
