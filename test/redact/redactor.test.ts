import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPiiRedactor, DEFAULT_REDACT_CONFIG, type RedactConfig } from '../../src/redact/index.js';

const redactor = (config: Partial<RedactConfig> = {}) => createPiiRedactor({ ...DEFAULT_REDACT_CONFIG, ...config });
const redact = (text: string, config: Partial<RedactConfig> = {}) => redactor(config).scope().text(text);

describe('PII redaction: each type, with a checksum or a parser behind it', () => {
  it('e-mail addresses (the same address in any case is one placeholder)', () => {
    expect(redact('Mail Jane.Doe@Example.com or jane.doe@example.com, or bob+tag@mail.co.uk.')).toBe('Mail <EMAIL_1> or <EMAIL_1>, or <EMAIL_2>.');
    expect(redact('not an address: a@b, @handle, user@localhost')).toBe('not an address: a@b, @handle, user@localhost');
  });

  it('international phone numbers, with + or 00, in the usual spellings', () => {
    expect(redact('Call +44 20 7946 0958, +1 (415) 555-2671, +33 6 12 34 56 78 or 0049 30 901820.')).toBe('Call <PHONE_1>, <PHONE_2>, <PHONE_3> or <PHONE_4>.');
    // The same number written twice: one placeholder (compared in E.164).
    expect(redact('+44 20 7946 0958 = +442079460958')).toBe('<PHONE_1> = <PHONE_1>');
  });

  it('national numbers only with a phone_region', () => {
    expect(redact('Call 020 7946 0958')).toBe('Call 020 7946 0958');
    expect(redact('Call 020 7946 0958', { phoneRegion: 'GB' })).toBe('Call <PHONE_1>');
  });

  it('card numbers only when the issuer prefix and the Luhn digit are right', () => {
    expect(redact('Visa 4111 1111 1111 1111, 4111-1111-1111-1111, Amex 3782 822463 10005, MC 5555555555554444.')).toBe('Visa <CARD_1>, <CARD_1>, Amex <CARD_2>, MC <CARD_3>.');
    expect(redact('Luhn fails: 4111 1111 1111 1112; no issuer: 1234 5678 1234 5670')).toBe('Luhn fails: 4111 1111 1111 1112; no issuer: 1234 5678 1234 5670');
  });

  it('IBANs only when the mod-97 checksum holds; a following word is not swallowed', () => {
    expect(redact('Pay DE89 3704 0044 0532 0130 00 EUR or GB82WEST12345698765432.')).toBe('Pay <IBAN_1> EUR or <IBAN_2>.');
    expect(redact('DE89 3704 0044 0532 0130 01')).toBe('DE89 3704 0044 0532 0130 01');
  });

  it('IPv4 and IPv6 addresses, not versions, times or C++ scopes', () => {
    expect(redact('From 192.168.1.20 and 2001:db8::1: blocked; fe80::1ff:fe23:4567:890a.')).toBe('From <IP_1> and <IP_2>: blocked; <IP_3>.');
    expect(redact('v1.2.3.4, 1.2.3.4.5, 999.1.1.1, 12:30:45, std::vector')).toBe('v1.2.3.4, 1.2.3.4.5, 999.1.1.1, 12:30:45, std::vector');
  });

  it('API-key-like secrets: only the secret of an assignment or a bearer header', () => {
    const text = 'key sk-proj-abcdefghijklmnopqrstuvwxyz123456, Authorization: Bearer abcdefghijklmnop1234, password=hunter2hunter2, AKIAIOSFODNN7EXAMPLE, token aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z';
    expect(redact(text)).toBe('key <SECRET_1>, Authorization: Bearer <SECRET_2>, password=<SECRET_3>, <SECRET_4>, token <SECRET_5>');
  });

  it('user patterns become <NAME_n>', () => {
    const patterns = [{ name: 'EMPLOYEE_ID', regex: 'emp-\\d{6}', ignoreCase: true }];
    expect(redact('EMP-123456 and emp-123456 and EMP-654321', { patterns })).toBe('<EMPLOYEE_ID_1> and <EMPLOYEE_ID_2> and <EMPLOYEE_ID_3>');
  });

  it('only the enabled types', () => {
    expect(redact('a@b.com +44 20 7946 0958', { types: ['phone'] })).toBe('a@b.com <PHONE_1>');
  });
});

describe('placeholders and the report', () => {
  it('are stable within a scope (an input and its correction match) and restart in a new scope', () => {
    const r = redactor();
    const record = r.scope();
    expect(record.text('write to a@x.com, cc b@y.com')).toBe('write to <EMAIL_1>, cc <EMAIL_2>');
    expect(record.value({ correction: 'Sent to b@y.com', list: ['a@x.com'] })).toEqual({ correction: 'Sent to <EMAIL_2>', list: ['<EMAIL_1>'] });
    expect(r.scope().text('b@y.com')).toBe('<EMAIL_1>');
    expect(record.counts()).toEqual({ EMAIL: 4 });
    expect(r.counts()).toEqual({ EMAIL: 5 });
  });

  it('a realistic false-positive fixture (order numbers, amounts, dates, gsm8k arithmetic) survives intact', () => {
    const text = readFileSync(new URL('../fixtures/production/false-positives.txt', import.meta.url), 'utf8');
    const r = redactor();
    expect(r.scope().text(text)).toBe(text);
    expect(r.counts()).toEqual({});
  });
});

describe('other spellings of a value already found in the same record', () => {
  it('a phone number without its + or in national form, a card without spaces, an address in capitals', () => {
    const record = redactor().scope();
    expect(record.value({ input: 'Call +44 20 7946 0958 or pay with 4111 1111 1111 1111, jane@example.com', output: 'calling 44 20 7946 0958 / 020 7946 0958, card 4111111111111111, JANE@EXAMPLE.COM' })).toEqual({
      input: 'Call <PHONE_1> or pay with <CARD_1>, <EMAIL_1>',
      output: 'calling <PHONE_1> / <PHONE_1>, card <CARD_1>, <EMAIL_1>',
    });
  });

  it('even when the other spelling comes first in the record; never in another record', () => {
    const r = redactor();
    expect(r.scope().value(['echo 44 20 7946 0958', 'my number is +44 20 7946 0958'])).toEqual(['echo <PHONE_1>', 'my number is <PHONE_1>']);
    expect(r.scope().text('echo 44 20 7946 0958')).toBe('echo 44 20 7946 0958');
  });
});
