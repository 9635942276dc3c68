import type { InferredType } from '../types.js';

/** Share of non-blank values that must agree on a type for the column to get it. */
const MAJORITY = 0.9;

// Cheap shape checks, not validation: profiling runs them on every cell of every row.
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)*\.[^\s@.]{2,}$/;
const NUMBER = /^[-+]?[$€£¥]?(?:(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?%?$/;
const DIGITS_ONLY = /^\d+$/;
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
// Digits with the separators people write phones with, optionally "+", and an extension.
const PHONE = /^\+?[\d\s().\-/]+?(?:\s*(?:ext\.?|extension|x|#)\s*\d{1,6})?$/i;

/** Distinct values whose type a TypeTally remembers. */
const KNOWN_VALUES = 1024;
/** Longer values are not remembered. */
const KNOWN_MAX_LENGTH = 64;
/** Lookups after which a TypeTally that hits less than half the time stops looking up. */
const KNOWN_TRIAL = 4096;

/** Classifies one trimmed value by its shape. */
export function inferType(trimmed: string): InferredType {
  if (trimmed === '') return 'empty';
  if (trimmed.includes('@')) return EMAIL.test(trimmed) ? 'email' : 'text';
  if (NUMBER.test(trimmed)) {
    // "+15551234567" is a phone written without separators, not a signed number.
    return trimmed.charCodeAt(0) === 0x2b && isPhoneLength(trimmed) ? 'phone' : 'number';
  }
  if (DATE.test(trimmed)) return 'date';
  if (PHONE.test(trimmed) && isPhoneLength(trimmed)) return 'phone';
  return 'text';
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
  private readonly counts = new Map<InferredType, number>();
  private nonBlank = 0;
  private phoneLikeDigits = 0;
  /**
   * Types of values seen before: most columns repeat a few values (a city, a title, a country)
   * and the regular expressions above cost more than a lookup. Dropped for a column whose
   * values rarely repeat, once that shows.
   */
  private known: Map<string, InferredType> | null = new Map();
  private lookups = 0;
  private hits = 0;

  /**
   * Tallies one trimmed value. True when it is a value the tally remembers from before, so a
   * caller counting distinct values need not hash it again.
   */
  add(trimmed: string): boolean {
    let type: InferredType | undefined;
    let repeated = false;
    const known = this.known;
    if (known === null) type = inferType(trimmed);
    else {
      this.lookups++;
      type = known.get(trimmed);
      if (type !== undefined) {
        this.hits++;
        repeated = true;
      } else {
        type = inferType(trimmed);
        // Long values rarely repeat, and would keep their text alive: they are not remembered.
        if (known.size < KNOWN_VALUES && trimmed.length <= KNOWN_MAX_LENGTH) known.set(trimmed, type);
        else if (this.lookups >= KNOWN_TRIAL && this.hits * 2 < this.lookups) this.known = null;
      }
    }
    if (type === 'empty') return repeated;
    this.nonBlank++;
    this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
    if (type === 'number' && DIGITS_ONLY.test(trimmed) && isPhoneLength(trimmed)) {
      this.phoneLikeDigits++;
    }
    return repeated;
  }

  result(): InferredType {
    if (this.nonBlank === 0) return 'empty';
    const need = MAJORITY * this.nonBlank;
    const phones = this.counts.get('phone') ?? 0;
    if (phones > 0 && phones + this.phoneLikeDigits >= need) return 'phone';
    for (const [type, count] of this.counts) {
      if (count >= need) return type;
    }
    return 'text';
  }
}
