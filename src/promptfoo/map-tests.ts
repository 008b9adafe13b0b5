/**
 * `tests:` and `defaultTest:` -> native cases and defaults. A test's `vars` (over `defaultTest.vars`;
 * a `file://` var read as text; a list-valued var run once per value, as promptfoo does), `assert`,
 * `threshold`, `description` and `metadata` map; `defaultTest.assert` / `.threshold` /
 * `.options.transform` become `defaults.assert`, `defaults.threshold` and the spec's `transform`.
 * What has no native counterpart (a test's own `options`, `_conversation`, provider filters...) is
 * named in the warning.
 */
import { extname } from 'node:path';
import { displayPath, type PathSegment } from '../spec/issues.js';
import type { FileScope } from '../spec/file-scope.js';
import { mapAssertion } from './map-assertion.js';
import type { MappingNotes } from './notes.js';
import { formatWhere } from './notes.js';
import type { YamlSource } from './read-config.js';
import { configPath, FILE_PREFIX, readConfigFile } from './read-file.js';
import { readTestFile, type RawTest } from './read-test-files.js';
import type { MappedCase, Where } from './types.js';

export interface MappedTests {
  cases: MappedCase[];
  defaultAssert: Record<string, unknown>[];
  defaultThreshold?: number;
  transform?: string;
}

const TEST_KEYS = ['description', 'vars', 'assert', 'threshold', 'metadata', 'options'];

export async function mapTests(source: YamlSource, dir: string, scope: FileScope, notes: MappingNotes): Promise<MappedTests> {
  const config = source.value as Record<string, unknown>;
  const defaults = await mapDefaultTest(config.defaultTest, source, dir, scope, notes);
  const rawTests = await collectTests(config.tests, source, dir, scope, notes);
  const cases: MappedCase[] = [];
  for (const test of rawTests) cases.push(...(await mapTest(test, defaults.vars, dir, scope, notes)));
  return {
    cases,
    defaultAssert: defaults.assert,
    ...(defaults.threshold !== undefined ? { defaultThreshold: defaults.threshold } : {}),
    ...(defaults.transform !== undefined ? { transform: defaults.transform } : {}),
  };
}

async function collectTests(raw: unknown, source: YamlSource, dir: string, scope: FileScope, notes: MappingNotes): Promise<RawTest[]> {
  if (raw === undefined) {
    notes.fail(source.at([]), 'the config has no tests', 'add tests: [...] or tests: file://tests.csv');
    return [];
  }
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list)) {
    notes.fail(source.at(['tests']), 'tests must be a list of tests or test files');
    return [];
  }
  const tests: RawTest[] = [];
  for (const [index, entry] of list.entries()) {
    const path: PathSegment[] = typeof raw === 'string' ? ['tests'] : ['tests', index];
    if (typeof entry === 'string') {
      if (entry.startsWith(FILE_PREFIX) || /\.(csv|ya?ml|jsonl?)$/i.test(entry)) tests.push(...(await readTestFile(entry.startsWith(FILE_PREFIX) ? entry : `${FILE_PREFIX}${entry}`, source.at(path), dir, scope, notes)));
      else notes.fail(source.at(path), `a test is a mapping or a file://tests.csv reference, not "${entry}"`);
    } else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
      tests.push({ value: entry as Record<string, unknown>, at: (p, o) => source.at([...path, ...p], o), expandLists: true });
    } else notes.fail(source.at(path), 'a test is a mapping with vars and assert');
  }
  return tests;
}

interface Defaults {
  vars: Record<string, unknown>;
  assert: Record<string, unknown>[];
  threshold?: number;
  transform?: string;
}

async function mapDefaultTest(raw: unknown, source: YamlSource, dir: string, scope: FileScope, notes: MappingNotes): Promise<Defaults> {
  if (raw === undefined) return { vars: {}, assert: [] };
  const where = source.at(['defaultTest']);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    notes.fail(where, 'defaultTest cannot be mapped: promptopt reads it written in the config (a mapping with vars, assert, options)');
    return { vars: {}, assert: [] };
  }
  const test = raw as Record<string, unknown>;
  const at = (p: readonly PathSegment[]) => source.at(['defaultTest', ...p]);
  const vars = await mapVars(test.vars, at, dir, scope, notes);
  const assert = mapAssertions(test.assert, at, notes, 'defaultTest.assert');
  let transform: string | undefined;
  const options = (test.options ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(options)) {
    if (key === 'transform' && typeof value === 'string') transform = value;
    else notes.skip(source.at(['defaultTest', 'options', key], { key: true }), `defaultTest.options.${key}`);
  }
  for (const key of Object.keys(test)) if (!['vars', 'assert', 'threshold', 'options'].includes(key)) notes.unknownKey(source.at(['defaultTest', key], { key: true }), key, TEST_KEYS, `defaultTest.${key}`);
  return { vars, assert, ...(typeof test.threshold === 'number' ? { threshold: test.threshold } : {}), ...(transform !== undefined ? { transform } : {}) };
}

