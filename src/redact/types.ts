/**
 * Redaction of personal data in free text: what can be found (built-in types and user patterns),
 * how the spec configures it, and the placeholders that replace it (`<EMAIL_1>`, `<CARD_2>`).
 */

/** Built-in detectors, in the order they win when two of them claim overlapping text. */
export const REDACTION_TYPES = ['secret', 'email', 'iban', 'card', 'ip', 'phone'] as const;
export type RedactionType = (typeof REDACTION_TYPES)[number];

/** The placeholder stem of each built-in type. */
export const PLACEHOLDER_STEMS: Record<RedactionType, string> = {
  secret: 'SECRET',
  email: 'EMAIL',
  iban: 'IBAN',
  card: 'CARD',
  ip: 'IP',
  phone: 'PHONE',
};

/** A user pattern's name is its placeholder stem: upper case letters, digits and `_`. */
export const PATTERN_NAME = /^[A-Z][A-Z0-9_]*$/;

export interface UserPattern {
  /** Placeholder stem, e.g. `EMPLOYEE_ID` -> `<EMPLOYEE_ID_1>`. */
  name: string;
  /** The source of a JavaScript regular expression (matched globally). */
  regex: string;
  ignoreCase: boolean;
}

/** `redact:` in the spec, normalized. */
export interface RedactConfig {
  /** Imports redact unless this is false (`redact: false`) or `--no-redact` is given. */
  enabled: boolean;
  /** Built-in types that are looked for (default: all). */
  types: RedactionType[];
  patterns: UserPattern[];
  /**
   * Also find phone numbers written in this region's national format (ISO 3166 code, e.g. `GB`).
   * Default: none, only international numbers (`+44 ...`, `0044 ...`) are found.
   */
  phoneRegion?: string;
  /** Also redact the traces that optimize writes (`.promptopt/runs/<id>/trace.jsonl`). */
  traces: boolean;
}

export const DEFAULT_REDACT_CONFIG: RedactConfig = { enabled: true, types: [...REDACTION_TYPES], patterns: [], traces: false };

/** One piece of personal data found in a text: [start, end) and its placeholder stem. */
export interface Finding {
  start: number;
  end: number;
  /** Placeholder stem: `EMAIL`, or a user pattern's name. */
  stem: string;
  /**
   * The value in a normal form (e-mail lower-cased, phone in E.164, card and IBAN without spaces),
   * so the same value written two ways gets the same placeholder.
   */
  key: string;
  /**
   * Other spellings of the value to remove wherever they appear in the same scope, letters and
   * digits only, matched with any separators between them: a phone number's digits without its `+`
   * (`44 20 7946 0958`) or in national form (`020 7946 0958`), a card's or an IBAN's digits.
   */
  variants?: string[];
}

/** What was redacted, by placeholder stem: occurrences replaced. Never the values. */
export type RedactionCounts = Record<string, number>;
