import type { Io } from '../terminal.js';

/** What every command definition gets: where to print, and the signal that Ctrl-C aborts. */
export interface CommandEnv {
  io: Io;
  signal: AbortSignal;
}
