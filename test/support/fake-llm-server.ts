/**
 * A loopback fake of the OpenAI Chat Completions and Anthropic Messages APIs, strict enough that
 * the real SDKs can be tested against it: it validates requests the way the real APIs do (400 with
 * each API's own error body), checks keys (401), exhausts quota for chosen keys, and injects
 * faults (429 with retry-after, 5xx, 529, malformed or truncated bodies, dropped connections, requests
 * never answered) on a plan; `seededFaults` draws them at given rates, `closedPortUrl` is a dead endpoint.
 *
 *   const server = await startFakeLlmServer({ validKeys: ['sk-test'] });
 *   new OpenAI({ baseURL: server.openaiBaseUrl, apiKey: 'sk-test' });   // http://127.0.0.1:PORT/v1
 *   new Anthropic({ baseURL: server.anthropicBaseUrl, apiKey: 'sk-test' }); // http://127.0.0.1:PORT
 *   ...
 *   await server.close();
 *
 * Only ever listens on 127.0.0.1.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { authError, defaultMessage, defaultRespond, errorBody, successBody } from './fake-llm/bodies.js';
import { HttpError, parseJsonObject, validateAnthropic, validateOpenAI } from './fake-llm/validate.js';

export { ANTHROPIC_TEMPERATURE_CUTOFF } from './fake-llm/validate.js';

export type FakeApi = 'openai' | 'anthropic';

export interface FakeChatMessage {
  role: string;
  /** Text of the message (text blocks joined for array content). */
  content: string;
}

/** What `respond` sees for a valid request. */
export interface FakeRequest {
  api: FakeApi;
  model: string;
  /** OpenAI: system/developer messages joined; Anthropic: the top-level `system`. */
  system: string | undefined;
  /** Conversation without system messages. */
  messages: FakeChatMessage[];
  body: Record<string, unknown>;
  /** 0-based index among all requests the server received. */
  index: number;
}

/** A reply: plain text, or text plus extras. */
export type FakeReply =
  | string
  | {
      text: string;
      /** Anthropic: a `thinking` block placed before the text block. */
      thinking?: string;
      finishReason?: string;
      usage?: { inputTokens: number; outputTokens: number };
    };

export type MalformedKind =
  | 'invalid-json' // 200, application/json, truncated JSON
  | 'truncated' // 200, application/json, the real answer's body cut off halfway (complete HTTP response)
  | 'cut' // 200, the full content-length announced, the connection closed halfway through the body
  | 'missing-content' // 200, valid JSON without choices (OpenAI) / content (Anthropic)
  | 'missing-usage' // 200, valid JSON without usage
  | 'html'; // 200, text/html

/** One injected failure. `{}` (nothing set) means "answer normally". */
export interface Fault {
  /** HTTP status to answer with, with the API's error body for that status. */
  status?: number;
  /** Error type in the body (defaults by status, e.g. 429 → rate_limit_error). */
  errorType?: string;
  /** OpenAI `error.code` (e.g. `insufficient_quota`). */
  code?: string;
  message?: string;
  /** `retry-after` header, in seconds. */
  retryAfterS?: number;
  /** `retry-after-ms` header. */
  retryAfterMs?: number;
  /** Any other headers. */
  headers?: Record<string, string>;
  /** A 200 whose body the client cannot use; `true` means `invalid-json`. */
  malformed?: true | MalformedKind;
  /** Destroy the socket without answering (a connection error). */
  disconnect?: boolean;
  /** Never answer: the request hangs until the client gives up (or the server closes). */
  hang?: boolean;
  /** Extra wait before answering (e.g. longer than the client's timeout). */
  delayMs?: number;
}

/**
 * A fault plan: a queue consumed in order (one entry per request that passes auth and validation;
 * `null` or `{}` for a normal answer), `{ every: n, ...fault }` (the n-th, 2n-th, ... such request),
 * or a function of the request.
 */
export type FaultPlan = Array<Fault | null> | ({ every: number } & Fault) | ((request: FakeRequest) => Fault | null | undefined);

export interface FakeLlmServerOptions {
  /** Keys that authenticate. Default: any non-empty key. */
  validKeys?: string[];
  /** Keys that authenticate but have no quota: OpenAI 429 insufficient_quota, Anthropic 400 billing_error. */
  quotaExhaustedKeys?: string[];
  /** Delay before every answer. */
  latencyMs?: number;
  /** The model's answer; default: a deterministic echo of the last user message. */
  respond?: (request: FakeRequest) => FakeReply | Promise<FakeReply>;
  faults?: FaultPlan;
}

