/**
 * One logged LLM interaction, as `import` and `stats` read it. On disk (the default shape, one JSON
 * object per line; README "Production data"):
 *
 *   {"id", "timestamp", "vars": {...} | "input": "...", "output", "prompt_version", "model",
 *    "latency_ms", "usage": {"input_tokens", "output_tokens"}, "cost_usd", "session",
 *    "feedback": {"rating": "up"|"down"|1|0|true|false, "correction", "comment", "flags": [...]}}
 *
 * Every field is optional here; `import` then requires the variables the prompt needs. Anything that
 * exports this shape (a logging pipeline, or promptopt's own run traces) imports without `--map`.
 */

export type Rating = 'up' | 'down';

export interface RecordFeedback {
  rating?: Rating;
  /** The answer the user says was right: text, or JSON when the task's answers are structured. */
  correction?: unknown;
  comment?: string;
  /** System flags: `format`, `moderation:hate`, ... */
  flags: string[];
}

export interface ProductionRecord {
  /** Line of the file the record starts on (1-based). */
  line: number;
  id?: string;
  /** As written in the file. */
  timestamp?: string;
  /** `timestamp` in ms since the epoch. */
  time?: number;
  /** The prompt's variables (`input` fills the spec's input_var). Undefined when the record gave neither. */
  vars?: Record<string, unknown>;
  output?: string;
  promptVersion?: string;
  model?: string;
  latencyMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  session?: string;
  feedback: RecordFeedback;
}

/** The wire shape of a record (what `traces` exports and `import` reads without `--map`). */
export interface ProductionRecordJson {
  id?: string;
  timestamp?: string;
  vars?: Record<string, unknown>;
  input?: string;
  output?: string;
  prompt_version?: string;
  model?: string;
  latency_ms?: number;
  usage?: { input_tokens?: number; output_tokens?: number };
  cost_usd?: number;
  session?: string;
  feedback?: { rating?: 'up' | 'down' | 1 | 0 | true | false; correction?: unknown; comment?: string; flags?: string[] };
}

/** A line that could not be read as a record: its line and why (never its content). */
export interface MalformedRecord {
  line: number;
  /** The field at fault, as the default shape names it (`feedback.rating`), when there is one. */
  field?: string;
  reason: string;
}

export function hasFeedback(record: ProductionRecord): boolean {
  const f = record.feedback;
  return f.rating !== undefined || f.correction !== undefined || f.comment !== undefined || f.flags.length > 0;
}
