/**
 * The full check of a cache database, run in a child process so that damage LMDB meets while walking
 * (a SIGSEGV, a SIGBUS, an assertion's SIGABRT) kills the child, not the command. The child opens
 * the database read-only with the same `lmdb` package, reads every key and value (which touches
 * every branch, leaf and overflow page of the entries' tree), and compares the count it read with
 * the count the tree records: damaged leaf pages often end a walk early without any error.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

export type WalkMode =
  /** Every page of the tree (what a read can meet). */
  | 'structure'
  /** Also parse every value: an entry is JSON with its own key (for `cache verify`). */
  | 'values';

export type WalkResult =
  | { ok: true; entries: number; unreadable: number }
  | { ok: false; problem: string };

// CommonJS, run with `node -e`: argv is [node, lmdb entry, database folder, mode].
const CHILD = `
let walked = 0;
try {
  const { open } = require(process.argv[1]);
  const db = open({ path: process.argv[2], encoding: 'string', compression: false, readOnly: true });
  const values = process.argv[3] === 'values';
  const recorded = db.getStats().entryCount;
  let unreadable = 0, chars = 0;
  for (const { key, value } of db.getRange({})) {
    walked++;
    chars += value.length;
    if (values) {
      try { if (JSON.parse(value).key !== key) unreadable++; } catch { unreadable++; }
    }
  }
  process.stdout.write(JSON.stringify({ recorded, walked, unreadable, chars }));
} catch (error) {
  process.stdout.write(JSON.stringify({ error: String(error && error.message || error), walked }));
}
`;

/** Generous: a healthy 100,000-entry (60 MB) cache walks in under a second. */
function timeoutFor(bytes: number): number {
  return 30_000 + Math.ceil(bytes / 10_000_000) * 2_000;
}

export async function walkCacheEntries(databaseDir: string, mode: WalkMode, dataBytes: number): Promise<WalkResult> {
  const lmdbEntry = createRequire(import.meta.url).resolve('lmdb');
  const timeoutMs = timeoutFor(dataBytes);
  return new Promise((resolve) => {
    // No environment: the child needs none, and API keys stay in this process.
    const child = spawn(process.execPath, ['-e', CHILD, lmdbEntry, databaseDir, mode], { env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, problem: `the check could not start: ${error.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return resolve({ ok: false, problem: `reading every entry did not finish within ${timeoutMs / 1000} s` });
      if (signal) return resolve({ ok: false, problem: `reading every entry crashed LMDB (${signal}${lastLine(err) ? `: ${lastLine(err)}` : ''})` });
      if (code !== 0) return resolve({ ok: false, problem: `reading every entry failed: ${lastLine(err) || `exit ${code}`}` });
      resolve(judge(Buffer.concat(out).toString('utf8')));
    });
  });
}

function judge(output: string): WalkResult {
  let report: { recorded: number; walked: number; unreadable: number; error?: string };
  try {
    report = JSON.parse(output) as typeof report;
  } catch {
    return { ok: false, problem: 'the check printed no result' };
  }
  if (report.error !== undefined) return { ok: false, problem: `LMDB failed after reading ${report.walked} entries: ${report.error}` };
  if (report.walked !== report.recorded) {
    return { ok: false, problem: `the database records ${report.recorded} entries but only ${report.walked} could be read` };
  }
  return { ok: true, entries: report.walked, unreadable: report.unreadable };
}

/** The most telling line of the child's stderr (LMDB's assertion or the error thrown), shortened. */
function lastLine(chunks: Buffer[]): string {
  const lines = Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('at ') && !l.startsWith('Node.js v') && l !== '^');
  const telling = lines.find((l) => /MDB_|Assertion|^\w*Error/.test(l)) ?? lines.at(-1) ?? '';
  return telling.length > 200 ? `${telling.slice(0, 200)}…` : telling;
}
