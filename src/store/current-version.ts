/**
 * Which version is the current one. `promote` and `rollback` events in history.jsonl (with `from`
 * and `to`) are replayed into a chain of current versions, oldest first: a promote pushes its
 * target, a rollback returns to an earlier link of the chain (or pushes its target when it is not
 * in it). The prompt on disk has the last word: `versionOnDisk` says which version its text is.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readHistory, type HistoryEvent } from './history.js';
import { parse } from 'yaml';
import { isNotFound, listVersions } from './list-versions.js';

export const PROMOTE_EVENT = 'promote';
export const ROLLBACK_EVENT = 'rollback';
export type PointerEventName = typeof PROMOTE_EVENT | typeof ROLLBACK_EVENT;

/** One promote or rollback, as recorded. `from` is null when the prompt matched no version (forced). */
export interface PointerEvent {
  at: string;
  event: PointerEventName;
  from: number | null;
  to: number;
}

/** The promote and rollback events of a history, oldest first; malformed ones are skipped. */
export function pointerEvents(events: readonly HistoryEvent[]): PointerEvent[] {
  return events.flatMap((e): PointerEvent[] => {
    if (e.event !== PROMOTE_EVENT && e.event !== ROLLBACK_EVENT) return [];
    const to = versionNumber(e.fields.to) ?? versionNumber(e.version);
    if (to === undefined) return [];
    return [{ at: e.at, event: e.event, from: versionNumber(e.fields.from) ?? null, to }];
  });
}

/** The chain of current versions, oldest first; its last element is the current pointer. */
export function currentChain(events: readonly HistoryEvent[]): number[] {
  const chain: number[] = [];
  for (const e of pointerEvents(events)) {
    if (e.from !== null && chain.at(-1) !== e.from) chain.push(e.from);
    if (e.event === ROLLBACK_EVENT) {
      const earlier = chain.lastIndexOf(e.to, chain.length - 2);
      if (earlier >= 0) {
        chain.length = earlier + 1;
        continue;
      }
    }
    if (chain.at(-1) !== e.to) chain.push(e.to);
  }
  return chain;
}

/**
 * Where a rollback without a version goes: the link before the current one. `onDisk` is the version
 * the prompt file holds now; when it is not the pointer (the file was reverted by hand), the pointer
 * itself is the previous current version.
 */
export function rollbackTarget(chain: readonly number[], onDisk: number | null): number | undefined {
  const links = onDisk !== null && chain.at(-1) !== onDisk ? [...chain, onDisk] : chain;
  return links.at(-2);
}

export async function readCurrentChain(dir: string): Promise<number[]> {
  return currentChain(await readHistory(dir));
}

/**
 * The version whose text is exactly `text` (the prompt on disk): `prefer` when it matches (the
 * current pointer), else the lowest matching version, else null (hand edits that match no version).
 * Compares the version files themselves, so a version edited after it was written still matches.
 */
export async function versionOnDisk(dir: string, text: string, prefer?: number): Promise<number | null> {
  const metas = await listVersions(dir);
  const ordered = prefer === undefined ? metas : [...metas.filter((m) => m.version === prefer), ...metas.filter((m) => m.version !== prefer)];
  const asMessages = lazyMessages(text);
  for (const meta of ordered) {
    const versionText = await readFile(join(dir, meta.promptFile), 'utf8').catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    if (versionText !== undefined && sameVersionText(versionText, text, meta.promptFile, asMessages)) return meta.version;
  }
  return null;
}

function versionNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * Whether a version file holds `text`: the same characters, or for a chat prompt's version (`.yaml`,
 * `.json`) the same messages, since an inline chat prompt reads back laid out as the spec writes it.
 */
function sameVersionText(versionText: string, text: string, promptFile: string, messagesOfText: () => string | undefined): boolean {
  if (versionText === text) return true;
  if (!/\.(ya?ml|json)$/.test(promptFile)) return false;
  const mine = messagesOfText();
  return mine !== undefined && asMessageList(versionText) === mine;
}

/** `text` as a message list's JSON, parsed once when first asked; undefined when it is not a list. */
function lazyMessages(text: string): () => string | undefined {
  let parsed: { value: string | undefined } | undefined;
  return () => (parsed ??= { value: asMessageList(text) }).value;
}

function asMessageList(text: string): string | undefined {
  try {
    const value: unknown = parse(text);
    return Array.isArray(value) ? JSON.stringify(value) : undefined;
  } catch {
    return undefined;
  }
}
