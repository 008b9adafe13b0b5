/**
 * The on-disk response cache, an LMDB database (the `lmdb` package) in the cache folder. LMDB is
 * transactional and copy-on-write: concurrent processes can read and write the same cache, and a
 * process killed mid-write leaves the last committed state, never a corrupt entry. A put resolves
 * once its transaction is committed, so a call the runner counts as done is on disk. Reads are
 * memory-mapped: 2,000 cached results load in milliseconds.
 *
 * The database is opened on first use, so a command that fails validation, or runs with --no-cache,
 * never creates the folder.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RootDatabase } from 'lmdb';
import type { ChatResponse } from '../providers/types.js';
import type { CallRole } from './spend-ledger.js';

/**
 * Who paid for an entry: an optimize run (its id), an eval, a compare (or a program using the
 * library); the role of the call, what it cost, and when it was written. A hit on an entry its own
 * run paid for is a replay (no new spend, already counted); any other hit is money saved.
 */
export interface PaidBy {
  by: 'optimize' | 'eval' | 'compare' | 'library';
  runId?: string;
  role: CallRole;
  costUsd: number | null;
  at: string;
}

/** What is stored per entry: the response as the model returned it, the key it answers, who paid. */
interface StoredResponse {
  key: string;
  text: string;
  usage: ChatResponse['usage'];
  latencyMs: number;
  costUsd: number | null;
  model: string;
  finishReason?: string;
  /** Absent in entries written before it was recorded. */
  paidBy?: PaidBy;
}

/** A cache hit: the response, and who paid for it when known. */
export interface CacheEntry {
  response: ChatResponse;
  paidBy?: PaidBy;
}

export interface CacheStats {
  dir: string;
  entries: number;
  bytes: number;
}

const DATABASE_FOLDER = 'responses-v1';

export class ResponseCache {
  #db: Promise<RootDatabase<string, string>> | undefined;
  /** Whether the database existed when first asked (checked once; a put opens it anyway). */
  #existed: Promise<boolean> | undefined;

  /** Applied to an entry's text before it is stored: keeps known API keys (a model echoing one) off disk. */
  readonly #scrub: (text: string) => string;

  constructor(
    readonly dir: string,
    options: { scrub?: (text: string) => string } = {},
  ) {
    this.#scrub = options.scrub ?? ((text) => text);
  }

  async get(key: string): Promise<ChatResponse | undefined> {
    return (await this.lookup(key))?.response;
  }

  /** The entry for `key` with who paid for it; undefined on a miss. */
  async lookup(key: string): Promise<CacheEntry | undefined> {
    if (!(await this.#exists())) return undefined; // reading never creates the database
    const raw = (await this.#open()).get(key);
    if (raw === undefined) return undefined;
    const stored = parse(raw, key);
    if (!stored) return undefined;
    const { key: _key, paidBy, ...response } = stored;
    return { response: { ...response, cached: true }, ...(paidBy ? { paidBy } : {}) };
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async put(key: string, response: ChatResponse, paidBy?: PaidBy): Promise<void> {
    const stored: StoredResponse = {
      key,
      text: this.#scrub(response.text),
      usage: response.usage,
      latencyMs: response.latencyMs,
      costUsd: response.costUsd,
      model: response.model,
      ...(response.finishReason !== undefined ? { finishReason: response.finishReason } : {}),
      ...(paidBy ? { paidBy } : {}),
    };
    await (await this.#open()).put(key, JSON.stringify(stored));
  }

  /** Every key with an entry. */
  async keys(): Promise<string[]> {
    if (!(await this.#exists())) return [];
    return [...(await this.#open()).getKeys()];
  }

  async stats(): Promise<CacheStats> {
    const entries = (await this.#exists()) ? (await this.#open()).getCount() : 0;
    return { dir: this.dir, entries, bytes: await folderSize(this.dir) };
  }

  /** Removes every entry; returns how many there were. */
  async clear(): Promise<number> {
    if (!(await this.#exists())) return 0;
    const db = await this.#open();
    const entries = db.getCount();
    await db.clearAsync();
    return entries;
  }

  async close(): Promise<void> {
    if (!this.#db) return;
    await (await this.#db).close();
    this.#db = undefined;
    this.#existed = Promise.resolve(true);
  }

  #open(): Promise<RootDatabase<string, string>> {
    this.#db ??= import('lmdb').then(({ open }) =>
      open<string, string>({ path: join(this.dir, DATABASE_FOLDER), encoding: 'string', compression: false }),
    );
    return this.#db;
  }

  async #exists(): Promise<boolean> {
    if (this.#db) return true;
    this.#existed ??= readdir(this.dir).then(
      (names) => names.includes(DATABASE_FOLDER),
      () => false,
    );
    return this.#existed;
  }
}

function parse(raw: string, key: string): StoredResponse | undefined {
  try {
    const stored = JSON.parse(raw) as StoredResponse;
    return typeof stored.text === 'string' && stored.key === key ? stored : undefined;
  } catch {
    return undefined;
  }
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
