/**
 * The on-disk response cache. Built on cacache (npm's own cache): content-addressed, integrity-checked
 * entries written to a temp file and moved into place, so concurrent writers and a process killed
 * mid-write never leave a corrupt entry (a torn index line fails its checksum and reads as a miss).
 */
import cacache from 'cacache';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChatResponse } from '../providers/types.js';

/** What is stored per entry: the response as the model returned it. */
interface StoredResponse {
  text: string;
  usage: ChatResponse['usage'];
  latencyMs: number;
  costUsd: number | null;
  model: string;
  finishReason?: string;
}

export interface CacheStats {
  dir: string;
  entries: number;
  bytes: number;
}

export class ResponseCache {
  constructor(readonly dir: string) {}

  async get(key: string): Promise<ChatResponse | undefined> {
    let data: Buffer;
    try {
      ({ data } = await cacache.get(this.dir, key));
    } catch (error) {
      if (isMiss(error)) return undefined;
      throw error;
    }
    try {
      const stored = JSON.parse(data.toString('utf8')) as StoredResponse;
      return { ...stored, cached: true };
    } catch {
      return undefined; // unreadable entry: treat as a miss, it is overwritten on the next put
    }
  }

  async has(key: string): Promise<boolean> {
    return (await cacache.get.info(this.dir, key)) != null;
  }

  async put(key: string, response: ChatResponse): Promise<void> {
    const stored: StoredResponse = {
      text: response.text,
      usage: response.usage,
      latencyMs: response.latencyMs,
      costUsd: response.costUsd,
      model: response.model,
      finishReason: response.finishReason,
    };
    await cacache.put(this.dir, key, JSON.stringify(stored));
  }

  async stats(): Promise<CacheStats> {
    const entries = Object.keys(await cacache.ls(this.dir).catch(() => ({}))).length;
    return { dir: this.dir, entries, bytes: await folderSize(this.dir) };
  }

  async clear(): Promise<number> {
    const { entries } = await this.stats();
    await cacache.rm.all(this.dir);
    return entries;
  }
}

function isMiss(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTCACHED' || code === 'EINTEGRITY';
}

async function folderSize(dir: string): Promise<number> {
  let total = 0;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const path = join(dir, name);
    const info = await stat(path);
    total += info.isDirectory() ? await folderSize(path) : info.size;
  }
  return total;
}
