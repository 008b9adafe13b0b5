/**
 * The zod schema of the RAW YAML (snake_case, before defaults). Objects are strict, so an unknown or
 * misspelled key is an error. Cases are checked row by row by the dataset stage with `caseSchema`.
 */
import { z } from 'zod';
import { PROVIDER_NAMES } from '../providers/types.js';
import { allAssertionTypeNames, parseAssertionType } from '../assertions/names.js';
import { OBJECTIVES, SPLIT_NAMES } from './types.js';
import { didYouMean, withSuggestion } from './did-you-mean.js';
import { LITERAL_KEY_HINT, isEnvVarName, looksLikeSecret } from './secrets.js';
import { NOTIFY_EVENTS } from '../notify/types.js';
import { isHttpUrl, secretInUrl } from '../notify/url.js';
import { PATTERN_NAME, PLACEHOLDER_STEMS, REDACTION_TYPES } from '../redact/types.js';
import { CHAT_ROLES } from '../template/chat-prompt.js';
import { TEMPLATE_ENGINES } from '../template/template.js';

const positiveInt = z.number().int().min(1);
const ratio = z.number().min(0).max(1);

const assertionType = z.string().superRefine((type, ctx) => {
  if (parseAssertionType(type).base !== undefined) return;
  ctx.addIssue({
    code: 'custom',
    message: withSuggestion(`unknown assertion type "${type}"`, didYouMean(type, allAssertionTypeNames())),
    params: { hint: 'any type can be negated with a not- prefix; see the README for the list' },
  });
});

export const assertionSchema = z.strictObject({
  type: assertionType,
  value: z.unknown().optional(),
  threshold: z.number().optional(),
  metric: z.string().optional(),
  /** Weight in the case's score (weighted mean of assertion scores); 0: reported only. */
  weight: z.number().min(0).optional(),
  provider: z.string().optional(),
  timeout_ms: positiveInt.optional(),
  /** Applied to the output (after the spec's `transform`) for this assertion only. */
  transform: z.string().min(1).optional(),
});

/** One case, inline in the spec or one row of a data file (after extra keys became vars). */
export const caseSchema = z.strictObject({
  id: z.union([z.string().min(1), z.number()]).optional(),
  vars: z.record(z.string(), z.unknown()).optional(),
  input: z.unknown().optional(),
  expected: z.unknown().optional(),
  assert: z.array(assertionSchema).optional(),
  split: z.enum(SPLIT_NAMES).optional(),
  /** The case passes when its score reaches this (instead of when every assertion passes). */
  threshold: ratio.optional(),
  /** Not a var: provenance and notes (`promptopt import` writes where a case came from here). */
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type RawCase = z.infer<typeof caseSchema>;

/** The keys a row may use; in a data file every other key becomes a var. */
export const CASE_KEYS = Object.keys(caseSchema.shape);

const apiKeyEnvEntry = z.string().superRefine((value, ctx) => {
  if (looksLikeSecret(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'this entry looks like an API key, not an environment variable name',
      params: { hint: LITERAL_KEY_HINT },
    });
  } else if (!isEnvVarName(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'not a valid environment variable name',
      params: { hint: 'use letters, digits and _ only, not starting with a digit (e.g. OPENAI_API_KEY)' },
    });
  }
});

const modelFields = {
  provider: z.enum(PROVIDER_NAMES).optional(),
  model: z.string().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: positiveInt.optional(),
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  api_key_env: z.union([apiKeyEnvEntry, z.array(apiKeyEnvEntry)]).optional(),
  timeout_ms: positiveInt.optional(),
  max_retries: z.number().int().min(0).optional(),
  retry_delay_ms: positiveInt.optional(),
  unreachable_after_ms: positiveInt.optional(),
  concurrency: positiveInt.optional(),
  price: z.strictObject({ input_per_mtok: z.number().min(0), output_per_mtok: z.number().min(0) }).optional(),
  sim_latency_ms: z.number().min(0).optional(),
};

export const modelSchema = z.strictObject(modelFields);
export type RawModel = z.infer<typeof modelSchema>;

const targetSchema = z.strictObject({
  ...modelFields,
  provider: z.enum(PROVIDER_NAMES),
  model: z.string().min(1),
});

