/**
 * Every error promptopt raises on purpose. Each has a stable `code`, an `exitCode` for the CLI,
 * and where it helps a `hint` that tells the user what to do. The CLI edge (src/cli/run-command.ts)
 * is the one place that turns these into messages and exit codes.
 */

export const EXIT = {
  ok: 0,
  belowThreshold: 1,
  badInput: 2,
  providerFailure: 3,
  /** A bug in promptopt (an error no code path expected): please report it. */
  internal: 70,
  /** Ctrl-C (SIGINT): 128 + 2. */
  interrupted: 130,
  /** SIGTERM: 128 + 15. */
  terminated: 143,
} as const;

/** Where in an input file a problem is. Line and column are 1-based. */
export interface SourceLocation {
  file?: string;
  /** Dotted field path, e.g. `target.model` or `cases[3].vars.text`. */
  path?: string;
  line?: number;
  column?: number;
}

export class PromptoptError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly hint?: string;
  readonly location: SourceLocation;

  constructor(
    code: string,
    message: string,
    options: { exitCode?: number; hint?: string; location?: SourceLocation; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT.badInput;
    this.hint = options.hint;
    this.location = options.location ?? {};
  }
}

/** One problem found while validating a spec or a cases file. */
export interface SpecIssue extends SourceLocation {
  message: string;
  hint?: string;
}

/** The spec (or a file it points to) is invalid. Carries every problem found, not only the first. */
export class SpecError extends PromptoptError {
  readonly issues: SpecIssue[];

  constructor(issues: SpecIssue[]) {
    const first = issues[0] ?? { message: 'invalid spec' };
    super('SPEC_INVALID', formatSpecIssues(issues), {
      exitCode: EXIT.badInput,
      hint: first.hint,
      location: { file: first.file, path: first.path, line: first.line, column: first.column },
    });
    this.issues = issues;
  }
}

export function formatSpecIssue(issue: SpecIssue): string {
  const where = [issue.file, issue.line !== undefined ? `${issue.line}:${issue.column ?? 1}` : undefined]
    .filter(Boolean)
    .join(':');
  const path = issue.path ? `${issue.path}: ` : '';
  // A hint of several lines (a snippet to paste) goes below the message, indented.
  const hint = !issue.hint ? '' : issue.hint.includes('\n') ? `\n${issue.hint.replace(/^/gm, '    ')}` : ` (${issue.hint})`;
  return `${where ? `${where}: ` : ''}${path}${issue.message}${hint}`;
}

function formatSpecIssues(issues: SpecIssue[]): string {
  if (issues.length === 1) return formatSpecIssue(issues[0]!);
  return `${issues.length} problems:\n${issues.map((i) => `  - ${formatSpecIssue(i)}`).join('\n')}`;
}

/** Wrong command-line usage (unknown split, bad flag value, ...). */
export class UsageError extends PromptoptError {
  constructor(message: string, hint?: string) {
    super('USAGE', message, { exitCode: EXIT.badInput, hint });
  }
}

/** Which model needs the key: its role, and whether a default chose it (the spec does not name it). */
export interface KeyNeeder {
  role: 'target' | 'optimizer' | 'judge';
  model: string;
  /** `provider-default`: the provider's default model (the optimizer's Claude Opus); `target`: the judge took the target's model. */
  defaulted?: 'provider-default' | 'target';
}

/** A real provider was selected but none of its API-key variables is set: says which model, for which role, and why that one. */
export class MissingApiKeyError extends PromptoptError {
  readonly envVars: string[];
  /** The role of the model that needs the key (target, judge, optimizer), when known. */
  readonly role: string | undefined;
  constructor(provider: string, envVars: string[], location?: SourceLocation, needer?: KeyNeeder) {
    super('MISSING_API_KEY', `${needer ? `the ${needer.role} ${provider}:${needer.model}${whyThisModel(needer)} needs an API key` : `no API key for provider "${provider}"`}: set ${envVars.join(' or ')}`, {
      exitCode: EXIT.badInput,
      hint:
        needer?.defaulted === 'provider-default'
          ? `or name the ${needer.role} model in the spec (\`${needer.role}: { provider: openai, model: gpt-4o }\` or another provider whose key you have), or \`${needer.role}: { provider: sim, model: sim-${needer.role} }\` to try promptopt offline`
          : 'or choose `provider: sim` to try promptopt offline with the built-in simulator',
      location,
    });
    this.envVars = envVars;
    this.role = needer?.role;
  }
}

