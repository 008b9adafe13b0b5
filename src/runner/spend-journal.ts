/**
 * The spend journal of an optimize run (`spend.jsonl` in its run folder): one JSON line per money
 * event, appended with a synchronous write, so what it says survives a kill -9 at any point.
 *
 *   reserve  a paid call was admitted by the budget: its id, cache key, role, model and reserved USD
 *   sent     its request is leaving for the provider (after any wait for a rate-limit slot)
 *   settle   its answer arrived: actual tokens and USD (written before the answer is cached)
 *   charge   it failed in a way the provider may still bill (aborted, an unusable 200, a timeout):
 *            counted at its reservation
 *   release  it failed without being billed (an error status, a refused connection)
 *   hit      a call served from the cache: replayed (this run paid for it earlier) or saved
 *
 * Both `reserve` and `sent` are written before the request leaves. When a run is resumed, the
 * journal is read back into the ledger. A call with no outcome was cut off by the kill: if its answer
 * made it into the cache, paid for by this run, it is settled from there; if it was sent, it is
 * charged at its reservation (the provider may have answered a dead socket and billed it); if it was
 * still queued, it is released. Either way an outcome line is appended, so the journal stays closed.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { CacheEntry } from './response-cache.js';
import { SpendLedger, type CallRole, type SpendLine } from './spend-ledger.js';

export type JournalRecord =
  | { t: 'reserve'; call: number; key: string; role: CallRole; provider: string; model: string; usd: number | null; at: string }
  | { t: 'sent'; call: number }
  | { t: 'settle'; call: number; in: number; out: number; usd: number | null }
  | { t: 'charge'; call: number; usd: number | null; reason: string }
  | { t: 'release'; call: number; reason: string }
  | { t: 'hit'; role: CallRole; model: string; replayed: boolean; usd: number | null };

type Reserve = Extract<JournalRecord, { t: 'reserve' }>;

export interface ReserveInput {
  key: string;
  role: CallRole;
  provider: string;
  model: string;
  /** The reserved USD; null when the model's price is unknown. */
  usd: number | null;
}

export class SpendJournal {
  private nextCall: number;

  private constructor(
    readonly path: string,
    private fd: number | undefined,
    private readonly records: JournalRecord[],
  ) {
    this.nextCall = 1 + records.reduce((max, r) => (r.t === 'reserve' ? Math.max(max, r.call) : max), 0);
  }

  /**
   * Opens (or creates) the journal at `path` for appending. Calls an earlier process left without an
   * outcome are closed out: settled from the cache when `lookup` finds their answer paid for by
   * `runId`, charged at their reservation otherwise.
   */
  static async open(path: string, options: { runId: string; lookup?: (key: string) => Promise<CacheEntry | undefined> }): Promise<SpendJournal> {
    const { records, endsWithNewline } = readJournal(path);
    const fd = openSync(path, 'a');
    if (!endsWithNewline) writeSync(fd, '\n'); // a line torn by a kill stays on its own line
    const journal = new SpendJournal(path, fd, records);
    for (const { reserve, sent } of unsettledCalls(records)) {
      const entry = await options.lookup?.(reserve.key);
      const paid = entry?.paidBy?.runId === options.runId ? entry : undefined;
      if (paid) {
        const usage = paid.response.usage;
        journal.append({ t: 'settle', call: reserve.call, in: usage.inputTokens, out: usage.outputTokens, usd: paid.paidBy!.costUsd });
      } else if (sent) {
        journal.append({ t: 'charge', call: reserve.call, usd: reserve.usd, reason: 'cut off: sent, no answer recorded before the process stopped' });
      } else {
        journal.append({ t: 'release', call: reserve.call, reason: 'never sent: queued when the process stopped' });
      }
    }
    return journal;
  }

  /** The ledger lines everything journaled so far adds up to. */
  ledgerLines(): SpendLine[] {
    return foldJournal(this.records);
  }

  /** Records a paid call about to be sent; returns its id. */
  reserve(input: ReserveInput): number {
    const call = this.nextCall++;
    this.append({ t: 'reserve', call, key: input.key, role: input.role, provider: input.provider, model: input.model, usd: input.usd, at: new Date().toISOString() });
    return call;
  }

  sent(call: number): void {
    this.append({ t: 'sent', call });
  }

  settle(call: number, usage: { inputTokens: number; outputTokens: number }, usd: number | null): void {
    this.append({ t: 'settle', call, in: usage.inputTokens, out: usage.outputTokens, usd });
  }

  charge(call: number, usd: number | null, reason: string): void {
    this.append({ t: 'charge', call, usd, reason });
  }

  release(call: number, reason: string): void {
    this.append({ t: 'release', call, reason });
  }

  hit(role: CallRole, model: string, replayed: boolean, usd: number | null): void {
    this.append({ t: 'hit', role, model, replayed, usd });
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private append(record: JournalRecord): void {
    if (this.fd === undefined) throw new Error(`spend journal ${this.path} is closed`);
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    this.records.push(record);
  }
}

/** The journal's records (unparseable lines, e.g. one torn by a kill, are skipped); none when absent. */
export function readJournal(path: string): { records: JournalRecord[]; endsWithNewline: boolean } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return { records: [], endsWithNewline: true };
    throw error;
  }
  const records: JournalRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const record = JSON.parse(line) as JournalRecord;
      if (record && typeof record === 'object' && typeof record.t === 'string') records.push(record);
    } catch {
      // torn or foreign line: skipped
    }
  }
  return { records, endsWithNewline: text === '' || text.endsWith('\n') };
}

/**
 * Ledger lines from journal records: settled calls at their actual cost, charged calls and sent calls
 * still without an outcome at their reservation, released or never-sent calls not at all, hits as
 * replayed or saved.
 */
export function foldJournal(records: JournalRecord[]): SpendLine[] {
  const ledger = new SpendLedger();
  const open = new Map<number, Reserve>();
  const sent = new Set<number>();
  for (const record of records) {
    if (record.t === 'reserve') {
      open.set(record.call, record);
      continue;
    }
    if (record.t === 'sent') {
      sent.add(record.call);
      continue;
    }
    if (record.t === 'hit') {
      ledger.recordHit(record.role, record.model, { replayed: record.replayed, costUsd: record.usd });
      continue;
    }
    const reserve = open.get(record.call);
    if (!reserve) continue;
    open.delete(record.call);
    if (record.t === 'settle') {
      ledger.recordPaid(reserve.role, reserve.model, { inputTokens: record.in, outputTokens: record.out, costUsd: record.usd });
    } else if (record.t === 'charge') {
      ledger.recordPaid(reserve.role, reserve.model, { inputTokens: 0, outputTokens: 0, costUsd: record.usd, atReservation: true });
    }
  }
  for (const reserve of open.values()) {
    if (!sent.has(reserve.call)) continue;
    ledger.recordPaid(reserve.role, reserve.model, { inputTokens: 0, outputTokens: 0, costUsd: reserve.usd, atReservation: true });
  }
  return ledger.snapshot();
}

/** Reserves with no settle, charge or release after them, and whether they were sent. */
function unsettledCalls(records: JournalRecord[]): { reserve: Reserve; sent: boolean }[] {
  const open = new Map<number, { reserve: Reserve; sent: boolean }>();
  for (const record of records) {
    if (record.t === 'reserve') open.set(record.call, { reserve: record, sent: false });
    else if (record.t === 'sent') {
      const call = open.get(record.call);
      if (call) call.sent = true;
    } else if (record.t !== 'hit') open.delete(record.call);
  }
  return [...open.values()];
}
