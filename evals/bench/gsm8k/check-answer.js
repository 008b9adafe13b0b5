// Custom assertion of the bench task gsm8k (from test/fixtures/tasks/gsm8k, MIT): the last number in the reply equals the expected answer (thousands separators ignored).
export function lastNumber(output, context) {
  const numbers = output.replace(/(\d),(?=\d{3}\b)/g, '$1').match(/-?\d+(?:\.\d+)?/g) ?? [];
  const last = numbers.at(-1);
  if (last === undefined) return { pass: false, score: 0, reason: 'the reply has no number' };
  const pass = Number(last) === Number(context.expected);
  return { pass, score: pass ? 1 : 0, reason: pass ? 'right answer' : `last number is ${last} but expected ${context.expected}` };
}
