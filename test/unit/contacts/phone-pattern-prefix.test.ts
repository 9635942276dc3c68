import { Metadata } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { leadingMatchPrefix } from '../../../src/contacts/phone-pattern-prefix.js';

let seed = 7;
const random = (n: number): number => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return Math.floor((seed / 2 ** 31) * n);
};
const randomDigits = (n: number): string => Array.from({ length: n }, () => random(10)).join('');

describe('leadingMatchPrefix', () => {
  it('reads digits only as far as some path through the pattern tests them', () => {
    const us = leadingMatchPrefix('011'); // US IDD
    expect(us('2125551234')).toBe(1);
    expect(us('0212555123')).toBe(2);
    expect(us('0114930123456')).toBe(3);
    const gb = leadingMatchPrefix('0|180020'); // GB national prefix for parsing
    expect(gb('07700900123')).toBe(1);
    expect(gb('1800201234')).toBe(6);
    expect(gb('1812345678')).toBe(3);
  });

  it('decides an alternative ending in $ by the length, and alternatives by their first digits', () => {
    const nanp = leadingMatchPrefix('([2-9]\\d{6})$|1'); // NANP islands: a 7-digit local number
    expect(nanp('5551234')).toBe(1);
    expect(nanp('15551234')).toBe(1);
    const jp = leadingMatchPrefix('(000[2569]\\d{4,6})$|(?:(?:003768)0?)|0');
    expect(jp('09012345678')).toBe(2);
    expect(jp('312345678')).toBe(1);
    expect(jp('0037680123')).toBe(7);
    expect(jp('0003768012')).toBe(4);
  });

  it('lets a run of \\d take what the length gives (BR carrier codes)', () => {
    const br = leadingMatchPrefix('(?:0|90)(?:(1[245]|2[1-35]|31|4[13]|[56]5|99)(\\d{10,11}))?');
    expect(br('01521987654321')).toBe(3);
    expect(br('11987654321')).toBe(1);
  });

  it('gives Infinity outside the dialect', () => {
    for (const p of ['\\d+', '[^0]\\d', '.\\d', '(?=1)\\d', '(1)\\1', '\\s', 'a', '[a-z]', '\\d{2,}', '(?:1']) {
      expect(leadingMatchPrefix(p)('12345'), p).toBe(Number.POSITIVE_INFINITY);
    }
  });

  it('on every IDD and national prefix of the metadata: strings sharing the prefix and length match alike', () => {
    const metadata = new Metadata() as unknown as {
      selectNumberingPlan(c: string): void;
      numberingPlan: { IDDPrefix(): string; nationalPrefixForParsing(): string | undefined };
    };
    const patterns = new Set<string>();
    for (const country of Object.keys((metadata as unknown as { metadata: { countries: object } }).metadata.countries)) {
      metadata.selectNumberingPlan(country);
      patterns.add(metadata.numberingPlan.IDDPrefix());
      const prefix = metadata.numberingPlan.nationalPrefixForParsing();
      if (prefix) patterns.add(prefix);
    }
    expect(patterns.size).toBeGreaterThan(50);
    let checked = 0;
    for (const pattern of patterns) {
      const decide = leadingMatchPrefix(pattern);
      const re = new RegExp(`^(?:${pattern})`, 'd');
      const outcome = (s: string): string => JSON.stringify(re.exec(s)?.indices ?? null);
      for (let i = 0; i < 40; i++) {
        const s = (i % 2 ? '0' : '') + randomDigits(random(16));
        const k = decide(s);
        expect(k, pattern).toBeLessThanOrEqual(s.length);
        for (let j = 0; j < 5; j++) {
          const other = s.slice(0, k) + randomDigits(s.length - k);
          expect(outcome(other), `${pattern} on ${other} like ${s}`).toBe(outcome(s));
          expect(decide(other), `${pattern} on ${other} like ${s}`).toBe(k);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });
});
