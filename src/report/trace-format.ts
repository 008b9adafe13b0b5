/**
 * The lines of `trace.jsonl` (format 2) and the pure encoding of a call's texts into them.
 *
 * A run sends the same long texts again and again (the prompt under test, rendered once per case,
 * differs only where the case's variables go), so a text is stored once, as a `prompt` line with its
 * hash, and calls refer to it: `{ref}` for the same text, `{ref, head, tail, middle}` for a text
 * that keeps the first `head` and last `tail` characters of the stored one with `middle` between.
 * Short texts stay inline. Every line is a JSON object with a `type`:
 *
 *   {"type":"session","format":2,"mode":"full","at":"…"}           once per writer (a resume adds one)
 *   {"type":"prompt","hash":"…","text":"…"}                          before the first call that refers to it
 *   {"type":"call", …TraceEntry, "request":{"system":Text,"messages":[{"role","content":Text}],…}}
 *
 * where Text is a string or a reference. With `--trace calls` the request keeps only its `hash`
 * (of the full texts), `temperature` and `max_tokens`. Lines without `type` are format 1 (one full
 * TraceEntry per line), which the reader still accepts.
 */
import { sha256 } from '../util/hash.js';
import type { ChatMessage } from '../providers/types.js';
import type { TraceEntry } from './trace-entry.js';

export const TRACE_FORMAT = 2;

export type TraceMode = 'full' | 'calls' | 'off';
export const TRACE_MODES: readonly TraceMode[] = ['full', 'calls', 'off'];

/** A text stored in a `prompt` line, in whole or with its middle replaced. */
export interface TextRef {
  ref: string;
  head?: number;
  tail?: number;
  middle?: string;
}
export type TraceText = string | TextRef;

export interface SessionLine {
  type: 'session';
  format: typeof TRACE_FORMAT;
  mode: Exclude<TraceMode, 'off'>;
  at: string;
}

export interface PromptLine {
  type: 'prompt';
  hash: string;
  text: string;
}

export interface CallLine extends Omit<TraceEntry, 'request'> {
  type: 'call';
  request: {
    system?: TraceText;
    messages?: { role: ChatMessage['role']; content: TraceText }[];
    /** `--trace calls`: a digest of the request's texts instead of the texts. */
    hash?: string;
    temperature?: number;
    max_tokens: number;
    response_format?: TraceEntry['request']['response_format'];
  };
}

export type TraceLine = SessionLine | PromptLine | CallLine;

/** Texts shorter than this are written inline. */
const INLINE_BELOW = 256;
/** Stored texts compared against, per kind of text (most recently used first). */
const RECENT_BASES = 8;
/** Middles remembered per stored text, to notice a new template (see `text`). */
const RECENT_MIDDLES = 4;
/** Shortest block that two middles must share before it is stored as a text of its own. */
const SHARED_BLOCK = 64;

interface Base {
  hash: string;
  text: string;
  /** The middles of the last references to it. */
  middles: string[];
}

/**
 * Turns calls into lines, remembering which texts it has stored. One per writer session: a resumed
 * run starts a new session, which stores its texts again.
 */
export class TraceEncoder {
  private readonly stored = new Set<string>();
  private readonly recent = new Map<string, Base[]>();

  constructor(readonly mode: Exclude<TraceMode, 'off'>) {}

  /** The lines for one call: new `prompt` lines first, then the `call` line. */
  encode(entry: TraceEntry): TraceLine[] {
    const { request, ...rest } = entry;
    if (this.mode === 'calls') {
      const hash = requestDigest(request.system, request.messages);
      return [{ type: 'call', ...rest, request: { hash, ...optional('temperature', request.temperature), max_tokens: request.max_tokens, ...optional('response_format', request.response_format) } }];
    }
    const prompts: PromptLine[] = [];
    const kind = `${entry.role}\u0000`;
    const call: CallLine = {
      type: 'call',
      ...rest,
      request: {
        ...(request.system !== undefined ? { system: this.text(request.system, `${kind}system`, prompts) } : {}),
        messages: request.messages.map((m, i) => ({ role: m.role, content: this.text(m.content, `${kind}${i}:${m.role}`, prompts) })),
        ...optional('temperature', request.temperature),
        max_tokens: request.max_tokens,
        ...optional('response_format', request.response_format),
      },
    };
    return [...prompts, call];
  }