function whyThisModel(needer: KeyNeeder): string {
  if (needer.defaulted === 'target') return ' (the judge defaults to the target\'s model: the spec has no `judge:`)';
  if (needer.defaulted === 'provider-default') return ` (the default ${needer.role}: the spec names no \`${needer.role}.model\`)`;
  return '';
}

export type ProviderErrorKind =
  | 'auth' // 401/403: try the next key, never retry the same one
  | 'quota' // insufficient credit / quota exhausted: try the next key
  | 'rate_limit' // 429: retry after a wait, slow down
  | 'overloaded' // 529 / 503: retry
  | 'server' // other 5xx: retry
  | 'timeout' // request timed out: retry
  | 'connection' // network failure: retry
  | 'bad_request' // 400/404/422: the request is wrong, never retry
  | 'unparseable_response' // 2xx whose body is not JSON (truncated, a proxy's HTML page): retry like a 5xx
  | 'malformed_response'; // 2xx, valid JSON without the fields we need: error for that case

const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set([
  'rate_limit',
  'overloaded',
  'server',
  'timeout',
  'connection',
  'unparseable_response',
]);

/** A call to a model failed. Says whether retrying can help and how long the server asked to wait. */
export class ProviderError extends PromptoptError {
  readonly kind: ProviderErrorKind;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly provider: string;

  constructor(
    provider: string,
    kind: ProviderErrorKind,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(`PROVIDER_${kind.toUpperCase()}`, `${provider}: ${message}`, {
      exitCode: EXIT.providerFailure,
      cause: options.cause,
    });
    this.provider = provider;
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }

  /** Auth and quota errors move on to the next API key. */
  get rotatesKey(): boolean {
    return this.kind === 'auth' || this.kind === 'quota';
  }
}

/** Which signal stopped a run: the reason an interrupting AbortController is aborted with. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The signal an AbortSignal was aborted for (SIGINT unless it says SIGTERM). */
export function stopSignalOf(signal: AbortSignal | undefined): StopSignal {
  return signal?.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
}

/** The run was interrupted (Ctrl-C: exit 130; SIGTERM: exit 143). */
export class InterruptedError extends PromptoptError {
  readonly stopSignal: StopSignal;
  constructor(hint?: string, stopSignal: StopSignal = 'SIGINT') {
    super(stopSignal === 'SIGTERM' ? 'TERMINATED' : 'INTERRUPTED', stopSignal === 'SIGTERM' ? 'terminated (SIGTERM)' : 'interrupted', {
      exitCode: stopSignal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted,
      hint,
    });
    this.stopSignal = stopSignal;
  }
}

/**
 * Every request to a model failed with a connection error or a timeout, and nothing answered for the
 * circuit breaker's window: the endpoint is down or hung. Stops the run (exit 3).
 */
export class EndpointUnreachableError extends PromptoptError {
  readonly provider: string;
  readonly endpoint: string;
  constructor(
    provider: string,
    endpoint: string,
    detail: { silentMs: number; failures: number; lastFailure: string; windowMs: number },
  ) {
    const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
    super(
      'ENDPOINT_UNREACHABLE',
      `${provider} at ${endpoint} is unreachable: no answer for ${seconds(detail.silentMs)}, ` +
        `${detail.failures} request(s) in a row failed (last: ${detail.lastFailure}); stopped`,
      {
        exitCode: EXIT.providerFailure,
        hint: `check that the server is up and the base URL is right (unreachable_after_ms, now ${detail.windowMs} ms, sets how long to wait)`,
      },
    );
    this.provider = provider;
    this.endpoint = endpoint;
  }
}

/** The run reached its --deadline (exit 3: the task could not be scored in time). */
export class DeadlineExceededError extends PromptoptError {
  constructor(message: string, hint?: string) {
    super('DEADLINE_EXCEEDED', message, { exitCode: EXIT.providerFailure, hint });
  }
}

/**
 * A prompt that had to be scored could not be (cases still failing with provider errors after
 * retries): the baseline, the chosen prompt, or the held-out test split. Exit 3.
 */
export class NotScoredError extends PromptoptError {
  constructor(message: string, hint?: string) {
    super('NOT_SCORED', message, { exitCode: EXIT.providerFailure, hint });
  }
}
