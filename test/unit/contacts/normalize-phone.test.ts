import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { isCountryCode, normalizePhone } from '../../../src/contacts/normalize-phone.js';

const ok = (value: string) => ({ ok: true, value });

describe('normalizePhone', () => {
  it('reads the ways exports write numbers', () => {
    const cases: Array<[string, string]> = [
      ['+44 20 7946 0958', '+442079460958'],
      ['(212) 555-0147 ext 89', '+12125550147;ext=89'],
      ['212.555.0147', '+12125550147'],
      ['0049-30-123456', '+4930123456'],
      ['+1 (212) 555-0147 x89', '+12125550147;ext=89'],
      ['tel:+1-212-555-0147', '+12125550147'],
      ['TEL:+1-212-555-0147;ext=89', '+12125550147;ext=89'],
      ['2125550147', '+12125550147'],
      ['212\u00a0555\u00a00147', '+12125550147'],
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
    expect(normalizePhone('212.555.0147', 'US')).toEqual(ok('+12125550147'));
    expect(normalizePhone('(212) 555-0147', 'US')).toEqual(ok('+12125550147'));
    expect(normalizePhone('  +1 212 555 0147 ', 'US')).toEqual(ok('+12125550147'));
    expect(normalizePhone('1-212-555-0147', 'US')).toEqual(ok('+12125550147'));
  });

  it('keeps an extension, RFC 3966 style', () => {
    expect(normalizePhone('(212) 555-0147 ext 89', 'US')).toEqual(ok('+12125550147;ext=89'));
    expect(normalizePhone('212 555 0147 x89', 'US')).toEqual(ok('+12125550147;ext=89'));
    expect(normalizePhone('+1 (212) 555-0147 #89', 'US')).toEqual(ok('+12125550147;ext=89'));
  });

  it('honours an explicit country code whatever the region', () => {
    expect(normalizePhone('+44 20 7946 0958', 'US')).toEqual(ok('+442079460958'));
    expect(normalizePhone('020 7946 0958', 'GB')).toEqual(ok('+442079460958'));
    expect(normalizePhone('+1 212 555 0147', 'DE')).toEqual(ok('+12125550147'));
  });

  it('reads a national number in the region given', () => {
    expect(normalizePhone('030 1234567', 'DE')).toEqual(ok('+49301234567'));
    expect(normalizePhone('01 23 45 67 89', 'FR')).toEqual(ok('+33123456789'));
    // The same digits read as US numbers are possible (ten digits) but not valid.
    expect(normalizePhone('030 1234567', 'US').ok).toBe(false);
    expect(normalizePhone('01 23 45 67 89', 'US').ok).toBe(false);
  });

  it('reads a 00 international prefix even where the IDD is not 00 (US uses 011)', () => {
    expect(normalizePhone('0049-30-123456', 'US')).toEqual(ok('+4930123456'));
    expect(normalizePhone('011 49 30 123456', 'US')).toEqual(ok('+4930123456'));
    expect(normalizePhone('0049-30-123456', 'DE')).toEqual(ok('+4930123456'));
  });

  it('requires a valid number, not merely a possible one', () => {
    // Area code 555 is not assigned: ten digits (possible), not valid.
    expect(parsePhoneNumberFromString('5551234567', 'US')?.isPossible()).toBe(true);
    expect(normalizePhone('5551234567', 'US').ok).toBe(false);
    expect(normalizePhone('(212) 123-4567', 'US').ok).toBe(false); // an exchange cannot start with 1
    for (const bad of ['12', '555-0100', '1-800-FLOWERS', '+44 20', '212 555 0147 8901 23', 'abc', '+0', '']) {
      const result = normalizePhone(bad, 'US');
      expect(result.ok, bad).toBe(false);
    }
    expect(normalizePhone('12', 'US')).toEqual({ ok: false, reason: 'not a valid phone number for US' });
    expect(normalizePhone('5551234567', 'US')).toEqual({ ok: false, reason: 'not a valid phone number for US' });
  });

  it('rejects a cell holding more than a number instead of picking one out', () => {
    expect(normalizePhone('212-555-0147 / 212-987-6543', 'US').ok).toBe(false);
    expect(normalizePhone('call 212 555 0147 now', 'US').ok).toBe(false);
  });

  it('agrees with libphonenumber (isValid) on the plain North American shortcut', () => {
    const formats = [
      (a: string, b: string, c: string) => `(${a}) ${b}-${c}`,
      (a: string, b: string, c: string) => `${a}.${b}.${c}`,
      (a: string, b: string, c: string) => `${a}${b}${c}`,
      (a: string, b: string, c: string) => `+1 ${a} ${b} ${c}`,
      (a: string, b: string, c: string) => `1-${a}-${b}-${c}`,
      (a: string, b: string, c: string) => `+1(${a})${b}-${c}`,
      (a: string, b: string, c: string) => `(${a})${b}${c}`,
    ];
    // A seeded walk over area codes, exchanges and line numbers; the shortcut remembers
    // validity per seven-digit prefix, so several line numbers per prefix are compared too.
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (const country of ['US', 'CA', 'JM'] as const) {
      for (let a = 100; a <= 999; a += 3) {
        const exchange = String(100 + next(900));
        for (const f of formats) {
          const line = String(next(10000)).padStart(4, '0');
          const text = f(String(a), exchange, line);
          const lib = parsePhoneNumberFromString(text, { defaultCountry: country, extract: false });
          const expected = lib?.isValid() ? lib.number : null;
          const result = normalizePhone(text, country);
          expect(result.ok ? result.value : null, `${country} ${text}`).toBe(expected);
        }
      }
    }
    // Every prefix libphonenumber's NANP patterns single out (305-20x, 505-64x, 983-…), with
    // every last digit of the prefix and two line numbers each.
    for (const prefix of ['305', '505', '983', '523', '524', '800', '900', '212', '787', '876']) {
      for (let x = 200; x <= 999; x += 1) {
        for (const line of ['0000', String(next(10000)).padStart(4, '0')]) {
          const text = `${prefix}${x}${line}`;
          const lib = parsePhoneNumberFromString(text, { defaultCountry: 'US', extract: false });
          const result = normalizePhone(text, 'US');
          expect(result.ok ? result.value : null, text).toBe(lib?.isValid() ? lib.number : null);
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
