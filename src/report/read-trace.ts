/**
 * Reads `trace.jsonl` back as one entry per call, with every reference resolved to its full text
 * (format 2, see trace-format.ts; format 1 lines pass through as they are). Streams the file: only
 * the stored prompt texts are kept while reading.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { TraceEntry } from './trace-entry.js';
import { resolveText, type CallLine, type SessionLine, type TraceLine } from './trace-format.js';

/** A call as read back: its full request, or (written with `--trace calls`) the request's hash only. */
export type TraceCall = Omit<TraceEntry, 'request'> & {
  request: TraceEntry['request'] | { hash: string; temperature?: number; max_tokens: number; response_format?: TraceEntry['request']['response_format'] };
};

export interface TraceContents {
  sessions: Omit<SessionLine, 'type'>[];
  calls: TraceCall[];
  /** Lines that are not JSON (a line cut short by a crash): skipped. */
  unreadable: number;
}

/** Every call of a trace, in order. */
export async function readTrace(file: string): Promise<TraceContents> {
  const contents: TraceContents = { sessions: [], calls: [], unreadable: 0 };
  for await (const item of traceItems(file)) {
    if (item.kind === 'session') contents.sessions.push(item.session);
    else if (item.kind === 'call') contents.calls.push(item.call);
    else contents.unreadable += 1;
  }
  return contents;
}

export type TraceItem =
  | { kind: 'session'; session: Omit<SessionLine, 'type'> }
  | { kind: 'call'; call: TraceCall }
  | { kind: 'unreadable'; line: number };

/** The trace's sessions and calls one by one, references resolved. */
export async function* traceItems(file: string): AsyncGenerator<TraceItem> {
  const prompts = new Map<string, string>();
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  for await (const text of lines) {
    number += 1;
    if (text.trim() === '') continue;
    let line: TraceLine | TraceEntry;
    try {
      line = JSON.parse(text) as TraceLine | TraceEntry;
    } catch {
      yield { kind: 'unreadable', line: number };
      continue;
    }
    if (!('type' in line)) {
      yield { kind: 'call', call: line }; // format 1
      continue;
    }
    if (line.type === 'prompt') prompts.set(line.hash, line.text);
    else if (line.type === 'session') {
      const { type: _type, ...session } = line;
      yield { kind: 'session', session };
    } else if (line.type === 'call') yield { kind: 'call', call: resolveCall(line, prompts, number) };
  }
}

function resolveCall(line: CallLine, prompts: ReadonlyMap<string, string>, number: number): TraceCall {
  const { type: _type, request, ...rest } = line;
  if (request.hash !== undefined || request.messages === undefined) {
    const { hash = '', temperature, max_tokens, response_format } = request;
    return { ...rest, request: { hash, ...(temperature !== undefined ? { temperature } : {}), max_tokens, ...(response_format ? { response_format } : {}) } };
  }
  try {
    return {
      ...rest,
      request: {
        ...(request.system !== undefined ? { system: resolveText(request.system, prompts) } : {}),
        messages: request.messages.map((m) => ({ role: m.role, content: resolveText(m.content, prompts) })),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        max_tokens: request.max_tokens,
        ...(request.response_format ? { response_format: request.response_format } : {}),
      },
    };
  } catch (error) {
    throw new Error(`line ${number}: ${(error as Error).message}`);
  }
}
