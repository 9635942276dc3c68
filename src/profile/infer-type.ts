import type { InferredType } from '../types.js';
import { hash53 } from './hash53.js';
import { KnownTypes } from './known-types.js';

/** Share of non-blank values that must agree on a type for the column to get it. */
const MAJORITY = 0.9;

// Cheap shape checks, not validation: profiling runs them on every cell of every row.
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)*\.[^\s@.]{2,}$/;
const NUMBER = /^[-+]?[$€£¥]?(?:(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?%?$/;
const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';
const TIME = '(?:[T ]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?: ?[ap]\\.?m\\.?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?';
const DATE = new RegExp(
  [
    `^\\d{4}-\\d{1,2}-\\d{1,2}${TIME}$`, // 2024-01-31, 2024-01-31T10:00:00Z
    `^\\d{4}/\\d{1,2}/\\d{1,2}${TIME}$`, // 2024/01/31
    `^\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{2}|\\d{4})${TIME}$`, // 1/31/2024, 31.01.24
    `^\\d{1,2}[ -]${MONTH}[ ,-]*\\d{2,4}${TIME}$`, // 31 Jan 2024, 31-Jan-24
    `^${MONTH} \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}${TIME}$`, // January 31, 2024
  ].join('|'),
  'i',
);
/** j, f, m, a, s, o, n, d: the first letters of MONTH, lower case. */
const MONTH_INITIALS = [0x6a, 0x66, 0x6d, 0x61, 0x73, 0x6f, 0x6e, 0x64];
// Digits with the separators people write phones with, optionally "+", and an extension.
const PHONE = /^\+?[\d\s().\-/]+?(?:\s*(?:ext\.?|extension|x|#)\s*\d{1,6})?$/i;

/** Longer values are not remembered. */
const KNOWN_MAX_LENGTH = 64;
/** Lookups after which a TypeTally that hits less than half the time stops looking up. */
const KNOWN_TRIAL = 4096;

/** The types, each known in a TypeTally by its index here. */
const TYPES: readonly InferredType[] = ['empty', 'text', 'email', 'number', 'date', 'phone'];
const TYPE_CODES = Object.fromEntries(TYPES.map((type, code) => [type, code])) as Record<InferredType, number>;
const EMPTY = TYPE_CODES.empty;
const NUMBER_CODE = TYPE_CODES.number;

/** Classifies one trimmed value by its shape. */
export function inferType(trimmed: string): InferredType {
  if (trimmed === '') return 'empty';
  if (trimmed.includes('@')) return EMAIL.test(trimmed) ? 'email' : 'text';
  // No number or phone opens with a letter, and a date only with a month's initial: most text
  // (names, cities, titles) is told without running the expressions below.
  const first = trimmed.charCodeAt(0) | 0x20; // lower case, for ASCII letters
  if (first >= 0x61 && first <= 0x7a) return MONTH_INITIALS.includes(first) && DATE.test(trimmed) ? 'date' : 'text';
  if (NUMBER.test(trimmed)) {
    // "+15551234567" is a phone written without separators, not a signed number.
    return trimmed.charCodeAt(0) === 0x2b && isPhoneLength(trimmed) ? 'phone' : 'number';
  }
  if (DATE.test(trimmed)) return 'date';
  if (PHONE.test(trimmed) && isPhoneLength(trimmed)) return 'phone';
  return 'text';
}

/** A bare digit string of phone length, e.g. "5551234567". */
function isPhoneLengthDigits(s: string): boolean {
  if (s.length < 7 || s.length > 15) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** 7 to 15 digits before any extension: the range of real phone numbers (E.164 max 15). */
function isPhoneLength(s: string): boolean {
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (c === 0x78 || c === 0x58 || c === 0x65 || c === 0x45 || c === 0x23) break; // x, e(xt), #
  }
  return digits >= 7 && digits <= 15;
}

/**
 * Tallies inferred types over a column. result() is the type ≥ 90% of non-blank values share,
 * 'text' when none does, 'empty' when every value was blank. Bare digit strings of phone
 * length count toward 'phone' when the column also has formatted phones, so a column mixing
 * "(555) 123-4567" and "5551234567" still reads as phones.
 */
export class TypeTally {
  /** Values per type, indexed by the type's code (see TYPES). */
  private readonly counts: number[] = TYPES.map(() => 0);
  private nonBlank = 0;
  private phoneLikeDigits = 0;
  /**
   * Types of values seen before: most columns repeat a few values (a city, a title, a country)
   * and the regular expressions above cost more than a lookup. Dropped for a column whose
   * values rarely repeat, once that shows.
   */
  private known: KnownTypes | null = new KnownTypes();
  private lookups = 0;
  private hits = 0;

  /**
   * Tallies one trimmed value, whose hash53 a caller counting distinct values has already
   * computed. True when it is a value the tally remembers from before, so that caller need not
   * count it again.
   */
  add(trimmed: string, hash = hash53(trimmed)): boolean {
    let code: number;
    let repeated = false;
    const known = this.known;
    if (known === null) code = TYPE_CODES[inferType(trimmed)];
    else {
      this.lookups++;
      code = known.get(trimmed, hash);
      if (code >= 0) {
        this.hits++;
        repeated = true;
      } else {
        code = TYPE_CODES[inferType(trimmed)];
        // Long values rarely repeat, and would keep their text alive: they are not remembered.
        if (!known.full && trimmed.length <= KNOWN_MAX_LENGTH) known.set(trimmed, hash, code);
        else if (this.lookups >= KNOWN_TRIAL && this.hits * 2 < this.lookups) this.known = null;
      }
    }
    if (code === EMPTY) return repeated;
    this.nonBlank++;
    this.counts[code]!++;
    if (code === NUMBER_CODE && isPhoneLengthDigits(trimmed)) this.phoneLikeDigits++;
    return repeated;
  }

  result(): InferredType {
    if (this.nonBlank === 0) return 'empty';
    const need = MAJORITY * this.nonBlank;
    const phones = this.counts[TYPE_CODES.phone]!;
    if (phones > 0 && phones + this.phoneLikeDigits >= need) return 'phone';
    // At most one type can hold 90% of the values, so the order they are looked at is moot.
    for (let code = 0; code < TYPES.length; code++) {
      if (code !== EMPTY && this.counts[code]! >= need) return TYPES[code]!;
    }
    return 'text';
  }
}
