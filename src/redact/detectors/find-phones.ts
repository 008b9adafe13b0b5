/**
 * Phone numbers, found by libphonenumber-js (a port of Google's libphonenumber) with its full
 * metadata, so a candidate must be a valid number of its country's numbering plan, not only a run
 * of digits of the right length.
 *
 * Region policy: by default no region is assumed, so only international numbers are found: written
 * with `+` and a country calling code (`+44 20 7946 0958`), or with the `00` international prefix
 * (`0049 30 901820`), which is read as `+`. National formats (`020 7946 0958`) are ambiguous with order
 * numbers, amounts and arithmetic without knowing the country; `redact.phone_region` in the spec
 * opts in to one region's national format.
 */
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
import type { Finding } from '../types.js';

/** `00` starting a number (not inside one): the international call prefix. */
const DOUBLE_ZERO = /(?<![\d+])00(?=[1-9])/g;

export function findPhones(text: string, region?: string): Finding[] {
  // Same length as the text, so positions carry over: "0049 30" is searched as " +49 30".
  const shadow = text.replace(DOUBLE_ZERO, ' +');
  const found = findPhoneNumbersInText(shadow, region ? { defaultCountry: region as CountryCode } : undefined);
  return found.map((match) => {
    const start = shadow[match.startsAt] === '+' && text[match.startsAt] === '0' ? match.startsAt - 1 : match.startsAt;
    const { countryCallingCode, nationalNumber } = match.number;
    return { start, end: match.endsAt, stem: 'PHONE', key: match.number.number, variants: [`${countryCallingCode}${nationalNumber}`, `0${nationalNumber}`, nationalNumber] };
  });
}
