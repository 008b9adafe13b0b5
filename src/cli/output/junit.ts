/**
 * JUnit XML for CI dashboards: one testsuite per split, one testcase per case. Streamed through
 * xmlbuilder2's callback builder (no document tree), so 100k cases cost no more memory than 10.
 */
import type { SplitName } from '../../spec/types.js';
import type { SplitSummary } from '../../runner/types.js';
import type { CaseJson } from './eval-json.js';
import type { TextSink } from './text-sink.js';

/**
 * xmlbuilder2 escapes `&` only when it does not already start an entity reference, so a model
 * output holding `&nbsp;` would reach the file as an undefined entity (invalid XML) and `&amp;` would
 * read back as `&`. Escaping every `&` first leaves it nothing to guess.
 */
const ampersands = (value: string) => value.replace(/&/g, '&amp;');

/**
 * Characters XML 1.0 does not allow (control characters, lone surrogates, U+FFFE/U+FFFF) become
 * U+FFFD, as the tree builder's `invalidCharReplacement` would do (the callback builder drops them).
 */
const INVALID_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const text = (value: string) => ampersands(value).replace(INVALID_XML, '\uFFFD');

/** Characters of a case's input a testcase name carries. */
export const NAME_INPUT_CHARS = 60;

/**
 * A testcase's name: the case id and the start of its input (the `input` variable, else the first),
 * on one line, so a CI dashboard says which case failed even when the id is a hash.
 */
export function testcaseName(id: string, vars: Record<string, unknown> | undefined): string {
  const value = vars ? ('input' in vars ? vars.input : Object.values(vars)[0]) : undefined;
  if (value === undefined || value === null) return id;
  const line = (typeof value === 'string' ? value : JSON.stringify(value)).replace(/\s+/g, ' ').trim();
  if (line === '') return id;
  const chars = [...line];
  return `${id}: ${chars.length > NAME_INPUT_CHARS ? `${chars.slice(0, NAME_INPUT_CHARS - 1).join('').trimEnd()}…` : line}`;
}

export interface JunitInput {
  task: string;
  summaries: SplitSummary[];
  wallTimeMs: number;
  /** The splits, in the order their first case appears. */
  splits: SplitName[];
  /** The case records of one split, in the cases' order. */
  cases: (split: SplitName) => Iterable<CaseJson>;
  /** A testcase's name by case id (default: the id); see testcaseName. */
  nameOf?: (caseId: string) => string;
  /**
   * The eval's gate, written as each testsuite's properties: the exit code is the verdict, and a
   * dashboard counting failed cases should not read red where the gate passed (a threshold below 100%,
   * or the mean score as the objective).
   */
  gate?: { objective: string; score: number; threshold: number; passed: boolean; exitCode: number };
}

export async function writeJunit(sink: TextSink, input: JunitInput): Promise<void> {
  const { createCB } = await import('xmlbuilder2'); // only runs with --junit: not loaded otherwise
  const { task, summaries } = input;
  let pending = '';
  const xml = createCB({ data: (chunk: string) => void (pending += chunk), prettyPrint: true });
  const flush = async () => {
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    await sink.write(chunk);
  };
  const counts = (split: SplitName | 'all') => {
    const s = summaries.find((summary) => summary.split === split);
    // A case with a provider error never passes: failures are the other failing cases. A case no
    // assertion checked is a skipped test.
    const total = s?.total ?? 0;
    const skipped = s?.unchecked ?? 0;
    return {
      tests: total + skipped,
      failures: total - (s?.passed ?? 0) - (s?.providerErrors ?? 0),
      errors: s?.providerErrors ?? 0,
      ...(skipped > 0 ? { skipped } : {}),
    };
  };

  xml.dec({ version: '1.0', encoding: 'UTF-8' });
  xml.ele('testsuites', { name: text(`promptopt ${task}`), ...counts('all'), time: (input.wallTimeMs / 1000).toFixed(3) });
  for (const split of input.splits) {
    xml.ele('testsuite', { name: text(`${task}.${split}`), ...counts(split) });
    if (input.gate) {
      const g = input.gate;
      xml.ele('properties');
      for (const [name, value] of [
        ['promptopt.objective', g.objective],
        ['promptopt.score', g.score.toFixed(6)],
        ['promptopt.threshold', String(g.threshold)],
        ['promptopt.verdict', g.passed ? 'pass' : 'fail'],
        ['promptopt.exit_code', String(g.exitCode)],
      ] as const) xml.ele('property', { name, value }).up();
      xml.up();
    }
    for (const c of input.cases(split)) {
      xml.ele('testcase', { classname: text(`${task}.${split}`), name: text(input.nameOf?.(c.id) ?? c.id), time: (c.latency_ms / 1000).toFixed(3) });
      if (c.provider_error) {
        const message = text(c.provider_error.message);
        xml.ele('error', { message, type: c.provider_error.code }).txt(message).up();
      } else if (c.unchecked) {
        xml.ele('skipped', { message: 'unchecked: no assertion applies to this case' }).up();
      } else if (!c.pass) {
        const message = c.failures.map((f) => `${f.category}: ${f.reason}`).join('; ');
        xml.ele('failure', { message: text(message), type: c.failures[0]?.category ?? 'failure' }).txt(text(`${message}\n\nscore: ${c.score ?? 0}\noutput:\n${c.output}`)).up();
      }
      xml.up();
      if (pending.length >= 64 * 1024) await flush();
    }
    xml.up();
  }
  xml.up();
  xml.end();
  await flush();
}
