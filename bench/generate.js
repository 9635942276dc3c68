// Deterministic contacts files (same seed, same bytes), 12 columns. Two kinds:
// - 'realistic' (the default, what the targets are judged on): twenty countries, named in
//   the Country column (in English or their own language) or by ISO code; phones in several
//   national and international formats of that country (E.164, +CC grouped, 00 prefix,
//   national with its trunk 0, dashes, dots, parentheses, extensions), ~1% junk phones;
//   random mailbox names (first.last, initials + digits, nicknames…) at twenty domains, ~3%
//   invalid emails, ~2% duplicates (exact, other case, stray whitespace); unicode names,
//   quoted commas, quotes and newlines.
// - 'easy' (BENCH_DATA=easy): the old file, every phone a US one, sequential emails.
import fs from 'node:fs';
import { getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';

const FIRST = ['Ana', 'Bob', 'Chloé', 'Dmitri', 'Émilie', 'Farah', 'Giulia', 'Hiroshi', 'Ingrid', 'José', 'Kwame', 'Łukasz', 'Mei', 'Nuno', 'Olga', 'Priya', 'Søren', 'Tomás', 'Uwe', 'Zoë', '伟', 'Иван',
  'Liam', 'Olivia', 'Noah', 'Emma', 'Mateo', 'Sofía', 'Lucas', 'Mia', 'Léa', 'Hugo', 'Chiara', 'Marco', 'Anna', 'Jan', 'Sanne', 'Lars', 'Agnieszka', 'Piotr', 'João', 'Beatriz', 'Aarav', 'Ananya',
  'Yuki', 'Sakura', 'Chinedu', 'Ngozi', 'Thabo', 'Lerato', 'Jack', 'Charlotte', 'William', 'Amélie', 'Björn', 'Åsa', 'Fatima', 'Omar', 'Ravi', 'Hannah', 'Ethan', 'Isabella'];
const LAST = ['García', 'Smith', 'Müller', "O'Brien", 'Nguyen', 'Kowalski', 'Rossi', 'Yamamoto', 'Dubois', 'Ivanova', 'Okafor', 'Þórsson', '陈',
  'Johnson', 'Williams', 'Brown', 'Martin', 'Bernard', 'Schmidt', 'Schneider', 'Fischer', 'Bianchi', 'Romano', 'de Vries', 'Jansen', 'Peeters', 'Andersson', 'Nowak', 'Silva', 'Santos',
  'Hernández', 'López', 'Sharma', 'Patel', 'Suzuki', 'Takahashi', 'Adeyemi', 'Nkosi', 'Dlamini', 'Taylor', 'Wilson', 'Gruber', 'Huber', 'Meier', 'Lefèvre', 'Martínez', 'Kim', 'Lee'];
const NICKNAMES = ['sunny', 'bigfoot', 'coolcat', 'skywalker', 'ninja', 'gamer', 'blue', 'tiger', 'pixel', 'rocket', 'maple', 'viking', 'samba', 'sakura', 'zen'];
const DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'aol.com', 'proton.me', 'gmx.de', 'web.de', 'orange.fr', 'free.fr', 'libero.it', 'yahoo.co.uk',
  'btinternet.com', 'uol.com.br', 'rediffmail.com', 'yahoo.co.jp', 'bigpond.com', 'acme-corp.com', 'globex.io'];
