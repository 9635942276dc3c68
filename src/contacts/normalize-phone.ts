import {
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js';

export type { CountryCode };

/**
 * Plain 10-digit North American numbers ("(212) 555-0123", "212.555.0123", "+1 212 555 0123"):
 * libphonenumber takes ~20 µs to parse each, while their E.164 form is simply +1 and the ten
 * digits. Whether such a number is *valid* depends on its area code and exchange: the NANP
 * patterns in libphonenumber's metadata look at the first seven digits at most, so the
 * library's answer is asked once per seven-digit prefix and remembered. A unit test checks this
 * shortcut against the library. Anything else goes to libphonenumber.
 */
const NANP_PLAIN = /^(?:\+?1[ .-]?)?(?:\(([2-9]\d\d)\) ?|([2-9]\d\d)[ .-]?)(\d{3})[ .-]?(\d{4})$/;
const nanpCountries = new Map<CountryCode, boolean>();
/** Seven-digit NANP prefix → valid; bounded so a file of random digits cannot grow it forever. */
const nanpValid = new Map<string, boolean>();
const MAX_NANP_PREFIXES = 100_000;

export type PhoneResult = { ok: true; value: string } | { ok: false; reason: string };

/** Validates a `--default-country` value: an upper-case ISO 3166 code libphonenumber knows. */
export function isCountryCode(s: string): s is CountryCode {
  return /^[A-Z]{2}$/.test(s) && isSupportedCountry(s);
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
  if (isNanp(region)) {
    const m = NANP_PLAIN.exec(text);
    if (m) {
      const digits = `${m[1] ?? m[2]}${m[3]}${m[4]}`;
      if (isValidNanp(digits, region, text.charCodeAt(0) === 0x2b /* + */)) return { ok: true, value: `+1${digits}` };
      return { ok: false, reason: invalidReason(region) };
    }
  }
  // extract: false — the whole cell must be the number, so "555-1234 / 555-9876" or prose
  // is rejected rather than silently cut down to its first number.
  let phone = parse(text, region);
  if (!phone?.isValid() && text.startsWith('00')) {
    // "00" is the international prefix in most of the world, but not in every default
    // country (the US uses 011), where libphonenumber reads "0049 30 123456" as a national
    // number and fails. No such national number is possible there, so retry it as "+49...".
    phone = parse(`+${text.slice(2)}`, region);
  }
  if (!phone?.isValid()) return { ok: false, reason: invalidReason(region) };
  return { ok: true, value: phone.ext ? `${phone.number};ext=${phone.ext}` : phone.number };
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

function isNanp(country: CountryCode): boolean {
  let nanp = nanpCountries.get(country);
  if (nanp === undefined) {
    nanp = getCountryCallingCode(country) === '1';
    nanpCountries.set(country, nanp);
  }
  return nanp;
}

function invalidReason(region: CountryCode): string {
  return `not a valid phone number for ${region}`;
}

/**
 * libphonenumber's isValid for these ten digits read in `region` (written with +1, or without),
 * asked once per region, form and seven-digit prefix: the answer depends on the region for a
 * number written without +1 (each NANP country's own patterns).
 */
function isValidNanp(digits: string, region: CountryCode, international: boolean): boolean {
  const key = `${region}${international ? '+' : ' '}${digits.slice(0, 7)}`;
  let valid = nanpValid.get(key);
  if (valid === undefined) {
    valid = parse(international ? `+1${digits}` : digits, region)?.isValid() ?? false;
    if (nanpValid.size < MAX_NANP_PREFIXES) nanpValid.set(key, valid);
  }
  return valid;
}

function parse(text: string, defaultCountry: CountryCode): PhoneNumber | undefined {
  return parsePhoneNumberFromString(text, { defaultCountry, extract: false });
}