  /**
   * A long text as a reference: to a stored text it is equal to, or that it shares at least half its
   * characters with (head and tail); otherwise, or when the part it would spell out repeats a block
   * recent references to that text spelled out too (a prompt under test that differs from the stored
   * one by more than the case's variables: a new candidate), it is stored itself.
   */
  private text(text: string, kind: string, prompts: PromptLine[]): TraceText {
    if (text.length < INLINE_BELOW) return text;
    const bases = this.recent.get(kind) ?? [];
    let best: { base: Base; head: number; tail: number } | undefined;
    for (const base of bases) {
      if (base.text === text) {
        touch(bases, base);
        return { ref: base.hash };
      }
      const head = commonPrefix(text, base.text);
      const tail = commonSuffix(text, base.text, Math.min(text.length, base.text.length) - head);
      if (!best || head + tail > best.head + best.tail) best = { base, head, tail };
    }
    if (best && 2 * (best.head + best.tail) >= text.length) {
      const { base, head, tail } = best;
      const middle = text.slice(head, text.length - tail);
      if (!repeatsBlock(middle, base.middles)) {
        touch(bases, base);
        base.middles.unshift(middle);
        if (base.middles.length > RECENT_MIDDLES) base.middles.pop();
        return { ref: base.hash, head, tail, middle };
      }
    }
    const base: Base = { hash: shortHash(text), text, middles: [] };
    if (!this.stored.has(base.hash)) {
      this.stored.add(base.hash);
      prompts.push({ type: 'prompt', hash: base.hash, text });
    }
    bases.unshift(base);
    if (bases.length > RECENT_BASES) bases.pop();
    this.recent.set(kind, bases);
    return { ref: base.hash };
  }
}

/** True when `middle` shares a block (at its start and end) of SHARED_BLOCK+ characters, and at least half of it, with one of `middles`. */
function repeatsBlock(middle: string, middles: readonly string[]): boolean {
  if (middle.length < SHARED_BLOCK) return false;
  return middles.some((other) => {
    const head = commonPrefix(middle, other);
    const shared = head + commonSuffix(middle, other, Math.min(middle.length, other.length) - head);
    return shared >= SHARED_BLOCK && 2 * shared >= middle.length;
  });
}

/** The full text of a reference, given the stored texts; throws when it cannot be resolved. */
export function resolveText(text: TraceText, prompts: ReadonlyMap<string, string>): string {
  if (typeof text === 'string') return text;
  const base = prompts.get(text.ref);
  if (base === undefined) throw new Error(`trace: no prompt line with hash ${text.ref}`);
  if (text.head === undefined && text.tail === undefined) return base;
  const head = text.head ?? 0;
  const tail = text.tail ?? 0;
  if (head + tail > base.length) throw new Error(`trace: reference to ${text.ref} keeps more than the stored text`);
  return `${base.slice(0, head)}${text.middle ?? ''}${base.slice(base.length - tail)}`;
}

/**
 * The `hash` a `--trace calls` line keeps of its request's texts (system and messages, as written:
 * after redaction). `promptopt traces` recomputes it to tell which prompt a call was made with.
 */
export function requestDigest(system: string | undefined, messages: readonly { role: string; content: string }[]): string {
  return shortHash(JSON.stringify([system ?? null, messages.map((m) => ({ role: m.role, content: m.content }))]));
}

/** 16 hex characters of SHA-256: unique enough within one trace. */
export function shortHash(text: string): string {
  return sha256(text).slice(0, 16);
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function touch(bases: Base[], base: Base): void {
  const at = bases.indexOf(base);
  if (at > 0) {
    bases.splice(at, 1);
    bases.unshift(base);
  }
}

const CHUNK = 64;

/** Length of the longest common prefix (whole chunks compared natively, then character by character). */
export function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i + CHUNK <= max && a.startsWith(b.slice(i, i + CHUNK), i)) i += CHUNK;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Length of the longest common suffix, at most `max`. */
export function commonSuffix(a: string, b: string, max: number): number {
  let n = 0;
  while (n + CHUNK <= max && a.endsWith(b.slice(b.length - n - CHUNK, b.length - n), a.length - n)) n += CHUNK;
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}
