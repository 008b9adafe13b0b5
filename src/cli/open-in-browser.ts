/**
 * `report --open`: hands a file to the desktop's browser. `xdg-open` on Linux and other Unixes when a
 * display is there (DISPLAY or WAYLAND_DISPLAY), `open` on macOS, `start` on Windows. The opener is
 * spawned detached and never waited for: the command does not block on the browser, and an opener
 * that cannot be started only means the caller prints the path instead.
 */
import { spawn } from 'node:child_process';

export interface BrowserOpener {
  command: string;
  args: string[];
  /** Windows: the arguments go to cmd.exe as written (`start` needs its empty title quoted). */
  verbatim?: boolean;
}

/** How to open `path` on this platform, or why there is no way to. */
export function browserOpener(path: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): BrowserOpener | { none: string } {
  if (platform === 'darwin') return { command: 'open', args: [path] };
  if (platform === 'win32') return { command: 'cmd.exe', args: ['/d', '/s', '/c', `start "" "${path}"`], verbatim: true };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return { none: 'no desktop display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  return { command: 'xdg-open', args: [path] };
}

export type OpenResult = { opened: true; command: string } | { opened: false; reason: string };

/** Starts the opener; resolves as soon as it has started (or failed to), never after the browser. */
export function openInBrowser(path: string, options: { platform?: NodeJS.Platform; env: NodeJS.ProcessEnv }): Promise<OpenResult> {
  const opener = browserOpener(path, options.platform ?? process.platform, options.env);
  if ('none' in opener) return Promise.resolve({ opened: false, reason: opener.none });
  return new Promise((resolve) => {
    try {
      const child = spawn(opener.command, opener.args, {
        detached: true,
        stdio: 'ignore',
        env: options.env,
        windowsHide: true,
        windowsVerbatimArguments: opener.verbatim ?? false,
      });
      child.once('error', (error) => resolve({ opened: false, reason: `${opener.command} could not be started (${error.message})` }));
      child.once('spawn', () => {
        child.unref();
        resolve({ opened: true, command: opener.command });
      });
    } catch (error) {
      resolve({ opened: false, reason: `${opener.command} could not be started (${(error as Error).message})` });
    }
  });
}
