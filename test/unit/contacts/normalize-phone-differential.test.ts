import {
  getCountries,
  getCountryCallingCode,
  Metadata,
  parsePhoneNumberFromString,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { normalizePhone, type PhoneResult } from '../../../src/contacts/normalize-phone.js';
import { decisiveDigits } from '../../../src/contacts/phone-decisive-digits.js';

/** normalizePhone as it was before it remembered answers: libphonenumber on every text. */
function reference(raw: string, region: CountryCode): PhoneResult {
  const text = /^tel:/i.test(raw.trim()) ? raw.trim().slice(4).replace(/;ext=/i, ' ext ') : raw.trim();
  if (/^[+-]?\d+(?:[.,]\d+)?e\+?\d+$/i.test(text)) {
    return {
      ok: false,
      reason: 'a number Excel turned into scientific notation, which lost digits; format the column as text and export again',
    };
  }
  const parse = (t: string): PhoneNumber | undefined =>
    parsePhoneNumberFromString(t, { defaultCountry: region, extract: false });
  let phone = parse(text);
  if (!phone?.isValid() && text.startsWith('00')) phone = parse(`+${text.slice(2)}`);
  if (!phone?.isValid()) return { ok: false, reason: `not a valid phone number for ${region}` };
  return { ok: true, value: phone.ext ? `${phone.number};ext=${phone.ext}` : phone.number };
}

let seed = 20240611;
const random = (n: number): number => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return Math.floor((seed / 2 ** 31) * n);
};
const pick = <T>(list: readonly T[]): T => list[random(list.length)] as T;
const randomDigits = (n: number): string => Array.from({ length: n }, () => random(10)).join('');

/** Digits split at random places by the punctuation people use, the first group maybe in (). */
function punctuate(digits: string): string {
  let out = '';
  let group = 0;
  for (const d of digits) {
    if (out && random(3) === 0) {
      out += pick([' ', '-', '.', '/', ' - ', ') ', '(']);
      group++;
    }
    out += d;
  }
  return group === 0 && random(2) === 0 ? `(${digits.slice(0, 3)}) ${digits.slice(3)}` : out;
}

/** Variants of a national number: each digit changed, each prefix with random tails, ±2 digits. */
function variants(national: string): string[] {
  const out = [national];
  for (let i = 0; i < national.length; i++) {
    out.push(national.slice(0, i) + random(10) + national.slice(i + 1));
    for (let t = 0; t < 2; t++) out.push(national.slice(0, i + 1) + randomDigits(national.length - i - 1));
  }
  for (const delta of [-2, -1, 1, 2]) {
    out.push(delta < 0 ? national.slice(0, delta) : national + randomDigits(delta));
  }
  return out;
}

/** `text` with its digits from the k-th on replaced by random ones, punctuation kept. */
function withRandomDigitsFrom(text: string, k: number): string {
  let seen = 0;
  return text.replace(/\d/g, (d) => (seen++ < k ? d : String(random(10))));
}

const metadata = new Metadata() as unknown as {
  selectNumberingPlan(c: string): void;
  numberingPlan: { nationalPrefix(): string | undefined; IDDPrefix(): string; defaultIDDPrefix(): string | undefined };
};

function writings(country: CountryCode, national: string): Array<[string, CountryCode]> {
  metadata.selectNumberingPlan(country);
  const plan = metadata.numberingPlan;
  const cc = getCountryCallingCode(country);
  const trunk = plan.nationalPrefix() ?? '';
  const foreign = pick<CountryCode>(['US', 'GB', 'DE', 'BR', 'JP', 'AR', 'AU', 'CN', 'RU', pick(getCountries())]);
  metadata.selectNumberingPlan(foreign);
  const foreignIdd = /^\d+$/.test(metadata.numberingPlan.IDDPrefix())
    ? metadata.numberingPlan.IDDPrefix()
    : (metadata.numberingPlan.defaultIDDPrefix() ?? '00');
  const all: Array<[string, CountryCode]> = [
    [national, country],
    [punctuate(trunk + national), country],
    [`+${cc}${national}`, foreign],
    [`+${cc} ${punctuate(national)}`, country],
    [`00${cc}${punctuate(national)}`, foreign],
    [`00 ${cc} ${national}`, country],
    [`${foreignIdd} ${cc} ${punctuate(national)}`, foreign],
    [`011${cc}${national}`, 'US'],
    [`${cc}${national}`, country],
    [punctuate(national), foreign],
  ];
  // The national prefix (trunk) writing, and one or two others, keep the run to a few seconds.
  return [all[1] as [string, CountryCode], pick(all), ...(random(2) ? [pick(all)] : [])];
}

/**
 * Extensions written the ways libphonenumber reads them (normalizePhone answers these from
 * memory) and ways it reads differently or not at all (these go to it as written).
 */
