/** .json (an array of cases) and .yaml/.yml (a list of cases) files, with line and column per field. */
import type { SpecIssue } from '../errors.js';
import { displayPath, positionOfOffset, type Locator } from '../spec/issues.js';
import { parseYaml, TO_JS_OPTIONS } from '../spec/read-yaml.js';
import { describeJsonError } from './json-error.js';
import { rowsFromList, type RowsRead } from './raw-row.js';

export function readJsonRows(file: string, text: string): RowsRead {
  const body = text.replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const { message, offset } = describeJsonError(error, body);
    const position = positionOfOffset(body, offset ?? 0);
    return { rows: [], issues: [{ file: displayPath(file), ...position, message: `invalid JSON: ${message}`, hint: 'a .json cases file must hold one JSON array of cases' }] };
  }
  // JSON is YAML: parse it again only to know where each field is.
  const parsed = parseYaml(file, body);
  const locator: Locator = parsed.issues.length === 0 ? parsed.locator : { file, locate: () => ({}) };
  return listRows(file, value, locator, '.json');
}

export function readYamlRows(file: string, text: string): RowsRead {
  const parsed = parseYaml(file, text);
  if (parsed.issues.length > 0) return { rows: [], issues: parsed.issues };
  return listRows(file, parsed.doc.toJS(TO_JS_OPTIONS), parsed.locator, 'YAML');
}

function listRows(file: string, value: unknown, locator: Locator, kind: string): RowsRead {
  if (!Array.isArray(value)) {
    const issue: SpecIssue = {
      file: displayPath(file),
      ...locator.locate([]),
      message: `a ${kind} cases file must hold a list of cases`,
      hint: kind === 'YAML' ? 'start each case with "- "' : 'wrap the cases in [ ... ]',
    };
    return { rows: [], issues: [issue] };
  }
  return { rows: rowsFromList(file, value, locator, { base: [], fromDataFile: true }), issues: [] };
}
