import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js';
import { decisiveKey, KEY_BASE, type PhoneForm } from './phone-decisive-digits.js';
import { splitPhoneExtension } from './split-phone-extension.js';

export type { CountryCode };

/**
 * libphonenumber takes ~20 µs to parse and validate a number, and the numbers of a file are
 * nearly all different. But a number written only with digits, an optional leading `+` and
 * the punctuation ` ().-/` is, to libphonenumber, its digits and whether it has the `+`
 * (no extension can be written with those characters; a number followed by an extension in
 * a common form is read as such a text plus the extension, see splitPhoneExtension), and its
 * answer for those digits is decided by their count and the first few of them
 * (decisiveDigits, from the metadata's patterns). So the answer is asked once per region,
 * form, decisive digits and count, and remembered: invalid, or valid as "this calling code
 * and the last n digits" (when the national number is not the digits' tail — a transform rule
 * added digits — the key is remembered as "always ask"). Bounded so a file of random digits
 * cannot grow it forever. A unit test compares this with plain libphonenumber on numbers of
 * every country, with and without extensions.
 */
type Remembered = 'invalid' | 'ask' | { head: string; tail: number };
/** By decisiveKey's prefix number (bounded by its memo); by text key once that memo is full. */
const rememberedByPrefix = new Map<number, Remembered>();
const remembered = new Map<string, Remembered>();
const MAX_REMEMBERED = 200_000;
const NON_DIGITS = /\D/g;
const PLAIN = /^\+?[0-9 ().\-/]+$/;
/**
 * The digits libphonenumber reads (its VALID_DIGITS: ASCII, full-width, Arabic-Indic and
 * Extended Arabic-Indic): a text with none of them is never a number to it, and it would only
 * build and catch an error to say so (junk like "call me", "n/a").
 */
const ANY_DIGIT = /[0-9\uFF10-\uFF19\u0660-\u0669\u06F0-\u06F9]/;
/** libphonenumber reads no number longer than this. */
const MAX_TEXT_LENGTH = 250;

export type PhoneResult = { ok: true; value: string } | { ok: false; reason: string };

/** Validates a `--default-country` value: an upper-case ISO 3166 code libphonenumber knows. */
export function isCountryCode(s: string): s is CountryCode {
  return /^[A-Z]{2}$/.test(s) && isSupportedRegion(s);
}

/**
 * libphonenumber's isSupportedCountry, remembered: it is asked for every phone number of a
 * file, and each call copies its arguments to find the metadata (≈0.1 s per 1M numbers).
 * Regions are a row's country code or the default country: a few hundred at most.
 */
const supported = new Map<string, boolean>();
function isSupportedRegion(region: string): boolean {
  let known = supported.get(region);
  if (known === undefined) {
    known = isSupportedCountry(region);
    // A caller passing arbitrary text as a region cannot grow it without bound.
    if (supported.size < 1000) supported.set(region, known);
  }
  return known;
}

/**
 * Parses a phone number written the way people type it, reading a number without a country
 * code as one of `region` (the row's country, or the default country), and returns it in
 * E.164 with any extension kept RFC 3966 style (`+12125550123;ext=89`). The number must be
 * *valid* for its region (libphonenumber's isValid: a real area code and number range), not
 * merely possible (the right length): `030 1234567` read as a US number is possible and wrong.
 */
export function normalizePhone(raw: string, region: CountryCode): PhoneResult {
  const text = fromTelUri(raw.trim());
  // Excel shows a long number in a General-format column as 5.55123E+09 and saves it that way
  // in CSV: the digits past the sixth are gone, so no parse of it can be right.
  if (SCIENTIFIC.test(text)) {
    return {
      ok: false,
      reason: 'a number Excel turned into scientific notation, which lost digits; format the column as text and export again',
    };
  }
  if (text.length <= MAX_TEXT_LENGTH && isSupportedRegion(region)) {
    if (PLAIN.test(text)) {
      const known = rememberedAnswer(text, region);
      if (known) return known;
    } else {
      // libphonenumber reads "<number> ext. 12" as its reading of "<number>" with the
      // extension "12" (see splitPhoneExtension), so the number part is answered from memory.
      const split = splitPhoneExtension(text);
      const known = split && rememberedAnswer(split.number, region);
      if (known) return known.ok ? { ok: true, value: `${known.value};ext=${split.ext}` } : known;
    }
  }
  // Other texts go to libphonenumber as written.
  return answer(ANY_DIGIT.test(text) ? parseValid(text, region) : undefined, region);
}

