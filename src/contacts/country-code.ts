import { createRequire } from 'node:module';
import countries, { type LocaleData } from 'i18n-iso-countries/index.js';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';

// The package's main entry registers all 78 locales at import; its index registers none, so
// only the languages contact lists are commonly written in are loaded (once, on first use).
const require = createRequire(import.meta.url);
const LOCALES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'sv', 'da', 'nb', 'pl'] as const;

let byName: Map<string, CountryCode> | undefined;
/** Cell text → region (or null: not a country libphonenumber knows); real columns repeat a few values. */
const cache = new Map<string, CountryCode | null>();
const MAX_CACHED = 10_000;

/**
 * The phone region a Country cell names: an ISO 3166 alpha-2 or alpha-3 code (`DE`, `DEU`) or
 * a country's name in English or a common local form (`Germany`, `Deutschland`, `Allemagne`,
 * `USA`, `U.S.A.`), case, accents and punctuation ignored. Undefined when the text names no
 * country, or one libphonenumber has no numbering plan for.
 */
export function countryCodeOf(text: string): CountryCode | undefined {
  const cached = cache.get(text);
  if (cached !== undefined) return cached ?? undefined;
  const found = lookUp(text) ?? null;
  if (cache.size < MAX_CACHED) cache.set(text, found);
  return found ?? undefined;
}

function lookUp(text: string): CountryCode | undefined {
  const key = normalizeName(text);
  if (key === '') return undefined;
  const code = names().get(key);
  return code;
}

function normalizeName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[.'’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^the /, '');
}

function names(): Map<string, CountryCode> {
  if (byName) return byName;
  const map = new Map<string, CountryCode>();
  const add = (name: string, alpha2: string): void => {
    const key = normalizeName(name);
    // English first, then the other languages: the first language to use a name keeps it.
    if (key !== '' && !map.has(key) && isSupportedCountry(alpha2)) map.set(key, alpha2);
  };
  for (const [alpha2, alpha3] of Object.entries(countries.getAlpha2Codes())) {
    add(alpha2, alpha2);
    add(alpha3, alpha2);
  }
  for (const locale of LOCALES) {
    const data = require(`i18n-iso-countries/langs/${locale}.json`) as LocaleData;
    countries.registerLocale(data);
    for (const [alpha2, all] of Object.entries(countries.getNames(locale, { select: 'all' }))) {
      for (const name of all) add(name, alpha2);
    }
  }
  byName = map;
  return map;
}
