// Custom assertion of the bench task snips-slots (a copy of examples/snips-extraction/check-extraction.js, MIT): `javascript: file://check-extraction.js:checkExtraction`.
//
// Passes when the output is exactly one JSON object (no prose, no code fence around it), its intent
// equals the expected intent, every predicted slot value is a substring of the input, and at least
// half of the expected slots are predicted with the expected value (slot recall >= 0.5; a slot counts
// when its name matches and its value equals the expected one, ignoring case and surrounding space).
//
// Score (0..1): 0.5 for the intent + 0.5 x slot recall, set to 0 for the slots part when a value is not
// in the input, and halved when the JSON is wrapped in prose or a fence. The expected JSON is returned as
// `expected`, so feedback shows it next to the output.

/** The output parsed strictly, else the first JSON object inside it (marked as wrapped). */
function readJson(output) {
  const text = output.trim();
  try {
    return { value: JSON.parse(text), wrapped: false };
  } catch {
    // fall through: look for an embedded object
  }
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start >= 0 && end > start) {
    try {
      return { value: JSON.parse(text.slice(start, end + 1)), wrapped: true };
    } catch {
      // not JSON either
    }
  }
  return undefined;
}

const norm = (s) => String(s).trim().toLowerCase();

export function checkExtraction(output, context) {
  const expected = context.expected ?? {};
  const expectedText = JSON.stringify(expected);
  const input = String(context.vars.input ?? '');
  const parsed = readJson(output);
  if (!parsed || parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    return { pass: false, score: 0, category: 'invalid_json', reason: 'output is not a JSON object', expected: expectedText };
  }
  const got = parsed.value;
  const problems = [];
  const intentOk = got.intent === expected.intent;
  if (!intentOk) problems.push(`intent ${JSON.stringify(got.intent)} should be ${JSON.stringify(expected.intent)}`);

  const slots = got.slots !== null && typeof got.slots === 'object' && !Array.isArray(got.slots) ? got.slots : {};
  const invented = Object.entries(slots).filter(([, v]) => typeof v !== 'string' || !input.toLowerCase().includes(norm(v)));
  if (invented.length > 0) problems.push(`slot values not found in the input: ${invented.map(([k]) => k).join(', ')}`);

  const wanted = Object.entries(expected.slots ?? {});
  const found = wanted.filter(([k, v]) => typeof slots[k] === 'string' && norm(slots[k]) === norm(v));
  const recall = wanted.length === 0 ? 1 : found.length / wanted.length;
  const missed = wanted.filter(([k, v]) => !(typeof slots[k] === 'string' && norm(slots[k]) === norm(v)));
  if (missed.length > 0) problems.push(`missed slots: ${missed.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`);

  let score = (intentOk ? 0.5 : 0) + (invented.length === 0 ? 0.5 * recall : 0);
  if (parsed.wrapped) {
    score /= 2;
    problems.unshift('the JSON is wrapped in prose or a code fence; reply with the JSON object only');
  }
  const pass = !parsed.wrapped && intentOk && invented.length === 0 && recall >= 0.5;
  const category = parsed.wrapped ? 'invalid_json' : !intentOk ? 'wrong_answer' : 'missing_content';
  return {
    pass,
    score: Math.round(score * 1000) / 1000,
    reason: pass ? `intent ok, slot recall ${recall.toFixed(2)}` : `${problems.join('; ')} (slot recall ${recall.toFixed(2)})`,
    expected: expectedText,
    ...(pass ? {} : { category }),
  };
}