/**
 * normalizePhone's answer for a plain text (PLAIN), from memory (libphonenumber asked the first
 * time a key is seen), or undefined when memory cannot tell: fewer than three digits
 * (libphonenumber tells "12" from "1 2"), or digits the metadata bounds nothing for.
 */
function rememberedAnswer(text: string, region: CountryCode): PhoneResult | undefined {
  const digits = text.replace(NON_DIGITS, '');
  if (digits.length < 3) return undefined;
  const form: PhoneForm = text.charCodeAt(0) === 0x2b ? '+' : text.startsWith('00') ? '00' : '';
  const decided = decisiveKey(region, form, digits);
  if (decided < 0) return undefined;
  const prefix = Math.floor(decided / KEY_BASE);
  const key = prefix ? undefined : `${region}${form}|${digits.slice(0, decided % KEY_BASE)}|${digits.length}`;
  const known = key === undefined ? rememberedByPrefix.get(prefix) : remembered.get(key);
  if (known === 'invalid') return { ok: false, reason: invalidReason(region) };
  if (known !== undefined && known !== 'ask') return { ok: true, value: known.head + digits.slice(digits.length - known.tail) };
  const phone = parseValid(text, region);
  if (known === undefined) {
    if (key === undefined) rememberedByPrefix.set(prefix, shapeOf(phone, digits));
    else if (remembered.size < MAX_REMEMBERED) remembered.set(key, shapeOf(phone, digits));
  }
  return answer(phone, region);
}

/**
 * libphonenumber's valid reading of the whole text in `region`. extract: false — the whole
 * cell must be the number, so "555-1234 / 555-9876" or prose is rejected rather than silently
 * cut down to its first number.
 */
function parseValid(text: string, region: CountryCode): PhoneNumber | undefined {
  const phone = parse(text, region);
  if (phone?.isValid()) return phone;
  if (!text.startsWith('00')) return undefined;
  // "00" is the international prefix in most of the world, but not in every default
  // country (the US uses 011), where libphonenumber reads "0049 30 123456" as a national
  // number and fails. No such national number is possible there, so retry it as "+49...".
  const retried = parse(`+${text.slice(2)}`, region);
  return retried?.isValid() ? retried : undefined;
}

function answer(phone: PhoneNumber | undefined, region: CountryCode): PhoneResult {
  if (!phone) return { ok: false, reason: invalidReason(region) };
  return { ok: true, value: phone.ext ? `${phone.number};ext=${phone.ext}` : phone.number };
}

/** What to remember of libphonenumber's answer for these digits. */
function shapeOf(phone: PhoneNumber | undefined, digits: string): Remembered {
  if (!phone) return 'invalid';
  const tail = phone.nationalNumber.length;
  if (phone.ext || tail > digits.length || phone.nationalNumber !== digits.slice(digits.length - tail)) return 'ask';
  return { head: phone.number.slice(0, phone.number.length - tail), tail };
}

/** `5.55123E+09`, `5,55123E+09` (a European Excel), `1E+10`. */
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?e\+?\d+$/i;

/**
 * RFC 3966 `tel:` URIs, as CRMs and vCard converters export them: `tel:+1-555-123-4567;ext=89`.
 * libphonenumber reads them only when extracting from text, which this parser does not do.
 */
function fromTelUri(text: string): string {
  if (!/^tel:/i.test(text)) return text;
  return text.slice(4).replace(/;ext=/i, ' ext ');
}

function invalidReason(region: CountryCode): string {
  return `not a valid phone number for ${region}`;
}

function parse(text: string, defaultCountry: CountryCode): PhoneNumber | undefined {
  return parsePhoneNumberFromString(text, { defaultCountry, extract: false });
}
