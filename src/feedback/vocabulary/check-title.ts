/**
 * The name a failure group and a failed-check line carry: the assertion type (with `not-`), the
 * spec's `metric:` name in brackets, and for a javascript check the shape of what it said, as a
 * JSON string: `equals`, `regex [final-answer]`, `javascript [ifeval] "has # bullet points, needs #"`.
 */
import { readJsonString } from './json-text.js';

export interface CheckTitle {
  type: string;
  metric?: string;
  /** The shape of a javascript check's reason (see reason-shape.ts). */
  said?: string;
}

export function formatCheckTitle(title: CheckTitle): string {
  const metric = title.metric !== undefined && title.metric !== '' ? ` [${title.metric.replace(/[\]\n]/g, ' ')}]` : '';
  const said = title.said !== undefined && title.said !== '' ? ` ${JSON.stringify(title.said)}` : '';
  return `${title.type}${metric}${said}`;
}

/** A title inside a longer line (a regular-expression source, no groups): what other readers embed. */
export const CHECK_TITLE_SOURCE = String.raw`[a-z][a-z-]*(?: \[[^\]\n]*\])?(?: "(?:[^"\\\n]|\\.)*")?`;

const TITLE = /^([a-z][a-z-]*)(?: \[([^\]\n]*)\])?(?: (".*"))?$/;

export function parseCheckTitle(text: string): CheckTitle | undefined {
  const m = TITLE.exec(text.trim());
  if (!m) return undefined;
  const said = m[3] === undefined ? undefined : readJsonString(m[3], 0);
  if (m[3] !== undefined && (!said || said.end !== m[3].length)) return undefined;
  return { type: m[1]!, ...(m[2] !== undefined ? { metric: m[2] } : {}), ...(said ? { said: said.value } : {}) };
}