const EXTENSIONS: Array<(digits: string) => string> = [
  (d) => ` x${d}`, (d) => `x${d}`, (d) => ` X${d}`, (d) => `  x ${d}`, (d) => ` x. ${d}`, (d) => ` x-${d}`,
  (d) => ` x:${d}`, (d) => ` x${d}#`, (d) => ` ext. ${d}`, (d) => ` ext ${d}`, (d) => `ext${d}`, (d) => ` EXT.${d}`,
  (d) => ` Ext: ${d}`, (d) => ` ext - ${d}`, (d) => ` ext ${d}#`, (d) => ` extn ${d}`, (d) => ` EXTN.${d}`,
  (d) => ` extension ${d}`, (d) => ` Extension: ${d}`, (d) => ` #${d}`, (d) => `#${d}`, (d) => ` # ${d}#`,
  (d) => `;ext=${d}`, (d) => ` ;ext=${d}`, (d) => `;EXT=${d}`, (d) => `;Ext=${d}`,
  // Not answered from memory: other separators, labels and digits, and what no label allows.
  (d) => `, ext ${d}`, (d) => `\text ${d}`, (d) => ` ~${d}`, (d) => ` int ${d}`, (d) => ` xt ${d}`,
  (d) => ` extensión ${d}`, (d) => ` extensio ${d}`, (d) => `,,${d}`, (d) => `,${d}`, (d) => `;${d}`,
  (d) => ` ${d}#`, (d) => `-${d}#`, (d) => ` x\u00a0${d}`, (d) => `\u00a0x${d}`, (d) => ` ext.: ${d}`,
  (d) => ` ext..${d}`, (d) => ` x..${d}`, (d) => ` #:.${d}`, (d) => ` x ${d} `, (d) => ` x${d}##`,
  (d) => ` ext ${d}##`, (d) => ` x ${d}x`, (d) => ` x${d} x${d}`, (d) => ` ext ${d} ext ${d}`,
  (d) => ` ;ext= ${d}`, (d) => `;ext=${d}#`, (d) => ` ext${d.replace(/\d/g, (c) => String.fromCharCode(0xff10 + Number(c)))}`,
  (d) => ` доб ${d}`, (d) => ` anexo ${d}`, () => ` x`, () => ` ext.`, (d) => ` x ${d.slice(0, 1)} ${d.slice(1)}`,
];

