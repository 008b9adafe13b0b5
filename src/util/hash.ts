import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal values always hash the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Stable hex digest of any JSON-able value. */
export function hashValue(value: unknown): string {
  return sha256(canonicalJson(value));
}

/** A number in [0, 1) derived from a seed and a key; the same inputs always give the same number. */
export function unitHash(seed: string | number, key: string): number {
  const digest = createHash('sha256').update(`${seed}\u0000${key}`).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000;
}
