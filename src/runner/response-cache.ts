/**
 * The on-disk response cache, an LMDB database (the `lmdb` package) in the cache folder. LMDB is
 * transactional and copy-on-write: concurrent processes can read and write the same cache, and a
 * process killed mid-write leaves the last committed state, never a corrupt entry. A put resolves
 * once its transaction is committed, so a call the runner counts as done is on disk. Reads are
 * memory-mapped: 2,000 cached results load in milliseconds.
 *
 * Mapping a damaged file can crash the process natively (SIGBUS, SIGSEGV), so the database is
 * opened through cache/guarded-database.ts: checked first, moved aside with one warning when
 * damaged, replaced by a fresh one. The database is opened on first use, so a command that fails
 * validation, or runs with --no-cache, never creates the folder.
 */
import type { ChatResponse } from '../providers/types.js';
import { GuardedDatabase } from './cache/guarded-database.js';
import { listAsideCopies, sizeOf } from './cache/move-aside.js';
import { clearCache } from './cache/clear-cache.js';
import { claimCall, IN_FLIGHT_PREFIX } from './cache/in-flight.js';
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
  /** Damaged copies moved aside (`<dir>.damaged-<time>`), which `cache clear` deletes. */
  damagedCopies: string[];
}

export interface ResponseCacheOptions {
  /** Where the one warning about a damaged cache goes (default: stderr). */
  warn?: (message: string) => void;
  /** Applied to an entry's text before it is stored: keeps known API keys (a model echoing one) off disk. */
  scrub?: (text: string) => string;
}

export class ResponseCache {
  readonly #db: GuardedDatabase;
  readonly #scrub: (text: string) => string;

  constructor(
    readonly dir: string,
    options: ResponseCacheOptions = {},
  ) {
    this.#db = new GuardedDatabase(dir, options.warn ?? ((message) => void process.stderr.write(`${message}\n`)));
    this.#scrub = options.scrub ?? ((text) => text);
  }

  async get(key: string): Promise<ChatResponse | undefined> {
    return (await this.lookup(key))?.response;
  }

  /** The entry for `key` with who paid for it; undefined on a miss. */
  async lookup(key: string): Promise<CacheEntry | undefined> {
    const raw = await this.#db.read((db) => db.get(key)); // reading never creates the database
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
    await this.#db.write((db) => db.put(key, JSON.stringify(stored)));
  }

  /**
   * Announces a paid call for `key` to the other processes sharing this cache. While one of them is
   * making the same call this waits for it, and `landed` is the entry it stored. Otherwise call
   * `release` once the response is stored or the call failed. Never throws: when the call cannot be
   * announced, it is simply made.
   */
  async claim(key: string, signal?: AbortSignal): Promise<{ landed?: CacheEntry; release: () => Promise<void> }> {
    const none = { release: async () => {} };
    const claim = await claimCall(this.#db, key, signal).catch(() => undefined);
    if (!claim) return none;
    if ('release' in claim) return { release: () => claim.release().catch(() => undefined) };
    const landed = await this.lookup(key);
    return landed ? { ...none, landed } : none;
  }

  /** Every key with an entry. */
  async keys(): Promise<string[]> {
    return (await this.#db.read((db) => [...db.getKeys()].filter((key) => !key.startsWith(IN_FLIGHT_PREFIX)))) ?? [];
  }

  async stats(): Promise<CacheStats> {
    const entries =
      (await this.#db.read((db) => (db.getStats() as { entryCount: number }).entryCount - db.getKeysCount({ start: IN_FLIGHT_PREFIX, end: `${IN_FLIGHT_PREFIX}\uffff` }))) ?? 0;
    return { dir: this.dir, entries, bytes: await sizeOf(this.dir), damagedCopies: await listAsideCopies(this.dir) };
  }

  /** Deletes every entry (and damaged copies), whatever state the files are in; returns how many entries there were. */
  async clear(): Promise<number> {
    await this.#db.close();
    return (await clearCache(this.dir)).entries ?? 0;
  }

  /** Closes the database and records that it was closed cleanly, so the next open skips the full check. */
  async close(): Promise<void> {
    await this.#db.close();
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