const optimizerSchema = z.strictObject({
  ...modelFields,
  strategy: z.enum(['iterative', 'evolutionary', 'hybrid', 'pareto', 'opro']).optional(),
  max_iterations: positiveInt.optional(),
  candidates: z.number().int().min(1).max(10).optional(),
  patience: positiveInt.optional(),
  validation_iterations: z.number().int().min(0).optional(),
  strict_below: ratio.optional(),
  accept: z.enum(['score', 'significant']).optional(),
  show_validation_cases: z.boolean().optional(),
  meta_prompt_tokens: positiveInt.optional(),
  seed: z.number().int().optional(),
  minibatch: z.number().int().min(1).max(50).optional(),
  merge: z.boolean().optional(),
  show_vars: z.array(z.string().min(1)).optional(),
  hide_vars: z.array(z.string().min(1)).optional(),
});
export type RawOptimizer = z.infer<typeof optimizerSchema>;

const webhookUrl = z.string().superRefine((value, ctx) => {
  if (!isHttpUrl(value)) {
    ctx.addIssue({ code: 'custom', message: 'a webhook must be an http:// or https:// URL', params: { hint: 'e.g. https://hooks.example.com/promptopt' } });
    return;
  }
  const secret = secretInUrl(value);
  if (secret) {
    ctx.addIssue({
      code: 'custom',
      message: secret,
      params: { hint: 'send the token in a header with headers_env, or pass the URL with --notify from a CI secret' },
    });
  }
});

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A header's value comes from an environment variable: the entry is the variable's name, never the token. */
const headerEnvEntry = z.string().superRefine((value, ctx) => {
  if (looksLikeSecret(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'this looks like a token, not an environment variable name',
      params: { hint: 'put the header value in an environment variable and give its name here (e.g. Authorization: WEBHOOK_AUTH)' },
    });
  } else if (!isEnvVarName(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'not a valid environment variable name',
      params: { hint: 'use letters, digits and _ only, not starting with a digit (e.g. WEBHOOK_TOKEN)' },
    });
  }
});

const notifySchema = z.strictObject({
  webhooks: z.union([webhookUrl, z.array(webhookUrl).min(1)]),
  // The list first: a wrong value inside a list is then reported at its item, with did-you-mean.
  events: z.union([z.array(z.enum(NOTIFY_EVENTS)).min(1), z.enum(NOTIFY_EVENTS)]).optional(),
  headers_env: z
    .record(z.string(), headerEnvEntry)
    .superRefine((headers, ctx) => {
      for (const name of Object.keys(headers)) {
        if (!HEADER_NAME.test(name)) {
          ctx.addIssue({ code: 'custom', path: [name], message: `"${name}" is not a valid HTTP header name`, params: { hint: 'e.g. Authorization or X-Webhook-Token' } });
        }
      }
    })
    .optional(),
});
export type RawNotify = z.infer<typeof notifySchema>;

// ---- Production data (`promptopt import` and `stats`): flags, redact, feedback_threshold ----

/** `flags: { format: { type: regex, value: ... } }`: the assertion(s) a system flag of a logged output becomes. */
const flagsSchema = z.record(z.string().min(1), z.union([assertionSchema, z.array(assertionSchema).min(1)]));

