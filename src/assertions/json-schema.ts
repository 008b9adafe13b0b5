/**
 * JSON Schema support for `is-json`, `contains-json` and `json-schema`: resolving the schema
 * (inline object, JSON text, or `file://schema.json|yaml` relative to the spec), compiling it once
 * with ajv (allErrors, ajv-formats; draft 2019-09 / 2020-12 when `$schema` says so), and rendering
 * validation errors for reasons.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { Ajv2019 } from 'ajv/dist/2019.js';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { canonicalJson } from '../util/hash.js';
import { errorMessage } from './text.js';
import type { SchemaErrorFact } from './types.js';

type Draft = 'draft-07' | '2019-09' | '2020-12';
type AnyAjv = Ajv | Ajv2019 | Ajv2020;

const ajvByDraft = new Map<Draft, AnyAjv>();
const validators = new Map<string, ValidateFunction>();
const schemaFiles = new Map<string, unknown>();

function draftOf(schema: unknown): Draft {
  const id = schema && typeof schema === 'object' ? (schema as Record<string, unknown>).$schema : undefined;
  if (typeof id === 'string' && id.includes('2020-12')) return '2020-12';
  if (typeof id === 'string' && id.includes('2019-09')) return '2019-09';
  return 'draft-07';
}

function ajvFor(draft: Draft): AnyAjv {
  let ajv = ajvByDraft.get(draft);
  if (!ajv) {
    // strict: false so annotations such as `example` do not make a schema unusable.
    const options = { allErrors: true, strict: false, logger: false } as const;
    // ajv is loaded on first use (it is CommonJS, so synchronously): runs without a schema never pay for it.
    const require = createRequire(import.meta.url);
    const Draft =
      draft === '2020-12'
        ? (require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020
        : draft === '2019-09'
          ? (require('ajv/dist/2019.js') as { Ajv2019: typeof Ajv2019 }).Ajv2019
          : (require('ajv') as { Ajv: typeof Ajv }).Ajv;
    ajv = new Draft(options);
    (require('ajv-formats') as { default: (ajv: AnyAjv) => void }).default(ajv);
    ajvByDraft.set(draft, ajv);
  }
  return ajv;
}

export type SchemaLookup = { ok: true; schema: object } | { ok: false; error: string };

/** The schema an assertion's `value` names: an object, JSON text, or `file://` relative to `baseDir`. */
export function resolveSchema(value: unknown, baseDir: string): SchemaLookup {
  if (value && typeof value === 'object') return { ok: true, schema: value };
  if (typeof value !== 'string') {
    return { ok: false, error: 'a JSON schema must be an object or a file:// reference' };
  }
  const text = value.trim();
  if (text.startsWith('file://')) return loadSchemaFile(path.resolve(baseDir, text.slice('file://'.length)));
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') return { ok: true, schema: parsed };
  } catch {
    // fall through
  }
  return { ok: false, error: `a JSON schema must be an object or a file:// reference, got ${JSON.stringify(text.slice(0, 80))}` };
}

function loadSchemaFile(file: string): SchemaLookup {
  if (!schemaFiles.has(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return { ok: false, error: code === 'ENOENT' ? `schema file not found: ${file}` : `cannot read schema file ${file}: ${errorMessage(error)}` };
    }
    const yaml = /\.ya?ml$/i.test(file);
    try {
      schemaFiles.set(file, yaml ? parseYaml(text) : JSON.parse(text));
    } catch (error) {
      return { ok: false, error: `schema file ${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${errorMessage(error).split('\n')[0]}` };
    }
  }
  const schema = schemaFiles.get(file);
  if (!schema || typeof schema !== 'object') return { ok: false, error: `schema file ${file} does not hold an object` };
  return { ok: true, schema };
}

export type Compiled = { ok: true; validate: ValidateFunction } | { ok: false; error: string };

/** Compiles a schema once; the same schema (by canonical JSON) reuses the compiled validator. */
export function compileSchema(schema: object): Compiled {
  const key = canonicalJson(schema);
  let validate = validators.get(key);
  if (!validate) {
    try {
      // A copy without `$id`-collisions across specs: ajv keys schemas by $id, so compile a clone.
      validate = ajvFor(draftOf(schema)).compile(JSON.parse(key) as object);
    } catch (error) {
      return { ok: false, error: `invalid JSON schema: ${errorMessage(error)}` };
    }
    validators.set(key, validate);
  }
  return { ok: true, validate };
}

/** The first `max` ajv errors as `/path: message`, joined with "; ". */
export function formatSchemaErrors(errors: ErrorObject[] | null | undefined, max = 3): string {
  const list = errors ?? [];
  const shown = list.slice(0, max).map((e) => {
    const where = e.instancePath === '' ? '(root)' : e.instancePath;
    const extra =
      e.keyword === 'additionalProperties' && 'additionalProperty' in e.params
        ? ` (${String(e.params.additionalProperty)})`
        : e.keyword === 'enum' && 'allowedValues' in e.params
          ? ` ${JSON.stringify(e.params.allowedValues)}`
          : '';
    return `${where}: ${e.message ?? e.keyword}${extra}`;
  });
  const more = list.length > max ? ` (+${list.length - max} more)` : '';
  return shown.join('; ') + more;
}

/** Errors kept as facts per failed check (ajv with allErrors can report many). */
const MAX_ERROR_FACTS = 10;

/** ajv errors as data: path, keyword, and the property a required/additionalProperties error names. */
export function schemaErrorFacts(errors: ErrorObject[] | null | undefined, max = MAX_ERROR_FACTS): SchemaErrorFact[] {
  return (errors ?? []).slice(0, max).map((e) => {
    const params = e.params as Record<string, unknown>;
    const named = params.missingProperty ?? params.additionalProperty ?? params.property ?? params.propertyName;
    return {
      path: e.instancePath,
      keyword: e.keyword,
      ...(typeof named === 'string' ? { field: named } : {}),
      message: e.message ?? e.keyword,
    };
  });
}

export type SchemaCheck = { ok: true } | { ok: false; error: string; schemaError: boolean; facts: SchemaErrorFact[] };

/**
 * Why the schema `value` names cannot be used (a file that is missing or not JSON/YAML, a value that
 * is no schema, a schema ajv cannot compile); undefined when it can. The compiled schema is kept.
 */
export function schemaProblem(value: unknown, baseDir: string): string | undefined {
  const lookup = resolveSchema(value, baseDir);
  if (!lookup.ok) return lookup.error;
  const compiled = compileSchema(lookup.schema);
  return compiled.ok ? undefined : compiled.error;
}

/** Validates `data` against the schema `value` names; `schemaError` marks a broken schema, not bad data. */
export function checkSchema(data: unknown, value: unknown, baseDir: string): SchemaCheck {
  const lookup = resolveSchema(value, baseDir);
  if (!lookup.ok) return { ok: false, error: lookup.error, schemaError: true, facts: [] };
  const compiled = compileSchema(lookup.schema);
  if (!compiled.ok) return { ok: false, error: compiled.error, schemaError: true, facts: [] };
  if (compiled.validate(data)) return { ok: true };
  const errors = compiled.validate.errors;
  return { ok: false, error: formatSchemaErrors(errors), schemaError: false, facts: schemaErrorFacts(errors) };
}
