/** Reading a promptfoo config (or a test or prompt file it names) as YAML/JSON with positions. */
import { readFile } from 'node:fs/promises';
import { SpecError } from '../errors.js';
import { displayPath, type PathSegment } from '../spec/issues.js';
import { parseYaml, TO_JS_OPTIONS } from '../spec/read-yaml.js';
import type { Where } from './types.js';

/** A parsed YAML/JSON file and the line of any path in it. */
export interface YamlSource {
  file: string;
  value: unknown;
  /** `key: true`: the line of the key rather than of its value. */
  at(path: readonly PathSegment[], options?: { key?: boolean }): Where;
}

/** Parses `text` of `file`; a YAML error is a SpecError naming its line. */
export function parseSource(file: string, text: string): YamlSource {
  const parsed = parseYaml(file, text);
  if (parsed.issues.length > 0) throw new SpecError(parsed.issues);
  return {
    file,
    value: parsed.doc.toJS(TO_JS_OPTIONS),
    at: (path, options) => ({ file, line: parsed.locator.locate(path, options).line }),
  };
}

export async function readSource(file: string): Promise<YamlSource> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SpecError([{ file: displayPath(file), message: code === 'ENOENT' ? 'file not found' : `cannot read: ${(error as Error).message}` }]);
  }
  return parseSource(file, text);
}
