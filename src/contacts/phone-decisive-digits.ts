import { Metadata, type CountryCode } from 'libphonenumber-js';
import { fullMatchPrefix, leadingMatchPrefix } from './phone-pattern-prefix.js';

/**
 * How a number's digits were written: after a `+`, after a literal `00` (which normalizePhone
 * retries as `+`), or otherwise.
 */
export type PhoneForm = '+' | '00' | '';

/**
 * How many leading digits, with the number of digits, decide libphonenumber's parse and
 * isValid of a number written as `form` and `digits` in `region` (Infinity when the metadata
 * gives no such bound). Every pattern libphonenumber consults on the way is counted, at the
 * offset it is applied: the international prefix (IDD) of the region for a number without `+`,
 * the one to three digits of a calling code, the national prefix for parsing (and the digits
 * its transform rule captures), the region's calling code written without `+`, and for every
 * country sharing the calling code its national number pattern, type patterns and leading
 * digits (libphonenumber picks the country among them by the national number). Possible
 * lengths and the length limits depend on the length alone. The bound depends on the digits
 * only through digits it covers, so every number sharing those digits and length gets the same
 * bound and the same answer.
 */
export function decisiveDigits(region: CountryCode, form: PhoneForm, digits: string): number {
  if (form === '+') return international(digits);
  if (form === '') return national(region, digits);
  return Math.max(national(region, digits), 2 + international(digits.slice(2)));
}

/** The part of libphonenumber's Metadata class this reads (its typings declare none of it). */
type NumberingPlan = {
  callingCode(): string;
  IDDPrefix(): string;
  nationalPrefixForParsing(): string | undefined;
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

/** A start-anchored pattern, compiled, and the digits that decide its match. */
type Leading = { re: RegExp; reach: number };
type Plan = { callingCode: string; idd: Leading; nationalPrefix: Leading | undefined };
/** Countries sharing a calling code: the first is the one libphonenumber selects by the code. */
type Group = { main: string; reach: number };

const metadata = new Metadata() as unknown as MetadataReader;
const plans = new Map<string, Plan>();
const groups = new Map<string, Group | null>();

function leading(pattern: string): Leading {
  return { re: new RegExp(`^(?:${pattern})`), reach: leadingMatchPrefix(pattern) };
}

function plan(country: string): Plan {
  let p = plans.get(country);
  if (!p) {
    metadata.selectNumberingPlan(country);
    const np = metadata.numberingPlan;
    const prefix = np.nationalPrefixForParsing();
    p = { callingCode: np.callingCode(), idd: leading(np.IDDPrefix()), nationalPrefix: prefix ? leading(prefix) : undefined };
    plans.set(country, p);
  }
  return p;
}

/** null for a calling code of no country (non-geographic numbers: always asked). */
function group(callingCode: string): Group | null {
  let g = groups.get(callingCode);
  if (g === undefined) {
    const countries = metadata.getCountryCodesForCallingCode(callingCode);
    g = countries ? { main: countries[0] as string, reach: Math.max(...countries.map(nationalNumberReach)) } : null;
    groups.set(callingCode, g);
  }
  return g;
}

/** Digits of a national number that decide its country, validity and type. */
function nationalNumberReach(country: string): number {
  metadata.selectNumberingPlan(country);
  const np = metadata.numberingPlan;
  const leadingDigits = np.leadingDigits();
  let reach = Math.max(fullMatchPrefix(np.nationalNumberPattern()), leadingDigits ? leadingMatchPrefix(leadingDigits) : 0);
  for (const type of TYPES) {
    const pattern = np.type(type)?.pattern();
    if (pattern) reach = Math.max(reach, fullMatchPrefix(pattern));
  }
  return reach;
}

/**
 * Digits of `rest` that decide the national number found in it with `country`'s national
 * prefix for parsing: that prefix's match (whatever it strips, captures or transforms lies
 * within the match), then the national number after it.
 */
function afterNationalPrefix(country: string, g: Group, rest: string): number {
  const prefix = plan(country).nationalPrefix;
  if (!prefix) return g.reach;
  const match = prefix.re.exec(rest);
  return Math.max(prefix.reach, (match ? match[0].length : 0) + g.reach);
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
  let reach = p.idd.reach;
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
