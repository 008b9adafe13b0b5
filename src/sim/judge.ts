/**
 * Judge mode (system prompt contains `[promptopt:judge]`): replies with
 * `{"pass": bool, "score": 0..1, "reason": "..."}`. The rubric and the output to grade are read from
 * `<rubric>...</rubric>` and `<output>...</output>` tags anywhere in the request, or else from a
 * `Rubric:` section followed by an `Output:` section (each to the next section or the end).
 * pass = every double-quoted phrase of the rubric occurs in the output (case-insensitive), or, when
 * the rubric quotes nothing, at least half of its content words (stemmed) occur in the output.
 */
import type { ChatRequest } from '../providers/types.js';
import { STOPWORDS, stem, stems, words } from './text.js';

/** Words that describe the grading rather than the content asked for. */
const RUBRIC_META = new Set(
  ('output response answer reply text should must shall contain contains include includes mention mentions ' +
    'say says state states use uses clearly correct correctly properly appropriate appropriately given').split(' '),
);

export function judge(request: ChatRequest): string {
  const all = [request.system ?? '', ...request.messages.map((m) => m.content)].join('\n\n');
  const rubric = tagged(all, 'rubric') ?? section(all, 'rubric');
  const output = tagged(all, 'output') ?? section(all, 'output');
  if (rubric === undefined || output === undefined) {
    return verdict(false, 0, 'sim judge: could not find the rubric and the output (use <rubric>…</rubric> and <output>…</output>)');
  }
  const lowerOutput = output.toLowerCase();
  const phrases = [...rubric.matchAll(/"([^"]+)"|“([^”]+)”/g)].map((m) => (m[1] ?? m[2])!.trim()).filter(Boolean);
  if (phrases.length > 0) {
    const missing = phrases.filter((p) => !lowerOutput.includes(p.toLowerCase()));
    const score = (phrases.length - missing.length) / phrases.length;
    const reason =
      missing.length === 0
        ? `sim judge: the output contains every required phrase (${phrases.map((p) => `"${p}"`).join(', ')})`
        : `sim judge: the output lacks ${missing.map((p) => `"${p}"`).join(', ')}`;
    return verdict(missing.length === 0, score, reason);
  }
  const content = [...new Set(words(rubric).filter((w) => w.length >= 3 && !STOPWORDS.has(w) && !RUBRIC_META.has(w)))];
  if (content.length === 0) return verdict(true, 1, 'sim judge: the rubric asks for nothing specific');
  const outputStems = stems(output);
  const found = content.filter((w) => outputStems.has(stem(w)));
  const score = found.length / content.length;
  const missing = content.filter((w) => !found.includes(w));
  const reason =
    `sim judge: ${found.length}/${content.length} rubric words found in the output` +
    (missing.length > 0 ? `; missing: ${missing.slice(0, 8).join(', ')}` : '');
  return verdict(score >= 0.5, score, reason);
}

function verdict(pass: boolean, score: number, reason: string): string {
  return JSON.stringify({ pass, score: Math.round(score * 100) / 100, reason });
}

function tagged(text: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'i').exec(text);
  return m ? m[1]!.trim() : undefined;
}

function section(text: string, name: string): string | undefined {
  const m = new RegExp(`^\\s*${name}\\s*:[ \\t]*([\\s\\S]*?)(?=^\\s*(?:rubric|output)\\s*:|$(?![\\s\\S]))`, 'im').exec(text);
  return m ? m[1]!.trim() : undefined;
}