const COMPANIES = ['Acme, Inc.', 'Globex', 'Initech', 'Umbrella "Corp"', 'Stark Industries', 'Wayne Enterprises', 'Müller & Söhne GmbH', 'Société Générale', 'Tanaka 株式会社', '', ''];
const TITLES = ['Manager', 'CEO', 'Sales Rep', 'Engineer', 'Head of Ops, EMEA', 'Directeur commercial', '', 'Buyer'];
/** ISO code, names a Country column may carry, cities, the share of rows. */
const COUNTRIES = [
  ['US', ['United States', 'USA', 'United States of America'], ['Springfield', 'Austin', 'New York'], 22],
  ['GB', ['United Kingdom', 'UK', 'England'], ['London', 'Leeds', 'Bristol'], 8],
  ['DE', ['Germany', 'Deutschland'], ['Berlin', 'München', 'Köln'], 8],
  ['FR', ['France'], ['Paris', 'Lyon', 'Besançon'], 7],
  ['CA', ['Canada'], ['Toronto', 'Montréal', 'Calgary'], 5],
  ['ES', ['Spain', 'España'], ['Madrid', 'Sevilla', 'A Coruña'], 5],
  ['IT', ['Italy', 'Italia'], ['Roma', 'Milano', 'Napoli'], 5],
  ['NL', ['Netherlands', 'Nederland', 'The Netherlands'], ['Amsterdam', 'Utrecht'], 4],
  ['BE', ['Belgium', 'Belgique'], ['Bruxelles', 'Gent'], 3],
  ['CH', ['Switzerland', 'Schweiz'], ['Zürich', 'Genève'], 3],
  ['AT', ['Austria', 'Österreich'], ['Wien', 'Graz'], 2],
  ['SE', ['Sweden', 'Sverige'], ['Stockholm', 'Göteborg'], 3],
  ['PL', ['Poland', 'Polska'], ['Warszawa', 'Kraków'], 3],
  ['BR', ['Brazil', 'Brasil'], ['São Paulo', 'Rio de Janeiro'], 4],
  ['MX', ['Mexico', 'México'], ['Ciudad de México', 'Guadalajara'], 3],
  ['IN', ['India'], ['Mumbai', 'Bengaluru'], 5],
  ['JP', ['Japan'], ['Tokyo', 'Ōsaka'], 3],
  ['AU', ['Australia'], ['Sydney', 'Melbourne'], 3],
  ['NG', ['Nigeria'], ['Lagos', 'Abuja'], 2],
  ['ZA', ['South Africa'], ['Johannesburg', 'Cape Town'], 2],
];
const JUNK_PHONES = ['call me', 'n/a', 'N/A', '-', '123', '555', 'none', 'ask reception', 'tbd', '0', '+', 'see notes'];
export const HEADER = ['Email Address', 'First Name', 'Last Name', 'Phone Number', 'Company Name', 'Job Title', 'Street Address', 'City', 'State', 'Country', 'Zip', 'Notes'];

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296);
}

/** The old, easy rows: one US phone format, every country US, sequential emails. */
function* easyRows(rows, seed) {
  const random = rng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  for (let i = 1; i <= rows; i++) {
    const r = random();
    let email = `user${i}@example${i % 97}.com`;
    if (r < 0.03) email = `user${i}-at-example.com`;
    else if (r < 0.05 && i > 10) email = `user${i - 7}@example${(i - 7) % 97}.com`;
    const phone = `(${200 + (i % 700)}) 555-${String(1000 + (i % 9000)).padStart(4, '0')}`;
    const notes = random() < 0.05 ? `Met at the fair\nfollow up in Q${1 + (i % 4)}` : random() < 0.5 ? '' : `customer since ${2000 + (i % 25)}`;
    yield [email, pick(FIRST.slice(0, 22)), pick(LAST.slice(0, 13)), phone, pick(COMPANIES.slice(0, 7)), 'Manager', `${i} Main St, Apt ${i % 50}`, pick(CITIES_EASY), 'CA', 'US', String(10000 + (i % 89999)).padStart(5, '0'), notes];
  }
}
const CITIES_EASY = ['Springfield', 'Berlin', 'São Paulo', 'Tokyo', 'Paris', 'Lagos', 'Kraków'];

/**
 * Valid numbers of one country, each in the ways people write it: numbers of the length of the
 * country's example mobile number, its first digit kept and every other digit drawn at random,
 * kept when libphonenumber finds them valid. The book is large enough that a phone text rarely
 * repeats in the file (as in a real export), so no cache of whole numbers can flatter the code.
 */
function phoneBook(country, random, size = 20000) {
  const example = getExampleNumber(country, examples);
  const national = example.nationalNumber;
  const book = [];
  for (let tries = 0; book.length < size && tries < size * 30; tries++) {
    let drawn = national[0];
    while (drawn.length < national.length) drawn += Math.floor(random() * 10);
    const candidate = parsePhoneNumberFromString(drawn, country);
    if (!candidate?.isValid()) continue;
    const nat = candidate.formatNational();
    const digits = nat.replace(/\D/g, '');
    const intl = candidate.formatInternational();
    const cc = candidate.countryCallingCode;
    book.push([
      candidate.number, // E.164
      intl, // +49 1512 3456789
      nat, // 01512 3456789, (555) 123-4567
      `00${intl.slice(1)}`, // 0049 1512 3456789
      digits.replace(/^(\d{3,4})(\d{3})(\d+)$/, '$1-$2-$3'), // 0151-234-56789
      digits.replace(/^(\d{3})(\d{3})(\d+)$/, '$1.$2.$3'), // 015.123.456789
      `+${cc} (${candidate.nationalNumber.slice(0, 3)}) ${candidate.nationalNumber.slice(3)}`, // +49 (151) 23456789
      `${nat} ext. ${1 + Math.floor(random() * 999)}`,
      `${intl} x${10 + Math.floor(random() * 90)}`,
      digits,
    ]);
  }
  return book;
}