export interface RecordedRequest {
  api: FakeApi | 'unknown';
  method: string;
  path: string;
  model?: string;
  /** Parsed JSON body (undefined when not JSON). */
  body: unknown;
  /** Lower-case header names; `authorization` and `x-api-key` values replaced by `[redacted]`. */
  headers: Record<string, string>;
  /** How the key fared: valid, invalid, quota (exhausted), missing. */
  auth: 'valid' | 'invalid' | 'quota' | 'missing';
  /** Status sent back (0 for a dropped connection). */
  status: number;
  /** True when the client closed the connection before the answer was sent (an abort, a timeout). */
  clientAborted?: boolean;
  /** Set when a fault was injected. */
  fault?: Fault;
  /**
   * The tokens this request is billed for, as the body sent back counts them: set for every 200 whose
   * body carries usage (an answer to a client that has gone away included), absent otherwise.
   */
  usage?: { inputTokens: number; outputTokens: number };
}

export interface FakeLlmServer {
  /** `http://127.0.0.1:PORT` (the Anthropic base URL). */
  readonly url: string;
  readonly anthropicBaseUrl: string;
  /** `http://127.0.0.1:PORT/v1`. */
  readonly openaiBaseUrl: string;
  readonly requests: RecordedRequest[];
  /** Requests received. */
  readonly count: number;
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Replace the fault plan (resets the `every`/queue position). */
  setFaults(plan: FaultPlan | undefined): void;
  /** Clear records and counters and restore the fault plan given at start. */
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeLlmServer(options: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let count = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let plan = options.faults;
  let faultCursor = 0;

  function nextFault(request: FakeRequest): Fault | undefined {
    if (!plan) return undefined;
    if (typeof plan === 'function') return plan(request) ?? undefined;
    if (Array.isArray(plan)) {
      const fault = faultCursor < plan.length ? plan[faultCursor] : undefined;
      faultCursor += 1;
      return fault ?? undefined;
    }
    faultCursor += 1;
    const { every, ...fault } = plan;
    return every > 0 && faultCursor % every === 0 ? fault : undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const index = count++;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const settle = () => {
      if (!done) [done, inFlight] = [true, inFlight - 1];
    };
    res.on('finish', settle);
    res.on('close', () => {
      // Closed before the answer was sent: the client gave up on it (an abort, a timeout).
      if (!res.writableFinished) record.clientAborted = true;
      settle();
    });

    const path = (req.url ?? '/').split('?')[0]!;
    const api: FakeApi | 'unknown' =
      path === '/v1/chat/completions' ? 'openai' : path === '/v1/messages' ? 'anthropic' : 'unknown';
    const record: RecordedRequest = {
      api,
      method: req.method ?? 'GET',
      path,
      body: undefined,
      headers: redactHeaders(req),
      auth: 'missing',
      status: 0,
    };
    requests.push(record);
    const send = (status: number, body: string, headers: Record<string, string> = {}, type = 'application/json') => {
      record.status = status;
      res.writeHead(status, { 'content-type': type, 'request-id': `req_fake_${index}`, 'x-request-id': `req_fake_${index}`, ...headers });
      res.end(body);
    };
    const sendError = (error: HttpError, headers: Record<string, string> = {}) => {
      send(error.status, JSON.stringify(errorBody(api === 'anthropic' ? 'anthropic' : 'openai', error)), headers);
    };

    const raw = await readBody(req);
    if (api === 'unknown' || req.method !== 'POST') {
      sendError(new HttpError(404, `Not found: ${req.method} ${path}`, { type: 'not_found_error' }));
      return;
    }

    // Auth first, as the real APIs do.
    // OpenAI: `Authorization: Bearer`. Anthropic: `x-api-key`, or `Authorization: Bearer` (what
    // @anthropic-ai/sdk 1.x sends for an API key).
    const key =
      api === 'openai'
        ? bearer(req.headers.authorization)
        : (header(req.headers['x-api-key']) ?? bearer(req.headers.authorization));
    record.auth = !key ? 'missing' : options.quotaExhaustedKeys?.includes(key) ? 'quota' : isValid(key) ? 'valid' : 'invalid';
    if (record.auth === 'missing' || record.auth === 'invalid') {
      sendError(authError(api, record.auth, key));
      return;
    }

    let body: Record<string, unknown>;
    let request: FakeRequest;
    try {
      body = parseJsonObject(raw);
      record.body = body;
      request =
        api === 'openai'
          ? validateOpenAI(body, index)
          : validateAnthropic(body, header(req.headers['anthropic-version']), index);
      record.model = request.model;
    } catch (error) {
      if (error instanceof HttpError) return sendError(error);
      throw error;
    }

    if (record.auth === 'quota') {
      sendError(
        api === 'openai'
          ? new HttpError(429, 'You exceeded your current quota, please check your plan and billing details.', {
              type: 'insufficient_quota',
              code: 'insufficient_quota',
            })
          : new HttpError(400, 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.', {
              type: 'billing_error',
            }),
      );
      return;
    }

    const fault = nextFault(request);
    const wait = (options.latencyMs ?? 0) + (fault?.delayMs ?? 0);
    if (wait > 0) await sleep(wait);
    if (fault && Object.keys(fault).some((k) => k !== 'delayMs')) {
      record.fault = fault;
      if (fault.hang) return; // the socket stays open, unanswered; close() destroys it
      if (fault.disconnect) {
        req.socket.destroy();
        return;
      }
      if (fault.status !== undefined) {
        const headers: Record<string, string> = { ...fault.headers };
        if (fault.retryAfterS !== undefined) headers['retry-after'] = String(fault.retryAfterS);
        if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
        sendError(new HttpError(fault.status, fault.message ?? defaultMessage(fault.status), { type: fault.errorType, code: fault.code }), headers);
        return;
      }
      if (fault.malformed) {
        const kind = fault.malformed === true ? 'invalid-json' : fault.malformed;
        if (kind === 'html') return send(200, '<html><body>502 Bad Gateway</body></html>', {}, 'text/html');
        if (kind === 'invalid-json') return send(200, '{"id": "broken", "choices": [');
        if (kind === 'truncated' || kind === 'cut') {
          const reply = await (options.respond ?? defaultRespond)(request);
          const full = JSON.stringify(successBody(api, request, typeof reply === 'string' ? { text: reply } : reply));
          const half = full.slice(0, Math.floor(full.length / 2));
          if (kind === 'truncated') return send(200, half);
          record.status = 200;
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(full)) });
          res.write(half, () => setTimeout(() => req.socket.destroy(), 5));
          return;
        }
        const full = successBody(api, request, { text: 'malformed', usage: { inputTokens: 1, outputTokens: 1 } });
        if (kind === 'missing-content') delete full[api === 'openai' ? 'choices' : 'content'];
        if (kind === 'missing-usage') delete full.usage;
        else record.usage = usageOf(full);
        return send(200, JSON.stringify(full));
      }
    }

    const reply = await (options.respond ?? defaultRespond)(request);
    const body200 = successBody(api, request, typeof reply === 'string' ? { text: reply } : reply);
    record.usage = usageOf(body200);
    send(200, JSON.stringify(body200));
  }

  function isValid(key: string): boolean {
    return options.validKeys ? options.validKeys.includes(key) : key.length > 0;
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `fake server bug: ${String(error)}`, type: 'server_error' } }));
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    anthropicBaseUrl: url,
    openaiBaseUrl: `${url}/v1`,
    requests,
    get count() {
      return count;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    setFaults(next) {
      plan = next;
      faultCursor = 0;
    },
    reset() {
      requests.length = 0;
      count = 0;
      maxInFlight = inFlight;
      plan = options.faults;
      faultCursor = 0;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Fault plans and dead endpoints

/** Fault → chance per attempt, e.g. `[[{ status: 429 }, 0.1], [{ status: 500 }, 0.05]]`. */
export type FaultRates = Array<[Fault, number]>;

/**
 * A seeded plan that injects each fault at its rate, decided per (request body, attempt of that
 * body): the same seed gives every case the same fault sequence however requests interleave.
 * `injected` counts what was drawn so far (by fault index in `rates`); `longestRun` is the most
 * faults one request body met in a row (what retries must absorb).
 */
export function seededFaults(seed: number, rates: FaultRates): FaultPlan & { injected: number[]; longestRun: () => number } {
  const attempts = new Map<string, number>();
  const streaks = new Map<string, number>();
  const injected = rates.map(() => 0);
  let longest = 0;
  const plan = (request: FakeRequest): Fault | null => {
    const body = JSON.stringify(request.body);
    const attempt = attempts.get(body) ?? 0;
    attempts.set(body, attempt + 1);
    const draw = createHash('sha256').update(`${seed}\u0000${attempt}\u0000${body}`).digest().readUInt32BE(0) / 2 ** 32;
    let edge = 0;
    for (const [index, [fault, rate]] of rates.entries()) {
      edge += rate;
      if (draw < edge) {
        injected[index]! += 1;
        const streak = (streaks.get(body) ?? 0) + 1;
        streaks.set(body, streak);
        longest = Math.max(longest, streak);
        return fault;
      }
    }
    streaks.set(body, 0);
    return null;
  };
  return Object.assign(plan, { injected, longestRun: () => longest });
}

/** `http://127.0.0.1:PORT` of a port nothing listens on (bound, then closed): connections are refused. */
export async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** The usage of a success body, in either API's shape. */
function usageOf(body: Record<string, unknown>): { inputTokens: number; outputTokens: number } {
  const usage = body.usage as Record<string, number>;
  return { inputTokens: usage.prompt_tokens ?? usage.input_tokens ?? 0, outputTokens: usage.completion_tokens ?? usage.output_tokens ?? 0 };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function header(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v && v.trim() !== '' ? v.trim() : undefined;
}

function bearer(value: string | undefined): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(value ?? '');
  return m ? m[1]!.trim() : undefined;
}

function redactHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] = name === 'authorization' || name === 'x-api-key' ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
