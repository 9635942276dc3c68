import validator from 'validator';
import { describe, expect, it } from 'vitest';
import { emailProblem, isPlainEmail, isValidEmail, normalizeEmail } from '../../../src/contacts/normalize-email.js';

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Bob.Smith@Example.COM \t')).toBe('bob.smith@example.com');
  });

  it('trims invisible characters and no-break spaces around the address', () => {
    for (const raw of ['ann@example.com\u200b', '\ufeffann@example.com', '\u00a0ann@example.com\u202f', 'ann@example.com\u2060', ' \u200e ann@example.com\u00a0']) {
      expect(normalizeEmail(raw), JSON.stringify(raw)).toBe('ann@example.com');
      expect(emailProblem(raw), JSON.stringify(raw)).toBeUndefined();
    }
  });

  it('names an invisible character inside the address and shows where it is', () => {
    expect(emailProblem('ann\u200b@example.com')).toBe(
      'contains an invisible character U+200B at position 4 (ann[U+200B]@example.com); retype the address',
    );
    expect(emailProblem(' ann@exam\u200dple.com\u200c')).toBe(
      'contains an invisible character U+200D at position 9 (ann@exam[U+200D]ple.com); retype the address',
    );
    // Bidirectional controls (an RTL override makes the address display reversed) and a soft hyphen.
    for (const ch of ['\u202e', '\u200f', '\u2066', '\u00ad', '\ufeff']) {
      expect(emailProblem(`ann${ch}lee@example.com`), JSON.stringify(ch)).toMatch(/^contains an invisible character U\+[0-9A-F]{4} at position 4 \(ann\[U\+/);
    }
    expect(emailProblem('ann.lee@example.com')).toBeUndefined();
  });

  it('puts addresses in NFC, so both spellings of é are one address', () => {
    const composed = 'jos\u00e9@example.com';
    const decomposed = 'jose\u0301@example.com';
    expect(normalizeEmail(decomposed)).toBe(composed);
    expect(normalizeEmail('JOSE\u0301@EXAMPLE.COM')).toBe(composed);
  });

  it('keeps internationalized domains as written, lower-cased', () => {
    expect(normalizeEmail('Ann@Bücher.DE')).toBe('ann@bücher.de');
    expect(normalizeEmail('ann@XN--BCHER-KVA.de')).toBe('ann@xn--bcher-kva.de');
    expect(isValidEmail(normalizeEmail('Ann@Bücher.DE'))).toBe(true);
  });
});

describe('isValidEmail', () => {
  it('accepts ordinary addresses', () => {
    for (const e of ['a@b.co', 'bob+tag@example.com', 'first.last@sub.example.org', 'josé@exämple.de']) {
      expect(isValidEmail(e), e).toBe(true);
    }
  });

  it('rejects broken ones', () => {
    for (const e of ['', 'bob@', '@example.com', 'bob', 'bob@example', 'bob@example.c', 'a b@c.de', 'a@b@c.de', 'bob@exa mple.com', 'bob@.com']) {
      expect(isValidEmail(e), e).toBe(false);
    }
  });

  it('keeps what validator accepts even past the pre-check (quoted local parts)', () => {
    const quoted = '"john doe@home"@example.com';
    expect(validator.isEmail(quoted)).toBe(true);
    expect(isValidEmail(quoted)).toBe(true);
  });

  it('agrees with validator.isEmail on random strings (the pre-check only short-circuits)', () => {
    const alphabet = ['a', 'b', 'Z', '1', '@', '.', '-', '_', '+', ' ', '"', '\\', 'é', '\u2000', 'co', 'com', 'x'];
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const piece = (max: number): string => {
      let s = '';
      const len = rand(max + 1);
      for (let j = 0; j < len; j++) s += alphabet[rand(alphabet.length)];
      return s;
    };
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      // Half free-form, half shaped like local@domain.tld so many are valid.
      const s = i % 2 ? piece(14) : `${piece(4)}@${piece(3)}.${piece(2)}`;
      const expected = validator.isEmail(s);
      if (expected) accepted++;
      expect(isValidEmail(s), JSON.stringify(s)).toBe(expected);
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it('rejects addresses over 254 characters, as validator does', () => {
    const fits = `${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.com`;
    const long = `${fits}${'x'.repeat(4)}.com`;
    expect(long.length).toBeGreaterThan(254);
    expect(isValidEmail(fits)).toBe(true);
    expect(validator.isEmail(long)).toBe(false);
    expect(isValidEmail(long)).toBe(false);
  });

  it('takes the plain-address shortcut only for addresses validator accepts', () => {
    // Characters at the edges of every rule: label lengths 63/64, hyphens at label ends,
    // numeric and short TLDs, underscores, dots, the 64-character local part, non-ASCII.
    const alphabet = ['a', 'z', '0', '9', '.', '-', '_', '+', '!', '#', '~', '`', '{', '|', '"', '@', 'é', '\uff01', 'x'.repeat(30), 'co', 'com', '1'];
    let seed = 777;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const piece = (max: number): string => {
      let s = '';
      const len = rand(max + 1);
      for (let j = 0; j < len; j++) s += alphabet[rand(alphabet.length)];
      return s;
    };
    let plain = 0;
    const check = (s: string): void => {
      if (!isPlainEmail(s)) return;
      plain++;
      expect(validator.isEmail(s), JSON.stringify(s)).toBe(true);
    };
    for (let i = 0; i < 50_000; i++) {
      check(`${piece(4)}@${piece(3)}.${piece(2)}`);
      check(`${piece(3)}@${piece(2)}.${piece(1)}.${piece(2)}`);
    }
    for (const local of [63, 64, 65]) {
      for (const label of [62, 63, 64]) {
        for (const tld of ['c', 'co', '1co', 'co1', 'x'.repeat(63), 'x'.repeat(64), 'xn--p1ai']) {
          check(`${'a'.repeat(local)}@${'b'.repeat(label)}.${tld}`);
          check(`a@-${'b'.repeat(label)}.${tld}`);
          check(`a@${'b'.repeat(label)}-.${tld}`);
        }
      }
    }
    for (const s of ['a..b@c.de', '.a@c.de', 'a.@c.de', 'a@c..de', 'a@c.de.', 'a@_c.de', '"a"@c.de', 'a@c.d-e', 'a@1.23', `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`]) {
      check(s);
    }
    expect(plain).toBeGreaterThan(200);
    expect(isPlainEmail('user12@example7.com')).toBe(true);
  });
});
