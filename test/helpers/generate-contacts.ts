// Deterministic contact spreadsheets for the crash, concurrency and undo tests: the same
// options always give the same bytes. Realistic where it matters to an import: 12 columns that
// --auto maps, unicode, quoted commas, quotes and newlines, ~3% invalid emails, ~2% rows
// repeating an earlier email (in another case), and a few cells that start with = + - @.

import { prng as random } from './prng.js';

/** Assigned US area codes: a number on one of them with a 555 exchange is a valid number. */
const AREA_CODES = [201, 202, 206, 212, 213, 305, 312, 404, 415, 503, 512, 602, 617, 702, 713, 718, 808, 917];

export const GENERATED_COLUMNS = [
  'Email Address', 'First Name', 'Last Name', 'Phone Number', 'Company Name', 'Job Title',
  'Street Address', 'City', 'State', 'Country', 'Zip', 'Notes',
] as const;

export interface GenerateOptions {
  /** Data rows (header excluded). Default 20,000. */
  rows?: number;
  seed?: number;
  /**
   * Emails are `<local><n>@<domain>` for n = firstNumber…; two files with overlapping ranges
   * share contacts. Default 1.
   */
  firstNumber?: number;
  /** Part of every email's local name, so files meant to be disjoint never share one. Default 'person'. */
  local?: string;
  /** Suffix added to every Job Title, so a second file over the same emails changes values. */
  titleSuffix?: string;
}

export interface GeneratedFile {
  /** The CSV text, header first, LF line ends (CRLF only inside the odd quoted note). */
  csv: string;
  rows: number;
  /** 1-based data rows whose email is invalid. */
  invalidRows: number[];
  /** 1-based data rows repeating the email of an earlier valid row. */
  duplicateRows: number[];
  /** Normalized (lower-case) emails of the rows that are valid and first of their email. */
  uniqueEmails: string[];
}

const FIRST = ['Ana', 'Bob', 'Chloé', 'Dmitri', 'Émilie', 'Farah', 'Giulia', 'Hiroshi', 'Ingrid', 'José', 'Kwame', 'Łukasz', 'Mei', 'Nuno', 'Olga', 'Priya', 'Søren', 'Tomás', 'Zoë', '伟', 'Иван', 'محمد'];
const LAST = ['García', 'Smith', 'Müller', "O'Brien", 'Nguyen', 'Kowalski', 'Rossi', 'Yamamoto', 'Dubois', 'Ivanova', 'Okafor', 'Þórsson', '陈', 'van der Berg'];
const COMPANIES = ['Acme, Inc.', 'Globex', 'Initech', 'Umbrella "Corp"', 'Stark Industries', 'Müller & Söhne GmbH', '字节跳动', 'Smith, Jones & Co'];
const TITLES = ['Engineer', 'Sales "Lead"', 'CEO', 'Director, EMEA', 'Ingénieure', 'Manager'];
const CITIES = ['Springfield', 'Berlin', 'São Paulo', 'Tokyo', 'Paris', 'Lagos', 'Kraków', '北京', 'Zürich'];
const STATES = ['CA', 'NY', 'Bayern', 'Île-de-France', 'SP', ''];
const COUNTRIES = ['US', 'Germany', 'France', 'Brazil', 'Japan', 'Nigeria', 'Poland', 'China', 'Switzerland'];
const DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'example.de'];
/** Cells a spreadsheet would run as a formula if a report wrote them unchanged. */
const FORMULAS = ['=HYPERLINK("http://evil.example","click")', '+1+1', '-2+3', '@SUM(A1:A9)', '=1+2'];

export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function generateContacts(options: GenerateOptions = {}): GeneratedFile {
  const rows = options.rows ?? 20_000;
  const first = options.firstNumber ?? 1;
  const local = options.local ?? 'person';
  const next = random(options.seed ?? 8);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;

  const lines = [GENERATED_COLUMNS.join(',')];
  const invalidRows: number[] = [];
  const duplicateRows: number[] = [];
  const uniqueEmails: string[] = [];
  const validEmails: string[] = [];
  for (let row = 1; row <= rows; row++) {
    const n = first + row - 1;
    const domain = DOMAINS[n % DOMAINS.length]!;
    let email = `${local}${n}@${domain}`;
    const roll = next();
    if (roll < 0.03) {
      email = roll < 0.015 ? `${local}${n}-at-${domain}` : `${local}${n}@@${domain}`;
      invalidRows.push(row);
    } else if (roll < 0.05 && validEmails.length > 0) {
      // An earlier valid row's email, in other case and with spaces around it: the same contact.
      const earlier = validEmails[Math.floor(next() * validEmails.length)]!;
      email = ` ${earlier.toUpperCase()} `;
      duplicateRows.push(row);
    } else {
      validEmails.push(email);
      uniqueEmails.push(email.toLowerCase());
    }
    // Phones are read in the row's country: national (US) numbers only where the country is US.
    const country = pick(COUNTRIES);
    const phone = next() < 0.2 ? '' : country === 'US' && next() < 0.8 ? `(${AREA_CODES[n % AREA_CODES.length]}) 555-${String(1000 + (n % 9000))}` : `+44 20 7946 ${String(n % 10000).padStart(4, '0')}`;
    const noteRoll = next();
    const notes =
      noteRoll < 0.05 ? `Met at the fair, booth ${n % 40}\nfollow up in Q${1 + (n % 4)}`
      : noteRoll < 0.06 ? `two lines\r\nwith CRLF 🎉`
      : noteRoll < 0.08 ? pick(FORMULAS)
      : noteRoll < 0.5 ? ''
      : `customer since ${2000 + (n % 25)}`;
    const company = next() < 0.01 ? pick(FORMULAS) : pick(COMPANIES);
    const title = `${pick(TITLES)}${options.titleSuffix ?? ''}`;
    const values = [
      email, pick(FIRST), pick(LAST), phone, company, title,
      `${n} Main St, Apt ${n % 50}`, pick(CITIES), pick(STATES), country,
      String(10000 + (n % 89999)).padStart(5, '0'), notes,
    ];
    lines.push(values.map(csvCell).join(','));
  }
  return { csv: `${lines.join('\n')}\n`, rows, invalidRows, duplicateRows, uniqueEmails };
}
