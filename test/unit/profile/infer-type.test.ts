import { describe, expect, it } from 'vitest';
import { TypeTally, inferType } from '../../../src/profile/infer-type.js';

describe('inferType', () => {
  const cases: Array<[string, string]> = [
    ['', 'empty'],
    ['bob@example.com', 'email'],
    ['Bob.Smith+tag@mail.example.co.uk', 'email'],
    ['bob@', 'text'],
    ['bob@example', 'text'],
    ['42', 'number'],
    ['-3.5', 'number'],
    ['1,234,567.89', 'number'],
    ['$1,200', 'number'],
    ['12%', 'number'],
    ['1e6', 'number'],
    ['02134', 'number'],
    ['2024-01-31', 'date'],
    ['2024-01-31T10:00:00Z', 'date'],
    ['2024-01-31 10:00', 'date'],
    ['1/31/2024', 'date'],
    ['31.01.24', 'date'],
    ['31 Jan 2024', 'date'],
    ['January 31, 2024', 'date'],
    ['+15551234567', 'phone'],
    ['+44 20 7946 0958', 'phone'],
    ['(555) 123-4567', 'phone'],
    ['555.123.4567', 'phone'],
    ['555-123-4567 ext 89', 'phone'],
    ['555-1234', 'phone'],
    ['12-34', 'text'],
    ['+1', 'number'],
    ['Acme Inc.', 'text'],
    ['-', 'text'],
    ['$', 'text'],
    ['.', 'text'],
    ['e5', 'text'],
    ['May', 'text'],
    ['Sept. 1 2024', 'date'],
    ['sep 1, 2024', 'date'],
    ['DEC 25, 2024 10:00 pm', 'date'],
    ['Oct 5th, 2024', 'date'],
    ['x123', 'text'],
    ['E5', 'text'],
    ['Zürich', 'text'],
    ['€5', 'number'],
    ['¥1,000', 'number'],
  ];
  for (const [value, type] of cases) {
    it(`${JSON.stringify(value)} is ${type}`, () => expect(inferType(value)).toBe(type));
  }
});

describe('inferType on values opening with a letter (told without the number and phone expressions)', () => {
  it('gives every letter-initial value the type the full sequence of checks gives', () => {
    // The number and phone expressions of infer-type.ts, which such values skip.
    const full = (v: string): string => {
      const NUMBER = /^[-+]?[$€£¥]?(?:(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?%?$/;
      const PHONE = /^\+?[\d\s().\-/]+?(?:\s*(?:ext\.?|extension|x|#)\s*\d{1,6})?$/i;
      if (NUMBER.test(v)) return 'number';
      if (PHONE.test(v)) return 'phone';
      return 'not number or phone';
    };
    const words = ['Jan 3, 2024', 'January 31, 2024', 'feb 29 2024', 'Mar. 1, 2024', 'Apr 1st, 2024', 'Aug 12 2024', 'Nov 30, 2024 10:00',
      'Dec 1, 2024T10:00Z', 'Berlin', 'x12', 'ext 5', 'e10', 'E-5', 'Infinity', 'NaN', 'a', 'Z', 'mayday', 'Octopus 1, 2024'];
    for (const v of words) {
      // No letter-initial value is a number or a phone…
      expect(full(v)).toBe('not number or phone');
      // …so its type is text or, from the date expression, date.
      expect(['text', 'date']).toContain(inferType(v));
    }
    expect(words.filter((v) => inferType(v) === 'date')).toEqual([
      'Jan 3, 2024', 'January 31, 2024', 'feb 29 2024', 'Mar. 1, 2024', 'Apr 1st, 2024', 'Aug 12 2024', 'Nov 30, 2024 10:00', 'Dec 1, 2024T10:00Z',
      'Octopus 1, 2024', // MONTH takes any letters after a month's first three
    ]);
  });
});

describe('TypeTally', () => {
  const tally = (values: string[]) => {
    const t = new TypeTally();
    for (const v of values) t.add(v.trim());
    return t.result();
  };

  it('is empty with no non-blank values', () => {
    expect(tally([])).toBe('empty');
    expect(tally(['', '  '])).toBe('empty');
  });

  it('needs 90% of non-blank values to agree, blanks aside', () => {
    const emails = Array.from({ length: 9 }, (_, i) => `u${i}@x.io`);
    expect(tally([...emails, 'not an email', '', '', ''])).toBe('email');
    expect(tally([...emails.slice(0, 8), 'nope', 'nope'])).toBe('text');
  });

  it('reads a mix of formatted phones and bare phone-length digits as phones', () => {
    expect(tally(['(555) 123-4567', '5551234567', '5559876543', '+1 555 000 1111'])).toBe('phone');
    expect(tally(['5551234567', '5559876543'])).toBe('number');
    expect(tally(['12', '345', '(555) 123-4567'])).toBe('text');
  });

  it('tallies remembered types exactly as inferring each value would, repeats or not', () => {
    // A column of few repeated values (remembered), one of distinct values (the memory is
    // dropped), and one that turns from repeats to distinct values halfway.
    const shapes = ['(555) 123-4567', '5551234567', 'Berlin', '42', '2024-01-31', 'a@b.io', '$1,200'];
    const columns = [
      Array.from({ length: 20_000 }, (_, i) => shapes[i % shapes.length]!),
      Array.from({ length: 20_000 }, (_, i) => (i % 3 ? `${5550000000 + i}` : `(555) ${100 + (i % 900)}-${1000 + i}`)),
      Array.from({ length: 20_000 }, (_, i) => (i < 10_000 ? shapes[i % 3]! : `${i}@x.io`)),
    ];
    for (const values of columns) {
      const counts = new Map<string, number>();
      for (const v of values) counts.set(inferType(v), (counts.get(inferType(v)) ?? 0) + 1);
      const t = new TypeTally();
      for (const v of values) t.add(v);
      expect(t.result()).toBe(tally(values));
      // counts: values per type, indexed in the order of TYPES in infer-type.ts.
      const codes = ['empty', 'text', 'email', 'number', 'date', 'phone'];
      const tallied = (t as unknown as { counts: number[] }).counts;
      expect(new Map(codes.map((type, i) => [type, tallied[i]!] as const).filter(([, n]) => n > 0))).toEqual(counts);
    }
  });
});
