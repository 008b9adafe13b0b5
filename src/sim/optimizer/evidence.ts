/**
 * What the feedback text of an optimizer request shows (see src/feedback/format-feedback.ts): failing
 * cases with their input, expected and actual output (training feedback), label confusions with
 * counts, frequent tokens and shape counts (also in descriptive validation feedback, which has no
 * case text), and the training cases to preserve. Parsed leniently: anything unrecognized is ignored.
 */

export interface ShownCase {
  id: string;
  /** The input text (the value of the prompt's input variable). */
  input: string;
  /** The input was cut short in the feedback (ends with …). */
  truncated: boolean;
  expected?: string;
  actual?: string;
  categories: string[];
}

export interface Confusion {
  expected: string;
  actual: string;
  count: number;
}

export interface Evidence {
  /** Failing cases shown (case blocks and group examples), one per id. */
  cases: ShownCase[];
  /** Training cases that must keep passing. */
  constraints: ShownCase[];
  confusions: Confusion[];
  /** Labels named in "Allowed labels: ..." fixes. */
  allowedLabels: string[];
  /** Failure categories with their case counts. */
  categories: Map<string, number>;
  /** Token counts of expected values in failing groups ("expected values often contain ..."). */
  expectedTokens: Map<string, number>;
  /** Patterns say outputs hold the expected answer inside extra words, or in the wrong case. */
  wrappedAnswers: number;
  /** Patterns say outputs wrap JSON in code fences or text. */
  wrappedJson: number;
  /** "Failure details withheld": only pass counts. */
  withheld: boolean;
  /** Patterns only (validation feedback): no case text. */
  descriptive: boolean;
}

/**
 * @param inputVar  the variable whose value is the input (the prompt's last variable); when a case
 *                  shows several variables and none has this name, the first string is used.
 */
export function readEvidence(feedback: string, constraints: string, inputVar: string | undefined): Evidence {
  const cases = new Map<string, ShownCase>();
  for (const c of [...caseBlocks(feedback, inputVar), ...groupExamples(feedback, inputVar)]) {
    if (!cases.has(c.id)) cases.set(c.id, c);
  }
  const constraintCases = [...caseBlocks(constraints, inputVar), ...caseBlocks(feedbackConstraints(feedback), inputVar)];
  const categories = new Map<string, number>();
  for (const m of feedback.matchAll(/^\s*\d+\. ([a-z_]+): (\d+) cases?\b/gm)) {
    categories.set(m[1]!, Math.max(categories.get(m[1]!) ?? 0, Number(m[2])));
  }
  const expectedTokens = new Map<string, number>();
  for (const m of feedback.matchAll(/expected values often contain ([^;\n]+)/g)) {
    for (const t of m[1]!.matchAll(/([^\s,()]+) \((\d+)\)/g)) {
      expectedTokens.set(t[1]!, Math.max(expectedTokens.get(t[1]!) ?? 0, Number(t[2])));
    }
  }
  const allowedLabels = new Set<string>();
  for (const m of feedback.matchAll(/Allowed labels: ([^\n]+?)\.(?:\s|$)/g)) {
    for (const label of m[1]!.split(/,\s*/)) if (label.trim()) allowedLabels.add(label.trim());
  }
  const sum = (re: RegExp) => [...feedback.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
  const most = (re: RegExp) => [...feedback.matchAll(re)].reduce((n, m) => Math.max(n, Number(m[1])), 0);
  return {
    cases: [...cases.values()],
    constraints: constraintCases,
    confusions: readConfusions(feedback),
    allowedLabels: [...allowedLabels],
    categories,
    expectedTokens,
    wrappedAnswers:
      sum(/(\d+) of \d+ outputs contain the expected (?:label|answer) with extra words/g) +
      sum(/(\d+) outputs? (?:is|are) the expected (?:label|answer) in the wrong letter case/g),
    wrappedJson: Math.max(most(/(\d+) use code fences/g), most(/(\d+) have text around the JSON/g), categories.get('invalid_json') ?? 0),
    withheld: /Failure details withheld/i.test(feedback),
    descriptive: /individual cases are withheld/i.test(feedback) || (cases.size === 0 && /Failure patterns by category/i.test(feedback)),
  };
}

/** Regression constraints rendered inside the feedback itself ("Training constraints to preserve: ..."). */
function feedbackConstraints(feedback: string): string {
  const at = feedback.search(/^Training constraints to preserve:/m);
  return at < 0 ? '' : feedback.slice(at);
}

function readConfusions(feedback: string): Confusion[] {
  const pairs = new Map<string, Confusion>();
  for (const line of feedback.split('\n')) {
    if (!line.includes('→')) continue;
    for (const m of line.matchAll(/([^\s,:;()]+) → (\(other\)|[^\s,;()]+) \((\d+)\)/g)) {
      const key = `${m[1]}\u0000${m[2]}`;
      const count = Number(m[3]);
      const old = pairs.get(key);
      if (!old || old.count < count) pairs.set(key, { expected: m[1]!, actual: m[2]!, count });
    }
  }
  return [...pairs.values()].sort((a, b) => b.count - a.count);
}

/** `- case <id> [cats]` blocks with indented `input:`, `expected:`, `actual:`/`now answered:` lines. */
function caseBlocks(text: string, inputVar: string | undefined): ShownCase[] {
  const out: ShownCase[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^\s*- case (\S+)(?: \[([^\]]*)\])?\s*$/.exec(lines[i]!);
    if (!head) continue;
    const fields = new Map<string, string>();
    let j = i + 1;
    for (; j < lines.length && /^\s{2,}\S/.test(lines[j]!) && !/^\s*- case /.test(lines[j]!); j++) {
      const f = /^\s*(input|expected|actual|now answered|the broken candidate answered|diff|why|why it fails):\s?(.*)$/.exec(lines[j]!);
      if (f) fields.set(f[1]!, f[2]!);
    }
    const rawInput = fields.get('input');
    if (rawInput === undefined) continue;
    const input = readInput(rawInput, inputVar);
    out.push({
      id: head[1]!,
      input: input.text,
      truncated: input.truncated,
      expected: readValue(fields.get('expected')),
      actual: readValue(fields.get('actual') ?? fields.get('now answered') ?? fields.get('the broken candidate answered')),
      categories: (head[2] ?? '').split(/,\s*/).filter(Boolean),
    });
    i = j - 1;
  }
  return out;
}

