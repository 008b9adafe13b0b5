/**
 * Deterministic "model noise" for the simulator: about 5% of inputs (chosen by a hash of the input
 * alone, so rewording a prompt never moves them) get a confusable answer instead of the one the prompt
 * leads to. Rules written in the prompt override the noise, so 100% is reachable only by rules that
 * cover the hard inputs; without them the usual confusions between similar labels show up.
 */
import { unitHash } from '../util/hash.js';
import { pickByHash } from './text.js';

export const NOISE_RATE = 0.05;

/** True for about NOISE_RATE of keys; `salt` makes independent draws (label, intent, slot...). */
export function isNoisy(key: string, salt = 'label'): boolean {
  return unitHash(`promptopt-sim-noise-v1:${salt}`, key) < NOISE_RATE;
}

/** The words of a label name: `card_arrival` → card, arrival; `AddToPlaylist` → add, to, playlist. */
export function labelWords(label: string): string[] {
  return label
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * A label easy to confuse with `label`: among the other labels, one sharing most name words with it
 * (picked by the hash of `key` on ties); with none sharing a word, any other label.
 */
export function confusableLabel(label: string, labels: readonly string[], key: string): string {
  const others = labels.filter((l) => l.toLowerCase() !== label.toLowerCase());
  if (others.length === 0) return label;
  const own = new Set(labelWords(label));
  let best: string[] = [];
  let bestScore = 0;
  for (const other of others) {
    const score = labelWords(other).filter((w) => own.has(w)).length;
    if (score > bestScore) [best, bestScore] = [[other], score];
    else if (score === bestScore && score > 0) best.push(other);
  }
  return pickByHash(`confuse:${key}`, bestScore > 0 ? best : others);
}
