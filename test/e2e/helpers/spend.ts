/**
 * Money as the fake server counts it, and runs killed with kill -9 at chosen points, for the tests
 * that hold promptopt's spend accounting to the server's.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { costOf } from '../../../src/providers/prices.js';
import type { ModelPrice } from '../../../src/providers/types.js';
import type { FakeLlmServer } from '../../support/fake-llm-server.js';
import { optimizeDetached, runDirs, waitFor, type OptimizeWorld } from './optimize-harness.js';

/** Spec prices ({ input_per_mtok, output_per_mtok }) per model id. */
export type SpecPrices = Record<string, { input_per_mtok: number; output_per_mtok: number }>;

function priceOf(prices: SpecPrices, model: string | undefined): ModelPrice {
  const p = prices[model ?? ''];
  if (!p) throw new Error(`no price for model ${model}`);
  return { inputPerMTok: p.input_per_mtok, outputPerMTok: p.output_per_mtok };
}

/** The USD of one server request at promptopt's prices (0 when the server billed nothing). */
export function serverCostOf(request: FakeLlmServer['requests'][number], prices: SpecPrices): number {
  return request.usage ? costOf(priceOf(prices, request.model), request.usage.inputTokens, request.usage.outputTokens)! : 0;
}

/** What the server billed: every request answered with usage, at promptopt's prices. */
export function serverCost(server: FakeLlmServer, prices: SpecPrices): number {
  return server.requests.reduce((sum, r) => sum + serverCostOf(r, prices), 0);
}

export interface JournalLine {
  t: 'reserve' | 'settle' | 'charge' | 'release' | 'hit';
  call?: number;
  role?: string;
  model?: string;
  usd?: number | null;
  reason?: string;
  replayed?: boolean;
}

/** The spend journal of the only run in `dir`. */
export async function readSpendJournal(dir: string): Promise<JournalLine[]> {
  const [run] = await runDirs(dir);
  if (!run) throw new Error('no run folder');
  const text = await readFile(join(run, 'spend.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as JournalLine);
}

/** The reserve record of every charged call (counted at its reservation). */
export function chargedCalls(journal: JournalLine[]): { reserve: JournalLine; charge: JournalLine }[] {
  const reserves = new Map(journal.filter((l) => l.t === 'reserve').map((l) => [l.call, l]));
  return journal.filter((l) => l.t === 'charge').map((charge) => ({ reserve: reserves.get(charge.call)!, charge }));
}

export interface Kill {
  /** 0-based index of the server request (in arrival order) held while the process is killed. */
  atRequest: number;
  /** The server request that was in flight, its cost as the server counts it. */
  heldModel: string;
  heldServerUsd: number;
}

/**
 * Runs `optimize` (the built CLI) and kills it with SIGKILL when the server receives request number
 * `at` (held unanswered until the process is dead, then answered to the dead socket, as a provider
 * would: it is billed), once per entry of `killAt`; each run after the first is `--resume latest`.
 */
export async function runWithKills(world: OptimizeWorld, dir: string, args: string[], killAt: number[], prices: SpecPrices): Promise<Kill[]> {
  const kills: Kill[] = [];
  for (const [i, at] of killAt.entries()) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    world.setHold(() => {
      if (world.arrived.length - 1 !== at) return undefined;
      reached();
      return gate;
    });
    const run = optimizeDetached(world, dir, i === 0 ? args : [...args, '--resume', 'latest']);
    const outcome = await Promise.race([atGate.then(() => 'held' as const), run.done.then(() => 'ended' as const)]);
    if (outcome === 'ended') throw new Error(`the run ended before request ${at} (kill ${i + 1}): ${(await run.done).stderr}`);
    run.child.kill('SIGKILL');
    const killed = await run.done;
    if (killed.signal !== 'SIGKILL') throw new Error(`run ${i + 1} was not killed: ${killed.stderr}`);
    world.setHold(undefined);
    release();
    const held = world.server.requests[at]!;
    await waitFor(() => (held.status !== 0 ? true : undefined)); // answered to the dead socket
    kills.push({ atRequest: at, heldModel: held.model!, heldServerUsd: serverCostOf(held, prices) });
  }
  return kills;
}

/** `count` distinct request indices in [from, to), sorted, drawn with a seeded generator. */
export function killPoints(random: () => number, count: number, from: number, to: number): number[] {
  const picked = new Set<number>();
  while (picked.size < count) picked.add(from + Math.floor(random() * (to - from)));
  return [...picked].sort((a, b) => a - b);
}
