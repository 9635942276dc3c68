import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { isCountryCode, normalizePhone } from '../../../src/contacts/normalize-phone.js';

const ok = (value: string) => ({ ok: true, value });

describe('normalizePhone', () => {
  it('reads the ways exports write numbers', () => {
    const cases: Array<[string, string]> = [
      ['+44 20 7946 0958', '+442079460958'],
      ['(555) 123-4567 ext 89', '+15551234567;ext=89'],
      ['555.123.4567', '+15551234567'],
      ['0049-30-123456', '+4930123456'],
      ['+1 (555) 123-4567 x89', '+15551234567;ext=89'],
      ['tel:+1-555-123-4567', '+15551234567'],
      ['TEL:+1-555-123-4567;ext=89', '+15551234567;ext=89'],
      ['5551234567', '+15551234567'],
      ['555\u00a0123\u00a04567', '+15551234567'],
    ];
    for (const [raw, e164] of cases) expect(normalizePhone(raw, 'US'), raw).toEqual(ok(e164));
  });

  it('refuses a number Excel turned into scientific notation, saying why', () => {
    for (const raw of ['5.55123E+09', '5,55123E+09', '1E+10', '4.4207946E+11']) {
      const result = normalizePhone(raw, 'US');
      expect(result.ok, raw).toBe(false);
      expect(!result.ok && result.reason).toMatch(/scientific notation.*format the column as text/);
    }
  });

  it('stores common US formats in E.164', () => {
    expect(normalizePhone('555.123.4567', 'US')).toEqual(ok('+15551234567'));
    expect(normalizePhone('(555) 123-4567', 'US')).toEqual(ok('+15551234567'));
    expect(normalizePhone('  +1 555 123 4567 ', 'US')).toEqual(ok('+15551234567'));
    expect(normalizePhone('1-555-123-4567', 'US')).toEqual(ok('+15551234567'));
  });

  it('keeps an extension, RFC 3966 style', () => {
    expect(normalizePhone('(555) 123-4567 ext 89', 'US')).toEqual(ok('+15551234567;ext=89'));
    expect(normalizePhone('555 123 4567 x89', 'US')).toEqual(ok('+15551234567;ext=89'));
    expect(normalizePhone('+1 (555) 123-4567 #89', 'US')).toEqual(ok('+15551234567;ext=89'));
  });

  it('honours an explicit country code whatever the default country', () => {
    expect(normalizePhone('+44 20 7946 0958', 'US')).toEqual(ok('+442079460958'));
    expect(normalizePhone('020 7946 0958', 'GB')).toEqual(ok('+442079460958'));
  });

  it('reads a 00 international prefix even where the IDD is not 00 (US uses 011)', () => {
    expect(normalizePhone('0049-30-123456', 'US')).toEqual(ok('+4930123456'));
    expect(normalizePhone('011 49 30 123456', 'US')).toEqual(ok('+4930123456'));
    expect(normalizePhone('0049-30-123456', 'DE')).toEqual(ok('+4930123456'));
  });

  it('requires a possible number, not a valid one', () => {
    // 555 numbers are fictional (not valid) but have the right length.
    expect(parsePhoneNumberFromString('5551234567', 'US')?.isValid()).toBe(false);
    expect(normalizePhone('5551234567', 'US').ok).toBe(true);
    for (const bad of ['12', '555-1234', '+44 20', '555 123 4567 8901 23', 'abc', '+0', '']) {
      const result = normalizePhone(bad, 'US');
      expect(result.ok, bad).toBe(false);
    }
    expect(normalizePhone('12', 'US')).toEqual({
      ok: false,
      reason: 'not a possible phone number (default country US)',
    });
  });

  it('rejects a cell holding more than a number instead of picking one out', () => {
    expect(normalizePhone('555-123-4567 / 555-987-6543', 'US').ok).toBe(false);
    expect(normalizePhone('call 555 123 4567 now', 'US').ok).toBe(false);
  });

  it('agrees with libphonenumber on the plain North American shortcut', () => {
    const formats = [
      (a: string, b: string, c: string) => `(${a}) ${b}-${c}`,
      (a: string, b: string, c: string) => `${a}.${b}.${c}`,
      (a: string, b: string, c: string) => `${a}${b}${c}`,
      (a: string, b: string, c: string) => `+1 ${a} ${b} ${c}`,
      (a: string, b: string, c: string) => `1-${a}-${b}-${c}`,
      (a: string, b: string, c: string) => `+1(${a})${b}-${c}`,
      (a: string, b: string, c: string) => `(${a})${b}${c}`,
    ];
    for (const country of ['US', 'CA'] as const) {
      for (let a = 100; a <= 999; a += 7) {
        for (const f of formats) {
          const text = f(String(a), String(a).split('').reverse().join(''), String(a * 9).padStart(4, '0'));
          const lib = parsePhoneNumberFromString(text, { defaultCountry: country, extract: false });
          const expected = lib?.isPossible() ? lib.number : null;
          const result = normalizePhone(text, country);
          expect(result.ok ? result.value : null, `${country} ${text}`).toBe(expected);
        }
      }
    }
  });
});

describe('isCountryCode', () => {
  it('accepts upper-case codes libphonenumber supports', () => {
    expect(isCountryCode('US')).toBe(true);
    expect(isCountryCode('GB')).toBe(true);
    for (const s of ['us', 'XX', 'USA', '', '__proto__', 'constructor', '001']) {
      expect(isCountryCode(s), s).toBe(false);
    }
  });
});
