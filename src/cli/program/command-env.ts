import type { Invocation } from '../invocation.js';
import type { Io } from '../terminal.js';

/**
 * What every command gets from its caller (the process entry in main.ts, or runCli in-process):
 * where to print, the signal that Ctrl-C / SIGTERM aborts, and the environment to read keys,
 * base URLs and CI variables from (never process.env directly, so an in-process run is isolated).
 */
export interface CommandEnv {
  io: Io;
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  /**
   * --trust-spec: the spec may read files outside its project and send keys to any base_url. Off by
   * default, because a spec may be written by someone else (a pull request).
   */
  trustSpec?: boolean;
  /** How this promptopt was started: every command a hint prints is rendered with it (see invocation.ts). */
  invocation: Invocation;
}

/** What a command definition gets: the command's environment, and where its exit code goes. */
export interface ProgramEnv extends CommandEnv {
  setExitCode(code: number): void;
}
