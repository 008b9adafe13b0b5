/**
 * What the main thread and a JavaScript-assertion worker say to each other (types only: both sides
 * import them with `import type`, so the worker loads no module of promptopt at run time).
 */

/** The user code to run: inline code, or an export of a file (undefined name = the default export). */
export type JsSource = { kind: 'inline'; code: string } | { kind: 'file'; file: string; name?: string };

export interface JsTask {
  id: number;
  source: JsSource;
  /** The model's answer (a string), or what a transform made of it (any JSON value). */
  output: unknown;
  context: { vars: Record<string, unknown>; expected?: unknown; caseId: string };
  /** Only compile the code, or load the file and find the function (its top-level code runs); never call it. */
  loadOnly?: boolean;
  /** `data`: the function is a transform, its whole return value comes back (as JSON data). Default: a verdict. */
  returns?: 'verdict' | 'data';
}

/**
 * The function's return value, reduced to what can cross threads and what the verdict reads:
 * booleans, numbers, null, undefined, strings and bigints as they are; other non-objects by their
 * `typeof`; objects by the fields a verdict uses.
 */
export type JsValue =
  | { kind: 'value'; value: boolean | number | string | bigint | null | undefined }
  /** A transform's return value, as JSON data. */
  | { kind: 'data'; value: unknown }
  | { kind: 'typeof'; type: 'function' | 'symbol' }
  | { kind: 'object'; fields: Record<string, boolean | number | string | null | undefined> };

export type JsReply =
  | { id: number; ok: true; value: JsValue }
  /** The user code threw (or rejected): `message` is what it threw. */
  | { id: number; ok: false; threw: string }
  /** Inline code that does not compile: the syntax error. */
  | { id: number; ok: false; compile: string }
  /** A file that does not load, or has no such function: why. */
  | { id: number; ok: false; unusable: string };

/** Posted once by a worker when it can take tasks (time limits start only then). */
export interface JsReady {
  ready: true;
}
