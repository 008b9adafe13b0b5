/**
 * The splits file: the train/validation/test assignment kept beside the file that holds the cases
 * (`cases.jsonl.splits.json`; `task.yaml.splits.json` for cases written in the spec), with the
 * settings it was made with. Meant to be committed with the cases. Written in one canonical form
 * (ids sorted, one per line), so the same assignment is always the same bytes and a diff shows
 * exactly the cases that were added.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { PromptoptError } from '../errors.js';
import { displayPath } from '../spec/issues.js';
import { SPLIT_NAMES, type Spec, type SplitConfig, type SplitName } from '../spec/types.js';
import type { SplitAssignment } from './split-cases.js';

export const SPLITS_FILE_SUFFIX = '.splits.json';

export interface SplitsRecord {
  settings: SplitConfig;
  splits: SplitAssignment;
}

/** The file beside the cases file, or beside the spec when the cases are inline. */
export function splitsFilePath(spec: Pick<Spec, 'file' | 'casesFile'>): string {
  return `${spec.casesFile ?? spec.file}${SPLITS_FILE_SUFFIX}`;
}

/** The file's text and record; undefined when there is no file yet. A damaged file is an error naming it. */
export async function readSplitsFile(path: string): Promise<{ text: string; record: SplitsRecord } | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw invalid(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid(path, `is not valid JSON (${(error as Error).message})`);
  }
  return { text, record: parseRecord(path, value) };
}

/** The canonical text: settings, then one `"id": "split"` line per case, ids in code-point order. */
export function formatSplitsFile(record: SplitsRecord, casesFileName: string): string {
  const { train, validation, test, seed, stratify } = record.settings;
  const ids = Object.keys(record.splits).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lines = ids.map((id, i) => `    ${JSON.stringify(id)}: ${JSON.stringify(record.splits[id])}${i < ids.length - 1 ? ',' : ''}`);
  return [
    '{',
    `  "about": ${JSON.stringify(`promptopt's train/validation/test split of each case in ${casesFileName}. Commit it with the cases: a case keeps its split when cases are added or removed. Delete this file to split every case afresh.`)},`,
    `  "settings": ${JSON.stringify({ train, validation, test, seed, stratify })},`,
    ids.length === 0 ? '  "splits": {}' : '  "splits": {',
    ...(ids.length === 0 ? [] : [...lines, '  }']),
    '}',
    '',
  ].join('\n');
}

export function casesFileNameOf(splitsFile: string): string {
  return basename(splitsFile).slice(0, -SPLITS_FILE_SUFFIX.length);
}

function parseRecord(path: string, value: unknown): SplitsRecord {
  if (!isObject(value)) throw invalid(path, 'must be a JSON object with "settings" and "splits"');
  const settings = value['settings'];
  if (
    !isObject(settings) ||
    !SPLIT_NAMES.every((name) => typeof settings[name] === 'number') ||
    typeof settings['seed'] !== 'number' ||
    typeof settings['stratify'] !== 'boolean'
  ) {
    throw invalid(path, '"settings" must be { train, validation, test, seed: numbers; stratify: true or false }');
  }
  const splits = value['splits'];
  if (!isObject(splits)) throw invalid(path, '"splits" must be an object of case id -> train, validation or test');
  for (const [id, split] of Object.entries(splits)) {
    if (!(SPLIT_NAMES as readonly unknown[]).includes(split)) {
      throw invalid(path, `case ${JSON.stringify(id)} has split ${JSON.stringify(split)}; use train, validation or test`);
    }
  }
  return {
    settings: {
      train: settings['train'] as number,
      validation: settings['validation'] as number,
      test: settings['test'] as number,
      seed: settings['seed'],
      stratify: settings['stratify'],
    },
    splits: Object.assign(Object.create(null) as SplitAssignment, splits as Record<string, SplitName>),
  };
}

function invalid(path: string, problem: string): PromptoptError {
  return new PromptoptError('SPLITS_FILE_INVALID', `splits file ${displayPath(path)} ${problem}`, {
    hint: 'restore it from version control, or delete it to split every case afresh',
    location: { file: displayPath(path) },
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
