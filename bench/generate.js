// Deterministic realistic contacts: unicode names, quoted commas and newlines, ~3% invalid
// emails, ~2% duplicates, 12 columns. Same seed, same bytes.
import fs from 'node:fs';

const FIRST = ['Ana', 'Bob', 'Chloé', 'Dmitri', 'Émilie', 'Farah', 'Giulia', 'Hiroshi', 'Ingrid', 'José', 'Kwame', 'Łukasz', 'Mei', 'Nuno', 'Olga', 'Priya', 'Søren', 'Tomás', 'Uwe', 'Zoë', '伟', 'Иван'];
const LAST = ['García', 'Smith', 'Müller', "O'Brien", 'Nguyen', 'Kowalski', 'Rossi', 'Yamamoto', 'Dubois', 'Ivanova', 'Okafor', 'Þórsson', '陈'];
const COMPANIES = ['Acme, Inc.', 'Globex', 'Initech', 'Umbrella "Corp"', 'Stark Industries', 'Wayne Enterprises', 'Müller & Söhne GmbH'];
const CITIES = ['Springfield', 'Berlin', 'São Paulo', 'Tokyo', 'Paris', 'Lagos', 'Kraków'];
export const HEADER = ['Email Address', 'First Name', 'Last Name', 'Phone Number', 'Company Name', 'Job Title', 'Street Address', 'City', 'State', 'Country', 'Zip', 'Notes'];

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296);
}

/** The data rows, as arrays of 12 strings. */
export function* contactRows(rows, seed = 42) {
  const random = rng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  for (let i = 1; i <= rows; i++) {
    const r = random();
    let email = `user${i}@example${i % 97}.com`;
    if (r < 0.03) email = `user${i}-at-example.com`;
    else if (r < 0.05 && i > 10) email = `user${i - 7}@example${(i - 7) % 97}.com`;
    const phone = `(${200 + (i % 700)}) 555-${String(1000 + (i % 9000)).padStart(4, '0')}`;
    const notes = random() < 0.05 ? `Met at the fair\nfollow up in Q${1 + (i % 4)}` : random() < 0.5 ? '' : `customer since ${2000 + (i % 25)}`;
    yield [email, pick(FIRST), pick(LAST), phone, pick(COMPANIES), 'Manager', `${i} Main St, Apt ${i % 50}`, pick(CITIES), 'CA', 'US', String(10000 + (i % 89999)).padStart(5, '0'), notes];
  }
}

function csvCell(value) {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function generateContacts(file, rows, seed = 42) {
  const out = fs.openSync(file, 'w');
  let chunk = `${HEADER.join(',')}\n`;
  for (const row of contactRows(rows, seed)) {
    chunk += `${row.map(csvCell).join(',')}\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(out, chunk);
      chunk = '';
    }
  }
  fs.writeSync(out, chunk);
  fs.closeSync(out);
}
