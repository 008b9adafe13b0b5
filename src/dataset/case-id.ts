/** A case's id when the data gives none: stable across runs and machines, independent of order. */
import { hashValue } from '../util/hash.js';

export const CASE_ID_LENGTH = 12;

export function caseId(vars: Record<string, unknown>, expected: unknown): string {
  return hashValue({ vars, expected }).slice(0, CASE_ID_LENGTH);
}