const regexSource = z.string().min(1).superRefine((source, ctx) => {
  try {
    new RegExp(source, 'g');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(error as Error).message}`, params: { hint: 'a JavaScript regular expression; escape backslashes in YAML double quotes ("\\d") or use single quotes' } });
  }
});

const builtInStems = new Set(Object.values(PLACEHOLDER_STEMS));
const patternName = z.string().superRefine((name, ctx) => {
  if (!PATTERN_NAME.test(name)) {
    ctx.addIssue({ code: 'custom', message: `"${name}" is not a placeholder name`, params: { hint: 'upper case letters, digits and _, e.g. EMPLOYEE_ID (matches become <EMPLOYEE_ID_1>)' } });
  } else if (builtInStems.has(name)) {
    ctx.addIssue({ code: 'custom', message: `"${name}" is a built-in placeholder`, params: { hint: 'choose another name; the built-in types are listed under redact.types' } });
  }
});

const redactSchema = z.union([
  z.boolean(),
  z.strictObject({
    enabled: z.boolean().optional(),
    types: z.array(z.enum(REDACTION_TYPES)).optional(),
    patterns: z.array(z.strictObject({ name: patternName, regex: regexSource, ignore_case: z.boolean().optional() })).optional(),
    phone_region: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 country code in capitals, e.g. GB').optional(),
    traces: z.boolean().optional(),
  }),
]);
export type RawRedact = z.infer<typeof redactSchema>;

const productionFields = {
  flags: flagsSchema.optional(),
  redact: redactSchema.optional(),
  feedback_threshold: positiveInt.optional(),
  /** `promptopt prune` deletes runs, traces and cache entries older than this (its default for --older-than). */
  retention: z.strictObject({ days: positiveInt }).optional(),
};

/** One turn of a chat-format prompt (inline, or in a `.yaml`/`.json` prompt file). */
export const chatMessageSchema = z.strictObject({
  role: z.enum(CHAT_ROLES),
  content: z.string(),
  optimize: z.boolean().optional(),
});
export const chatMessagesSchema = z.array(chatMessageSchema).min(1);

const JSON_SCHEMA_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** OpenAI's `response_format`: `text`, `json_object`, or `json_schema` with a named schema. */
export const responseFormatSchema = z
  .strictObject({
    type: z.enum(['text', 'json_object', 'json_schema']),
    json_schema: z
      .strictObject({
        name: z.string().regex(JSON_SCHEMA_NAME, 'a name of letters, digits, _ and - (at most 64)'),
        description: z.string().optional(),
        schema: z.record(z.string(), z.unknown()),
        strict: z.boolean().optional(),
      })
      .optional(),
  })
  .superRefine((format, ctx) => {
    if (format.type === 'json_schema' && format.json_schema === undefined) {
      ctx.addIssue({ code: 'custom', path: ['json_schema'], message: 'type json_schema needs a json_schema: { name, schema }', params: { hint: 'e.g. json_schema: { name: answer, schema: { type: object, properties: { ... } }, strict: true }' } });
    }
    if (format.type !== 'json_schema' && format.json_schema !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['json_schema'], message: `json_schema only applies with type json_schema (this is type ${format.type})` });
    }
  });

const responseFormatFile = z.string().superRefine((value, ctx) => {
  if (value.startsWith('file://')) return;
  ctx.addIssue({
    code: 'custom',
    message: `expected a mapping such as { type: json_object }, or a file://format.json holding one; got the text "${value.slice(0, 40)}"`,
    params: { hint: 'type is one of text, json_object, json_schema (with json_schema: { name, schema, strict })' },
  });
});

export const specSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
  prompt: z.union([z.string().min(1), chatMessagesSchema]),
  template: z.enum(TEMPLATE_ENGINES).optional(),
  response_format: z.union([responseFormatFile, responseFormatSchema]).optional(),
  transform: z.string().min(1).optional(),
  prompt_role: z.enum(['user', 'system']).optional(),
  system: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
  target: targetSchema,
  optimizer: optimizerSchema.optional(),
  judge: modelSchema.optional(),
  cases: z.union([z.string().min(1), z.array(z.unknown())]),
  input_var: z.string().min(1).optional(),
  defaults: z.strictObject({ assert: z.array(assertionSchema).optional(), threshold: ratio.optional() }).optional(),
  splits: z
    .strictObject({
      train: ratio.optional(),
      validation: ratio.optional(),
      test: ratio.optional(),
      seed: z.number().int().optional(),
      stratify: z.boolean().optional(),
    })
    .optional(),
  threshold: ratio.optional(),
  objective: z.enum(OBJECTIVES).optional(),
  concurrency: positiveInt.optional(),
  cache: z.union([z.boolean(), z.strictObject({ enabled: z.boolean().optional(), dir: z.string().min(1).optional() })]).optional(),
  budget: z.strictObject({ max_cost_usd: z.number().positive() }).optional(),
  repeat: positiveInt.optional(),
  versions_dir: z.string().min(1).optional(),
  runs_dir: z.string().min(1).optional(),
  notify: notifySchema.optional(),
  ...productionFields,
});
export type RawSpec = z.infer<typeof specSchema>;