/** `Example: case <id>; input: k="v"; expected: "..."; actual: "..."; why: ...` lines of group blocks. */
function groupExamples(text: string, inputVar: string | undefined): ShownCase[] {
  const out: ShownCase[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*Example: case (\S+); input: (.*)$/.exec(line);
    if (!m) continue;
    const vars = readVars(m[2]!);
    let rest = m[2]!.slice(vars.end);
    const field = (name: string): string | undefined => {
      const f = new RegExp(`^; ${name}: `).exec(rest);
      if (!f) return undefined;
      const value = readJsonString(rest, f[0].length);
      if (!value) return undefined;
      rest = rest.slice(value.end);
      return value.value;
    };
    const expected = field('expected');
    const actual = field('actual');
    const input = pickInput(vars.values, inputVar);
    if (input === undefined) continue;
    out.push({ id: m[1]!, input: input.replace(/…$/, ''), truncated: input.endsWith('…'), expected, actual, categories: [] });
  }
  return out;
}

function readValue(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  if (trimmed.startsWith('"')) {
    const v = readJsonString(trimmed, 0);
    if (v) return v.value;
  }
  return trimmed;
}

/** `k="v", n=3` (training feedback) or `k: v` (constraints); the input variable's text. */
function readInput(raw: string, inputVar: string | undefined): { text: string; truncated: boolean } {
  const vars = readVars(raw);
  let text: string;
  const cut = /^[A-Za-z_][\w.-]*="(.*)$/.exec(raw);
  if (vars.values.size > 0) text = pickInput(vars.values, inputVar) ?? raw;
  else if (cut) text = `${cut[1]!.replace(/\\"/g, '"').replace(/…$/, '')}…`; // the vars were cut inside the first value
  else {
    const named = /^([A-Za-z_][\w.-]*):\s(.*)$/.exec(raw);
    text = named ? named[2]! : raw;
  }
  return { text: text.replace(/…$/, ''), truncated: text.endsWith('…') };
}

function pickInput(values: Map<string, string>, inputVar: string | undefined): string | undefined {
  if (inputVar && values.has(inputVar)) return values.get(inputVar);
  return [...values.values()][0];
}

/** Reads `key="json string", key2=123, ...` from the start of `text`. */
function readVars(text: string): { values: Map<string, string>; end: number } {
  const values = new Map<string, string>();
  let pos = 0;
  for (;;) {
    const key = /^([A-Za-z_][\w.-]*)=/.exec(text.slice(pos));
    if (!key) break;
    const at = pos + key[0].length;
    if (text[at] === '"') {
      const value = readJsonString(text, at);
      if (!value) break;
      values.set(key[1]!, value.value);
      pos = value.end;
    } else {
      const end = text.slice(at).search(/, [A-Za-z_][\w.-]*=|; |$/);
      pos = at + end;
    }
    if (text.startsWith(', ', pos)) pos += 2;
    else break;
  }
  return { values, end: pos };
}

/** A JSON string literal starting at `start` (which must be `"`). */
function readJsonString(text: string, start: number): { value: string; end: number } | undefined {
  if (text[start] !== '"') return undefined;
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] === '"') {
      try {
        return { value: JSON.parse(text.slice(start, i + 1)) as string, end: i + 1 };
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
