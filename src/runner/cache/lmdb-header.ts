/**
 * Reads the two meta pages at the start of an LMDB `data.mdb` (the format of the `lmdb` package's
 * bundled LMDB, data version 2, 64-bit little-endian) from plain bytes, without mapping the file:
 * mapping a file shorter than its header promises is a SIGBUS, and a garbage header a SIGSEGV.
 *
 * Page layout: a 24-byte page header (page number, txn id, pad, flags, lower, upper), then the meta:
 * magic, version, fixed address, map size, the free-pages and main trees (48 bytes each: page size
 * in the first one's pad, flags, depth, branch/leaf/overflow page counts, entries, root page), the
 * last page number and the txn id that wrote it. LMDB uses the meta page with the higher txn id.
 */

export const LMDB_MAGIC = 0xbeefc0de;
export const LMDB_DATA_VERSION = 2;
/** Enough bytes to hold both meta pages at the largest page size LMDB uses. */
export const LMDB_HEADER_BYTES = 2 * 65_536;

const PAGE_HEADER = 24;
const P_META = 0x08;
const P_INVALID = 0xffff_ffff_ffff_ffffn;
const DB_SIZE = 48;

export interface LmdbTree {
  depth: number;
  pages: number;
  entries: number;
  /** Root page number; null for an empty tree. */
  root: number | null;
}

export interface LmdbMeta {
  pageSize: number;
  mapSize: number;
  lastPage: number;
  txnId: number;
  free: LmdbTree;
  main: LmdbTree;
}

export interface LmdbHeader {
  pageSize: number;
  /** The meta page LMDB will use (the higher txn id). */
  meta: LmdbMeta;
  /** Bytes the file must have for that meta page's last page to exist. */
  requiredBytes: number;
}

export type HeaderReading = { ok: true; header: LmdbHeader } | { ok: false; problem: string };

/** Checks the header in `bytes` (the file's first bytes) against the file's real size. */
export function readLmdbHeader(bytes: Buffer, fileSize: number): HeaderReading {
  if (fileSize < 2 * 512 || bytes.length < PAGE_HEADER + 168) {
    return { ok: false, problem: `data.mdb is ${fileSize} bytes, too short to hold LMDB's two header pages (truncated)` };
  }
  const first = readMeta(bytes, 0, 0);
  if (typeof first === 'string') return { ok: false, problem: `header page 0: ${first}` };
  const pageSize = first.pageSize;
  if (fileSize < 2 * pageSize || bytes.length < pageSize + PAGE_HEADER + 168) {
    return { ok: false, problem: `data.mdb is ${fileSize} bytes, shorter than its two ${pageSize}-byte header pages (truncated)` };
  }
  const second = readMeta(bytes, pageSize, 1);
  if (typeof second === 'string') return { ok: false, problem: `header page 1: ${second}` };
  if (second.pageSize !== pageSize) {
    return { ok: false, problem: `the header pages disagree on the page size (${pageSize} and ${second.pageSize})` };
  }
  const meta = second.txnId > first.txnId ? second : first;
  const requiredBytes = (meta.lastPage + 1) * pageSize;
  if (fileSize < requiredBytes) {
    return {
      ok: false,
      problem: `data.mdb is ${fileSize} bytes but its header says it holds ${meta.lastPage + 1} pages (${requiredBytes} bytes): truncated`,
    };
  }
  if (meta.mapSize < requiredBytes) {
    return { ok: false, problem: `the header's map size (${meta.mapSize}) is smaller than the data (${requiredBytes} bytes)` };
  }
  for (const [name, tree] of [['main', meta.main], ['free-page', meta.free]] as const) {
    if (tree.root !== null && (tree.root < 2 || tree.root > meta.lastPage)) {
      return { ok: false, problem: `the ${name} tree's root page ${tree.root} is outside the file (pages 2–${meta.lastPage})` };
    }
    if (tree.root === null && tree.entries !== 0) return { ok: false, problem: `the ${name} tree has no root but ${tree.entries} entries` };
    if (tree.pages > meta.lastPage) return { ok: false, problem: `the ${name} tree counts ${tree.pages} pages in a ${meta.lastPage + 1}-page file` };
  }
  return { ok: true, header: { pageSize, meta, requiredBytes } };
}

/** The meta at `offset`, or what is wrong with it. */
function readMeta(bytes: Buffer, offset: number, pageNumber: number): LmdbMeta | string {
  const flags = bytes.readUInt16LE(offset + 18);
  const m = offset + PAGE_HEADER;
  const magic = bytes.readUInt32LE(m);
  if (magic !== LMDB_MAGIC) {
    return magic === 0 && bytes.subarray(offset, offset + 512).every((b) => b === 0)
      ? 'zeroed (no LMDB header)'
      : `not an LMDB header (magic 0x${magic.toString(16)}, expected 0x${LMDB_MAGIC.toString(16)})`;
  }
  if (!(flags & P_META)) return `not marked as a header page (flags 0x${flags.toString(16)})`;
  const storedPage = bytes.readBigUInt64LE(offset);
  if (storedPage !== BigInt(pageNumber)) return `says it is page ${storedPage}`;
  const version = bytes.readUInt32LE(m + 4) & 0xffff;
  if (version !== LMDB_DATA_VERSION) return `LMDB data version ${version}, expected ${LMDB_DATA_VERSION}`;
  const free = readTree(bytes, m + 24);
  const pageSize = bytes.readUInt32LE(m + 24);
  if (pageSize < 512 || pageSize > 65_536 || (pageSize & (pageSize - 1)) !== 0) return `implausible page size ${pageSize}`;
  const lastPage = safeNumber(bytes.readBigUInt64LE(m + 24 + 2 * DB_SIZE));
  const txnId = safeNumber(bytes.readBigUInt64LE(m + 24 + 2 * DB_SIZE + 8));
  const mapSize = safeNumber(bytes.readBigUInt64LE(m + 16));
  const main = readTree(bytes, m + 24 + DB_SIZE);
  if (lastPage === undefined || txnId === undefined || mapSize === undefined || !free || !main) return 'implausible numbers (garbage)';
  if (lastPage < 1) return `last page ${lastPage} (at least 1 expected)`;
  return { pageSize, mapSize, lastPage, txnId, free, main };
}

function readTree(bytes: Buffer, at: number): LmdbTree | undefined {
  const depth = bytes.readUInt16LE(at + 6);
  const counts = [8, 16, 24].map((o) => safeNumber(bytes.readBigUInt64LE(at + o)));
  const entries = safeNumber(bytes.readBigUInt64LE(at + 32));
  const rawRoot = bytes.readBigUInt64LE(at + 40);
  const root = rawRoot === P_INVALID ? null : safeNumber(rawRoot);
  if (counts.some((c) => c === undefined) || entries === undefined || root === undefined || depth > 64) return undefined;
  return { depth, pages: counts.reduce<number>((a, b) => a + b!, 0), entries, root };
}

/** Numbers above 2^48 cannot be real here (a 256 TiB file): garbage. */
function safeNumber(value: bigint): number | undefined {
  return value < 2n ** 48n ? Number(value) : undefined;
}