describe('normalizePhone remembers exactly what libphonenumber answers', () => {
  it('on numbers of every country, written every way, valid and not', () => {
    let compared = 0;
    let valid = 0;
    for (const country of getCountries()) {
      const example = (examples as Record<string, string>)[country];
      const bases = [example ?? randomDigits(8), randomDigits(3 + random(12))];
      for (const base of bases) {
        for (const national of variants(base)) {
          for (const [text, region] of writings(country, national)) {
            const expected = reference(text, region);
            expect(normalizePhone(text, region), `${text} in ${region}`).toEqual(expected);
            compared++;
            if (expected.ok) valid++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(20_000);
    expect(valid).toBeGreaterThan(compared / 10);
  });

  it("on random numbers sharing a number's decisive digits and length, which the memo answers", () => {
    let compared = 0;
    let valid = 0;
    for (const country of getCountries()) {
      const example = (examples as Record<string, string>)[country];
      for (const base of [example ?? randomDigits(8), randomDigits(4 + random(9)), ...variants(example ?? '').slice(1, 4)]) {
        for (const [text, region] of writings(country, base)) {
          const digits = text.replace(/\D/g, '');
          if (!/^\+?[0-9 ().\-/]+$/.test(text) || digits.length < 3) continue;
          const form = text[0] === '+' ? '+' : text.startsWith('00') ? '00' : '';
          const k = decisiveDigits(region, form, digits);
          if (k === Number.POSITIVE_INFINITY) continue;
          expect(normalizePhone(text, region), `${text} in ${region}`).toEqual(reference(text, region));
          for (let i = 0; i < 6; i++) {
            const other = withRandomDigitsFrom(text, k);
            expect(decisiveDigits(region, form, other.replace(/\D/g, '')), `${other} like ${text} in ${region}`).toBe(k);
            const expected = reference(other, region);
            expect(normalizePhone(other, region), `${other} like ${text} in ${region}`).toEqual(expected);
            compared++;
            if (expected.ok) valid++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    expect(valid).toBeGreaterThan(compared / 5);
  });

  it('on the North American prefixes libphonenumber singles out, and 7-digit local numbers', () => {
    for (const region of ['US', 'CA', 'JM', 'AG', 'BS', 'PR', 'DO'] as const) {
      for (const prefix of ['305', '505', '983', '523', '268', '242', '809', '876', '787', '800', '212']) {
        for (let x = 200; x <= 999; x += 7) {
          const line = randomDigits(4);
          for (const text of [`${prefix}${x}${line}`, `1 ${prefix} ${x}-${line}`, `+1${prefix}${x}${line}`, `${x}-${line}`]) {
            expect(normalizePhone(text, region), `${text} in ${region}`).toEqual(reference(text, region));
          }
        }
      }
    }
  });

  it('sends what is not digits and punctuation to libphonenumber as written', () => {
    for (const text of ['12', '1 2', '+12', '+1 2', '  +44 20 7946 0958 ', '020 7946 0958 ext 12', '+1-800-FLOWERS',
      '212 555 0147 #89', 'tel:+44-20-7946-0958', '5.55123E+09', '+0 12 345', '0 049 30 123456', '0049 30 123456',
      '+(49) 30 123456', '++49 30 123456', '4930123456', `${'1'.repeat(251)}`]) {
      for (const region of ['US', 'DE', 'GB', 'BR'] as const) {
        expect(normalizePhone(text, region), `${text} in ${region}`).toEqual(reference(text, region));
      }
    }
  });

  it('on texts without a digit libphonenumber reads, which are answered without it', () => {
    const junk = ['call me', 'n/a', 'N/A', 'none', 'TBD', '-', '--', '+', '()', '(   )', 'x', 'ext. 12', '#', 'tel:',
      '+ONE', '1-800-FLOWERS'.replace(/\d/g, ''), 'ask front desk', 'Ⅻ', '½', '¹²³', '𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗𝟎', '߁߂߃߄߅߆߇߈߉߀',
      '\u0966\u0967\u0968\u0969\u096a\u096b\u096c', '\u0e51\u0e52\u0e53\u0e54\u0e55\u0e56\u0e57', 'Ｔｅｌ', 'téléphone'];
    // And their neighbours with a digit of each kind it does read, which it must still be asked.
    // (Valid ones among them: an Egyptian mobile in Arabic-Indic digits, an Iranian one in
    // Extended Arabic-Indic, a London number in full-width digits.)
    const withDigits = ['call 5', 'n/a 0', '٠١٠٠١٢٣٤٥٦٧', '۰۹۱۲۳۴۵۶۷۸۹', '+４４ ２０ ７９４６ ０９５８', '１２３４５６７８９０'];
    for (const text of [...junk, ...withDigits]) {
      for (const region of ['US', 'DE', 'EG', 'IR', 'JP'] as const) {
        expect(normalizePhone(text, region), `${text} in ${region}`).toEqual(reference(text, region));
      }
    }
  });

  it('on numbers of every country with an extension, in every form, valid and not', () => {
    let compared = 0;
    let valid = 0;
    for (const country of getCountries()) {
      const example = (examples as Record<string, string>)[country];
      for (const base of [example ?? randomDigits(8), randomDigits(3 + random(12))]) {
        for (const national of variants(base)) {
          for (const [text, region] of writings(country, national)) {
            const withExt = `${text}${pick(EXTENSIONS)(randomDigits(1 + random(22)))}`;
            const expected = reference(withExt, region);
            expect(normalizePhone(withExt, region), `${withExt} in ${region}`).toEqual(expected);
            compared++;
            if (expected.ok) valid++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(20_000);
    expect(valid).toBeGreaterThan(compared / 20);
  });

  it('on every extension form at and past its digit limit, on valid and invalid numbers', () => {
    const numbers: Array<[string, CountryCode]> = [
      ['+1 539 831 9244', 'US'], ['(539) 831-9244', 'CA'], ['539.831.9244', 'US'], ['212 555 0147', 'US'],
      ['555 123 4567', 'US'], ['99 99 99 99 99', 'FR'], ['01 23 45 67 89', 'FR'], ['0032 497 69 88 60', 'BE'],
      ['0049 30 123456', 'US'], ['011 49 30 123456', 'US'], ['+44 20 7946 0958', 'DE'], ['020 7946 0958', 'GB'],
      ['030 1234567', 'DE'], ['+7 912 345-67-89', 'RU'], ['8 (912) 345-67-89', 'RU'], ['+86 138 0013 8000', 'CN'],
      ['+800 1234 5678', 'US'], ['+881 6 12345678', 'US'], ['12', 'US'], ['1 2', 'US'], ['123', 'US'], ['+', 'US'],
      ['', 'US'], ['+1', 'US'], ['(', 'US'], ['2125550147-', 'US'], ['212-555-0147 ', 'US'],
    ];
    for (const [number, region] of numbers) {
      for (const form of EXTENSIONS) {
        for (const length of [1, 2, 6, 7, 9, 10, 15, 16, 20, 21]) {
          const ext = form(randomDigits(length));
          for (const text of [`${number}${ext}`, `tel:${number.replace(/ /g, '-')}${ext}`]) {
            expect(normalizePhone(text, region), `${text} in ${region}`).toEqual(reference(text, region));
          }
        }
      }
      for (const ext of [';ext=12', ';EXT=12', ';ext=123456789012345678901', ';ext=', ';ext=12;ext=3', ' ext 12 x3']) {
        const text = `tel:${number.replace(/ /g, '-')}${ext}`;
        expect(normalizePhone(text, region), `${text} in ${region}`).toEqual(reference(text, region));
      }
    }
  });
});