async function mapTest(test: RawTest, defaultVars: Record<string, unknown>, dir: string, scope: FileScope, notes: MappingNotes): Promise<MappedCase[]> {
  const { value } = test;
  const where = test.at([]);
  for (const key of Object.keys(value)) {
    if (!TEST_KEYS.includes(key)) notes.unknownKey(test.at([key], { key: true }), key, [...TEST_KEYS, 'provider', 'providers', 'prompts'], `test \`${key}\`${key === 'provider' || key === 'providers' || key === 'prompts' ? ' (the test runs with every prompt and provider)' : ''}`);
  }
  const options = (value.options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(options)) notes.skip(test.at(['options', key], { key: true }), `test options.${key}${key === 'transform' ? ' (only defaultTest.options.transform maps, to the spec\'s transform)' : ''}`);
  const vars = { ...defaultVars, ...(await mapVars(value.vars, (p) => test.at(['vars', ...p]), dir, scope, notes)) };
  if ('_conversation' in vars) notes.skip(test.at(['vars']), '`_conversation` (multi-turn history is not kept between cases)');
  const assert = mapAssertions(value.assert, test.at, notes, 'assert');
  const metadata: Record<string, unknown> = { ...((value.metadata ?? {}) as Record<string, unknown>) };
  if (typeof value.description === 'string') metadata.description = value.description;
  const base: Omit<MappedCase, 'vars' | 'id'> = {
    ...(assert.length > 0 ? { assert } : {}),
    ...(typeof value.threshold === 'number' ? { threshold: value.threshold } : {}),
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
  // The id says where the test is (`reviews.csv:4`; `#2` for the second value of a list var).
  const id = formatWhere(where);
  const all = test.expandLists ? expandLists(vars) : [vars];
  return all.map((v, index) => ({ id: all.length > 1 ? `${id}#${index + 1}` : id, vars: v, ...base }));
}

function mapAssertions(raw: unknown, at: (p: readonly PathSegment[]) => Where, notes: MappingNotes, name: string): Record<string, unknown>[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    notes.fail(at(['assert']), `${name} must be a list of assertions`);
    return [];
  }
  return raw.flatMap((a: unknown, i) => {
    const mapped = mapAssertion(a, at(['assert', i]), notes);
    return mapped ? [mapped] : [];
  });
}

const SCRIPT_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.py'];

/** Vars as written; a `file://` value is the file's text (a script var is named in the warning, its reference kept). */
async function mapVars(raw: unknown, at: (p: readonly PathSegment[]) => Where, dir: string, scope: FileScope, notes: MappingNotes): Promise<Record<string, unknown>> {
  if (raw === undefined) return {};
  if (typeof raw === 'string') {
    notes.fail(at([]), `vars from ${raw} cannot be mapped: promptopt reads vars written in the config or in a test file`);
    return {};
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    notes.fail(at([]), 'vars must be a mapping of names to values');
    return {};
  }
  const vars: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value !== 'string' || !value.startsWith(FILE_PREFIX)) {
      vars[name] = value;
      continue;
    }
    const file = configPath(dir, value);
    if (SCRIPT_EXTENSIONS.includes(extname(file).toLowerCase())) {
      notes.skip(at([name]), `var \`${name}\` computed by ${displayPath(file)} (sent as the text "${value}")`);
      vars[name] = value;
      continue;
    }
    const text = await readConfigFile(file, `file of var ${name}`, at([name]), scope, notes);
    if (text !== undefined) vars[name] = text;
  }
  return vars;
}

/** `{ lang: [fr, de], x: 1 }` -> `[{ lang: fr, x: 1 }, { lang: de, x: 1 }]` (every combination of the lists). */
export function expandLists(vars: Record<string, unknown>): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [name, value] of Object.entries(vars)) {
    const values = Array.isArray(value) && value.length > 0 ? value : [value];
    out = out.flatMap((partial) => values.map((v) => ({ ...partial, [name]: v })));
  }
  return out;
}
