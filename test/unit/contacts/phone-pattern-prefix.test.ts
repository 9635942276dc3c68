import { describe, expect, it } from 'vitest';
import { fullMatchPrefix, leadingMatchPrefix, patternMaxLength } from '../../../src/contacts/phone-pattern-prefix.js';

describe('fullMatchPrefix', () => {
  it('stops before trailing runs of any digit, however written', () => {
    expect(fullMatchPrefix('[2-9]\\d{9}|3\\d{6}')).toBe(1); // US national number pattern
    expect(fullMatchPrefix('[1-9]\\d{3,5}[2-9]\\d{4}')).toBe(7);
    expect(fullMatchPrefix('[0-9]{4}')).toBe(0);
    expect(fullMatchPrefix('8\\d(?:\\d(?:\\d{2})?)?')).toBe(1); // a group of digits only is length alone
  });

  it('recurses into a trailing group: the longest match before it, then its alternatives', () => {
    // AU: 1 then a group whose first alternative ends in a group of digits only.
    const au = '1(?:[0-79]\\d{7}(?:\\d(?:\\d{2})?)?|8[0-24-9]\\d{7})|[2-478]\\d{8}|1\\d{4,7}';
    expect(fullMatchPrefix(au)).toBe(3);
    // US fixed line (min metadata): 3052 then 0[0-8] or [1-9]\d, then four digits.
    expect(fullMatchPrefix('(?:3052(?:0[0-8]|[1-9]\\d)|5056(?:[0-35-9]\\d|4[468]))\\d{4}')).toBe(6);
    expect(fullMatchPrefix('(?:1[03-689]|2\\d)\\d\\d|6')).toBe(2);
    expect(fullMatchPrefix('(?:(?:1[03-689]|2\\d)\\d\\d|6)\\d{8}')).toBe(2);
  });

  it('gives Infinity outside the dialect', () => {
    for (const p of ['\\d+', '[^0]\\d', '.\\d', '(?=1)\\d', '(1)\\1', '\\s', 'a', '[a-z]', '\\d{2,}', '(?:1']) {
      expect(fullMatchPrefix(p), p).toBe(Number.POSITIVE_INFINITY);
    }
  });
});

describe('leadingMatchPrefix', () => {
  it('is the longest match for prefixes without trailing digit runs', () => {
    expect(leadingMatchPrefix('011')).toBe(3); // US IDD
    expect(leadingMatchPrefix('00|99(?:[01469]|5(?:[14]1|3[23]|5[59]|77|88|9[09]))')).toBe(5);
    expect(leadingMatchPrefix('0|180020')).toBe(6); // GB national prefix for parsing
  });

  it('decides an alternative ending in $ as a whole-string match', () => {
    expect(leadingMatchPrefix('([2-9]\\d{6})$|1')).toBe(1); // NANP islands: a 7-digit local number
    expect(leadingMatchPrefix('(000[2569]\\d{4,6})$|(?:(?:003768)0?)|0')).toBe(7); // JP
  });

  it('lets a trailing run of digits take what the length gives (BR carrier codes)', () => {
    expect(leadingMatchPrefix('(?:0|90)(?:(1[245]|2[1-35]|31|4[13]|[56]5|99)(\\d{10,11}))?')).toBe(4);
    expect(patternMaxLength('(?:0|90)(?:(1[245]|2[1-35]|31|4[13]|[56]5|99)(\\d{10,11}))?')).toBe(15);
  });
});
