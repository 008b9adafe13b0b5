/**
 * The caches this process has open, so the CLI can close them when a command ends (closing writes
 * the clean-close stamp that lets the next command skip the full check). Kept apart so the CLI entry
 * can import it without loading the cache itself.
 */
const open = new Set<{ close(): Promise<void> }>();

export function trackOpenCache(cache: { close(): Promise<void> }): void {
  open.add(cache);
}

export function untrackOpenCache(cache: { close(): Promise<void> }): void {
  open.delete(cache);
}

/** Closes every cache still open; a failure to close one is not the command's failure. */
export async function closeOpenCaches(): Promise<void> {
  const caches = [...open];
  open.clear();
  await Promise.all(caches.map((cache) => cache.close().catch(() => undefined)));
}
