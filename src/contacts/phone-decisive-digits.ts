import { Metadata, type CountryCode } from 'libphonenumber-js';
import { leadingMatchPrefix, type PrefixDecider } from './phone-pattern-prefix.js';
import { patternSetPrefix, type PatternTest } from './phone-pattern-set-prefix.js';
import { PrefixMemo } from './prefix-memo.js';

/**
 * How a number's digits were written: after a `+`, after a literal `00` (which normalizePhone
 * retries as `+`), or otherwise.
 */
export type PhoneForm = '+' | '00' | '';

/**
 * How many leading digits, with the number of digits, decide libphonenumber's parse and
 * isValid of a number written as `form` and `digits` in `region` (Infinity when the metadata
 * gives no such bound). Every pattern libphonenumber consults on the way is counted, at the
 * offset it is applied, by what decides it for these very digits (phone-pattern-prefix.ts,
 * phone-pattern-set-prefix.ts): the international prefix (IDD) of the region for a number
 * without `+`, the one to three digits of a calling code, the national prefix for parsing
 * (and the digits its transform rule captures), the region's calling code written without
 * `+`, and for every country sharing the calling code its national number pattern, type
 * patterns and leading digits (libphonenumber picks the country among them by the national
 * number). Possible lengths and the length limits depend on the length alone. The bound
 * depends on the digits only through digits it covers, so every number sharing those digits
 * and length gets the same bound and the same answer — which also lets the bound itself be
 * remembered per prefix (PrefixMemo): it is asked for every phone number of a file.
 */
export function decisiveDigits(region: CountryCode, form: PhoneForm, digits: string): number {
  const key = decisiveKey(region, form, digits);
  return key < 0 ? Number.POSITIVE_INFINITY : key % KEY_BASE;
}

/** decisiveKey's answers are `prefix * KEY_BASE + decisive`: a bound is below it (see PrefixMemo.set). */
export const KEY_BASE = 256;

/**
 * decisiveDigits as one number: -1 when the metadata bounds nothing (or only past 255 digits,
 * which no phone number has); else the bound k plus KEY_BASE times a number that stands for
 * the region, form, length and first k digits, so for every number decided alike (> 0), or 0
 * when the memo of bounds is full.
 */
export function decisiveKey(region: CountryCode, form: PhoneForm, digits: string): number {
  const scope = `${region}${form}|${digits.length}`;
  const node = memo.find(scope, digits);
  if (node) return node * KEY_BASE + memo.answerAt(node);
  const bound = form === '+' ? international(digits) : form === '' ? national(region, digits) : viaDoubleZero(region, digits);
  if (bound === Number.POSITIVE_INFINITY) return -1;
  // A bound past the digits means all of them: only the number itself shares them.
  const decisive = Math.min(bound, digits.length);
  if (decisive >= KEY_BASE) return -1;
  return memo.set(scope, digits, decisive) * KEY_BASE + decisive;
}

/** normalizePhone reads `00…` in the region, and retries it as `+…`. */
function viaDoubleZero(region: CountryCode, digits: string): number {
  return Math.max(national(region, digits), 2 + international(digits.slice(2)));
}

/** The part of libphonenumber's Metadata class this reads (its typings declare none of it). */
type NumberingPlan = {
  callingCode(): string;
  IDDPrefix(): string;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
  nationalNumberPattern(): string;
  leadingDigits(): string | undefined;
  type(type: string): { pattern(): string } | undefined;
};
type MetadataReader = {
  numberingPlan: NumberingPlan;
  selectNumberingPlan(countryOrCallingCode: string): void;
  hasCallingCode(callingCode: string): boolean;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
};

const TYPES = [
  'FIXED_LINE',
  'MOBILE',
  'TOLL_FREE',
  'PREMIUM_RATE',
  'PERSONAL_NUMBER',
  'VOICEMAIL',
  'UAN',
  'PAGER',
  'VOIP',
  'SHARED_COST',
];

/** A start-anchored pattern, compiled, and what decides its match. */
type Leading = { re: RegExp; prefix: PrefixDecider };
type Plan = { callingCode: string; idd: Leading; nationalPrefix: Leading | undefined; transformRule: string | undefined };
/**
 * Countries sharing a calling code: the first is the one libphonenumber selects by the code;
 * `prefix` decides a national number's tests for all of them.
 */
type Group = { main: string; prefix: PrefixDecider };

