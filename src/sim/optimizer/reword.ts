/**
 * Rewording without behavioural effect: what the simulated optimizer does when the request carries no
 * failure evidence (e.g. `--no-feedback`: only pass counts). It swaps a neutral opening sentence that
 * the simulated target ignores: no label, rule, example, format, intent or slot words, no input marker.
 */
import { pickByHash } from '../text.js';

export const NEUTRAL_SENTENCES = [
  'Read the request carefully before responding.',
  'Take care to be accurate and consistent.',
  'Consider the whole request before you decide.',
  'Be precise and careful.',
  'Think about what the person is asking for before you respond.',
  'Work through the request calmly and carefully.',
  'Pay attention to every detail of the request.',
  'Stay focused on what is actually written.',
  'Do this carefully and methodically.',
  'Accuracy matters more than speed here.',
];

export function reword(prompt: string, key: string): string {
  const lines = prompt.split('\n');
  const current = NEUTRAL_SENTENCES.find((s) => lines[0]?.trim() === s);
  const choices = NEUTRAL_SENTENCES.filter((s) => s !== current);
  const sentence = pickByHash(`reword:${key}`, choices);
  return current ? [sentence, ...lines.slice(1)].join('\n') : [sentence, ...lines].join('\n');
}
