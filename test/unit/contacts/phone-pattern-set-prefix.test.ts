import { getCountries, getCountryCallingCode, Metadata } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { patternSetPrefix, type PatternTest } from '../../../src/contacts/phone-pattern-set-prefix.js';

let seed = 11;
const random = (n: number): number => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return Math.floor((seed / 2 ** 31) * n);
};
const randomDigits = (n: number): string => Array.from({ length: n }, () => random(10)).join('');
const whole = (pattern: string): PatternTest => ({ pattern, whole: true });
const start = (pattern: string): PatternTest => ({ pattern, whole: false });

describe('patternSetPrefix', () => {
  it('stops where what remains of the pattern is runs of \\d', () => {
    const us = patternSetPrefix([whole('[2-9]\\d{9}|3\\d{6}')]); // US national number pattern
    expect(us('2125551234')).toBe(1);
    expect(us('3125551')).toBe(1);
    expect(us('1125551234')).toBe(1);
    expect(us('21255512')).toBe(0); // no alternative has 8 digits
    expect(patternSetPrefix([whole('[0-9]{4}')])('1234')).toBe(0);
    expect(patternSetPrefix([whole('8\\d(?:\\d(?:\\d{2})?)?')])('81234')).toBe(1);
    expect(patternSetPrefix([whole('8\\d(?:\\d(?:\\d{2})?)?')])('8123')).toBe(0); // 2, 3 or 5 digits
  });

  it('follows the digits: deep only where the pattern is (US fixed line singling out 3052 and 5056)', () => {
    const fixed = patternSetPrefix([
      whole('(?:3052(?:0[0-8]|[1-9]\\d)|5056(?:[0-35-9]\\d|4[468]))\\d{4}|(?:2(?:0[1-35-9]|1[02-9])|50[1-6])[2-9]\\d{6}'),
    ]);
    expect(fixed('2125551234')).toBe(4); // area code, exchange's first digit
    expect(fixed('2121551234')).toBe(4); // an exchange starting with 1: invalid
    expect(fixed('3052123456')).toBe(5);
    expect(fixed('3052091234')).toBe(6);
    expect(fixed('5056441234')).toBe(4); // 505 is an ordinary area code too
    expect(fixed('5056121234')).toBe(4);
    expect(fixed('9999999999')).toBe(1);
  });

  it('decides a start test once it matched, and a set of tests where the last of them is decided', () => {
    const leading = start('8(?:00|33|44)|2');
    expect(patternSetPrefix([leading])('8001234567')).toBe(3);
    expect(patternSetPrefix([leading])('9001234567')).toBe(1);
    expect(patternSetPrefix([leading])('2999')).toBe(1);
    expect(patternSetPrefix([start('([2-9]\\d{6})$|1')])('5551234')).toBe(1);
    const tests = [leading, whole('[2-9]\\d{9}'), whole('(?:2(?:0[1-35-9]|1[02-9]))[2-9]\\d{6}')];
    for (const s of ['8001234567', '2125551234', '2015551234', '2225551234', '123']) {
      expect(patternSetPrefix(tests)(s)).toBe(Math.max(...tests.map((t) => patternSetPrefix([t])(s))));
    }
  });

  it('gives Infinity outside the dialect and past 30 digits', () => {
    for (const p of ['\\d+', '[^0]\\d', '(?=1)\\d', '(1)\\1', 'a', '\\d{2,}']) {
      expect(patternSetPrefix([whole('\\d{3}'), whole(p)])('12345'), p).toBe(Number.POSITIVE_INFINITY);
    }
    expect(patternSetPrefix([whole('\\d{3}')])('1'.repeat(31))).toBe(Number.POSITIVE_INFINITY);
    expect(patternSetPrefix([whole('\\d{3}')])('1'.repeat(30))).toBe(0);
  });

  it("on every country's national number tests: strings sharing the prefix and length test alike", () => {
    const metadata = new Metadata() as unknown as {
      selectNumberingPlan(c: string): void;
      numberingPlan: { nationalNumberPattern(): string; leadingDigits(): string | undefined };
    };
    let checked = 0;
    for (const country of getCountries()) {
      metadata.selectNumberingPlan(country);
      const tests = [whole(metadata.numberingPlan.nationalNumberPattern())];
      const leading = metadata.numberingPlan.leadingDigits();
      if (leading) tests.push(start(leading));
      const decide = patternSetPrefix(tests);
      const regexps = tests.map((t) => new RegExp(t.whole ? `^(?:${t.pattern})$` : `^(?:${t.pattern})`));
      const outcome = (s: string): string => regexps.map((re) => (re.test(s) ? 1 : 0)).join('');
      const cc = getCountryCallingCode(country);
      for (let i = 0; i < 60; i++) {
        // Random lengths, and starts that match: a calling code's digits, the leading digits' own.
        const s = (i % 3 === 0 ? cc : i % 3 === 1 ? randomDigits(1) : '') + randomDigits(4 + random(10));
        const k = decide(s);
        expect(k).toBeLessThanOrEqual(s.length);
        for (let j = 0; j < 8; j++) {
          const other = s.slice(0, k) + randomDigits(s.length - k);
          expect(outcome(other), `${country} ${other} like ${s} (${k})`).toBe(outcome(s));
          expect(decide(other)).toBe(k);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100_000);
  });
});