const metadata = new Metadata() as unknown as MetadataReader;
const plans = new Map<string, Plan>();
const groups = new Map<string, Group | null>();
/** Bounded: a file of random digits would otherwise grow it with every number. */
const memo = new PrefixMemo(1 << 18);

function leading(pattern: string): Leading {
  return { re: new RegExp(`^(?:${pattern})`), prefix: leadingMatchPrefix(pattern) };
}

function plan(country: string): Plan {
  let p = plans.get(country);
  if (!p) {
    metadata.selectNumberingPlan(country);
    const np = metadata.numberingPlan;
    const prefix = np.nationalPrefixForParsing();
    p = {
      callingCode: np.callingCode(),
      idd: leading(np.IDDPrefix()),
      nationalPrefix: prefix ? leading(prefix) : undefined,
      transformRule: np.nationalPrefixTransformRule(),
    };
    plans.set(country, p);
  }
  return p;
}

/** null for a calling code of no country (non-geographic numbers: always asked). */
function group(callingCode: string): Group | null {
  let g = groups.get(callingCode);
  if (g === undefined) {
    const countries = metadata.getCountryCodesForCallingCode(callingCode);
    g = countries ? { main: countries[0] as string, prefix: patternSetPrefix(nationalNumberTests(countries)) } : null;
    groups.set(callingCode, g);
  }
  return g;
}

/** What libphonenumber tests of a national number to pick its country, validity and type. */
function nationalNumberTests(countries: readonly string[]): PatternTest[] {
  const tests = new Map<string, PatternTest>();
  const add = (pattern: string | undefined, whole: boolean): void => {
    if (pattern) tests.set(`${whole ? '$' : '^'}${pattern}`, { pattern, whole });
  };
  for (const country of countries) {
    metadata.selectNumberingPlan(country);
    const np = metadata.numberingPlan;
    add(np.leadingDigits(), false);
    add(np.nationalNumberPattern(), true);
    for (const type of TYPES) add(np.type(type)?.pattern(), true);
  }
  return [...tests.values()];
}

/**
 * Digits of `rest` that decide the national number found in it with `country`'s national
 * prefix for parsing: that prefix's match, `rest` itself as a national number (kept when the
 * stripped one does not fit), and the national number after the prefix — the rest of `rest`,
 * or with a transform rule, digits the match captured before it (the whole match is then
 * covered: the bound counts from its end).
 */
function afterNationalPrefix(country: string, g: Group, rest: string): number {
  const p = plan(country);
  const whole = g.prefix(rest);
  if (!p.nationalPrefix) return whole;
  const reach = Math.max(whole, p.nationalPrefix.prefix(rest));
  const match = p.nationalPrefix.re.exec(rest);
  if (!match) return reach;
  const transformed = p.transformRule && match.length > 1 && match[match.length - 1];
  const after = transformed ? rest.replace(p.nationalPrefix.re, p.transformRule ?? '') : rest.slice(match[0].length);
  return Math.max(reach, match[0].length + g.prefix(after));
}

/** Digits after a `+` (or a stripped IDD): calling code, then its main country's national part. */
function international(digits: string): number {
  if (digits[0] === '0') return 1;
  for (let length = 1; length <= 3 && length <= digits.length; length++) {
    const code = digits.slice(0, length);
    if (!metadata.hasCallingCode(code)) continue;
    const g = group(code);
    if (!g) return Number.POSITIVE_INFINITY;
    return length + afterNationalPrefix(g.main, g, digits.slice(length));
  }
  return 3;
}

/**
 * Digits without a `+`: the region's IDD (a number dialled abroad), else its calling code
 * written without `+` (both readings are weighed), and the number read as a national one.
 */
function national(region: CountryCode, digits: string): number {
  const p = plan(region);
  const g = group(p.callingCode);
  if (!g) return Number.POSITIVE_INFINITY;
  let reach = p.idd.prefix(digits);
  const idd = p.idd.re.exec(digits)?.[0].length ?? 0;
  if (idd > 0) {
    reach = Math.max(reach, idd + 1);
    if (digits.length > idd && digits[idd] !== '0') return Math.max(reach, idd + international(digits.slice(idd)));
  }
  const code = p.callingCode;
  reach = Math.max(reach, code.length, afterNationalPrefix(region, g, digits));
  if (digits.startsWith(code)) {
    const rest = digits.slice(code.length);
    reach = Math.max(reach, code.length + afterNationalPrefix(region, g, rest), code.length + afterNationalPrefix(g.main, g, rest));
  }
  return reach;
}