function ascii(name) {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

/** Realistic rows, as arrays of 12 strings. */
function* realisticRows(rows, seed) {
  const random = rng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const weights = COUNTRIES.map((c) => c[3]);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const books = new Map(COUNTRIES.map(([code]) => [code, phoneBook(code, random)]));
  const recent = [];
  for (let i = 1; i <= rows; i++) {
    let w = random() * totalWeight;
    let c = 0;
    while (w >= weights[c] && c < COUNTRIES.length - 1) w -= weights[c++];
    const [code, names, cities] = COUNTRIES[c];
    const first = pick(FIRST);
    const last = pick(LAST);
    const f = ascii(first) || 'x';
    const l = ascii(last) || 'y';
    const n = Math.floor(random() * 10000);
    const m = random();
    const mailbox =
      m < 0.35 ? `${f}.${l}${n % 1000}` : m < 0.55 ? `${f[0]}${l[0]}${n}` : m < 0.7 ? `${pick(NICKNAMES)}_${n}` : m < 0.85 ? `${f}${l}${n}` : `${f[0]}.${l}.${n % 100}`;
    let email = `${mailbox}@${pick(DOMAINS)}`;
    const e = random();
    if (e < 0.03) {
      // Invalid: the ways they show up in real lists.
      const bad = Math.floor(random() * 6);
      email = [`${mailbox}@`, `${mailbox} at ${pick(DOMAINS)}`, `${mailbox}@@${pick(DOMAINS)}`, `${mailbox}.${pick(DOMAINS)}`, `${mailbox}@${pick(DOMAINS).split('.')[0]}`, `${f} ${l}@${pick(DOMAINS)}`][bad];
    } else if (e < 0.05 && recent.length > 0) {
      const earlier = recent[Math.floor(random() * recent.length)];
      const v = random();
      email = v < 0.5 ? earlier : v < 0.8 ? earlier.toUpperCase() : ` ${earlier} `;
    } else {
      if (recent.length < 20000) recent.push(email);
      else recent[Math.floor(random() * recent.length)] = email;
    }
    const p = random();
    let phone;
    if (p < 0.01) phone = pick(JUNK_PHONES);
    else if (p < 0.06) phone = '';
    else phone = pick(pick(books.get(code)));
    const k = random();
    const country = k < 0.65 ? pick(names) : k < 0.95 ? code : k < 0.97 ? code.toLowerCase() : '';
    const notes = random() < 0.05 ? `Met at the fair, "booth 12"\nfollow up in Q${1 + (i % 4)}` : random() < 0.5 ? '' : `customer since ${2000 + (i % 25)}`;
    const street = `${1 + Math.floor(random() * 400)} ${pick(['Main St', 'Hauptstraße', 'rue de la Paix', 'Via Roma', 'Calle Mayor', 'High Street'])}${random() < 0.3 ? `, Apt ${1 + (i % 50)}` : ''}`;
    yield [email, first, last, phone, pick(COMPANIES), pick(TITLES), street, pick(cities), code === 'US' ? pick(['CA', 'NY', 'TX']) : '', country, String(10000 + Math.floor(random() * 89999)), notes];
  }
}

/** The data rows, as arrays of 12 strings: BENCH_DATA=easy for the old easy file. */
export function* contactRows(rows, seed = 42, kind = process.env.BENCH_DATA ?? 'realistic') {
  yield* kind === 'easy' ? easyRows(rows, seed) : realisticRows(rows, seed);
}

function csvCell(value) {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function generateContacts(file, rows, seed = 42, kind = process.env.BENCH_DATA ?? 'realistic') {
  const out = fs.openSync(file, 'w');
  let chunk = `${HEADER.join(',')}\n`;
  for (const row of contactRows(rows, seed, kind)) {
    chunk += `${row.map(csvCell).join(',')}\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(out, chunk);
      chunk = '';
    }
  }
  fs.writeSync(out, chunk);
  fs.closeSync(out);
}

/** The file name for a size and kind, so the two kinds never mix in bench/out. */
export function contactsFileName(rows, kind = process.env.BENCH_DATA ?? 'realistic') {
  return kind === 'easy' ? `contacts-easy-${rows}.csv` : `contacts-real-${rows}.csv`;
}
