// Every real-world fixture (fixtures/make-fixtures.mjs) through the built CLI, as a user runs
// it: the right rows with byte-exact values, a report naming the row and reason, or a
// rejection (exit 2, one clear line, nothing stored, the session marked "error").

import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runCli, scratchDir } from '../helpers/cli.js';

const REAL_WORLD = path.join(FIXTURES, 'real-world');
const scratch = scratchDir('real-world-');
afterAll(() => scratch.cleanup());

interface Importable {
  file: string;
  /** analyze --json: fields of the summary (format is matched partially). */
  analyze: { totalRows: number; validRows: number; columns?: string[]; format?: Record<string, unknown> };
  /** A pattern for each warning analyze reports, in order (none when left out). */
  warnings?: RegExp[];
  /** columnSummary[column].samples */
  samples?: Record<string, string[]>;
  imported: number;
  /** A pattern for each row error run reports, in order. */
  errors?: RegExp[];
  /** Rows expected in the contacts table, by email: exact column values (null = empty). */
  stored?: Array<Record<string, string | null>>;
  /** Emails that must not be stored. */
  absent?: string[];
}

interface Rejected {
  file: string;
  pattern: RegExp;
  /** Refused by upload already (no session at all). */
  atUpload?: boolean;
}

const IMPORTABLE: Importable[] = [
  {
    file: 'utf8-bom.csv',
    analyze: { totalRows: 2, validRows: 2, columns: ['Email', 'First Name', 'Last Name', 'City'], format: { type: 'csv', encoding: 'utf-8', delimiter: ',' } },
    imported: 2,
    stored: [
      { email: 'zoe@example.com', first_name: 'Zoë', last_name: 'Ström', city: 'Zürich' },
      { email: 'li@example.com', first_name: '李', last_name: '王', city: '北京' },
    ],
  },
  {
    file: 'utf16le-tab.txt',
    analyze: { totalRows: 2, validRows: 2, format: { encoding: 'utf-16le', delimiter: '\t' } },
    imported: 2,
    stored: [
      { email: 'emilie@example.com', first_name: 'Émilie', last_name: "O'Brien", company: 'Café "Le Monde"' },
      { email: 'kenji@example.com', first_name: '健二', last_name: '佐藤', company: '株式会社テスト' },
    ],
  },
  {
    file: 'utf16be.csv',
    analyze: { totalRows: 1, validRows: 1, format: { encoding: 'utf-16be', delimiter: ',' } },
    imported: 1,
    stored: [{ email: 'sven@example.com', last_name: 'Ørsted' }],
  },
  {
    file: 'windows-1252.csv',
    analyze: { totalRows: 2, validRows: 2, format: { encoding: 'windows-1252' } },
    imported: 2,
    stored: [
      { email: 'jose@example.com', first_name: 'José', last_name: 'Müller', notes: 'Paid €50 – thanks' },
      { email: 'anais@example.com', first_name: 'Anaïs', last_name: 'Lefèvre', notes: 'Œuvre' },
    ],
  },
  {
    file: 'semicolon-european.csv',
    analyze: { totalRows: 2, validRows: 2, columns: ['E-Mail', 'Vorname', 'Nachname', 'Umsatz'], format: { delimiter: ';' } },
    samples: { Umsatz: ['3,5', '12,75'] },
    imported: 2,
    stored: [{ email: 'anna@example.de', first_name: 'Anna', last_name: 'Schäfer' }],
  },
  {
    file: 'sep-line.csv',
    analyze: { totalRows: 1, validRows: 1, columns: ['Email', 'First Name', 'Company'], format: { delimiter: ';' } },
    imported: 1,
    stored: [{ email: 'ann@example.com', company: 'Acme, Inc.' }],
  },
  {
    file: 'tab.tsv',
    analyze: { totalRows: 2, validRows: 2, format: { delimiter: '\t' } },
    imported: 2,
    stored: [
      { email: 'ann@example.com', notes: 'likes, commas; and semicolons' },
      { email: 'bob@example.com', notes: null },
    ],
  },
  {
    file: 'pipe.csv',
    analyze: { totalRows: 2, validRows: 2, format: { delimiter: '|' } },
    imported: 2,
    stored: [
      { email: 'ann@example.com', notes: 'a, b; c' },
      { email: 'bob@example.com', notes: 'tab\there' },
    ],
  },
  ...['crlf.csv', 'lone-cr.csv'].map((file) => ({
    file,
    analyze: { totalRows: 2, validRows: 2 },
    imported: 2,
    stored: [
      { email: 'ann@example.com', last_name: 'Lee' },
      { email: 'bob@example.com', last_name: 'Ray' },
    ],
  })),
  {
    file: 'mixed-endings.csv',
    analyze: { totalRows: 3, validRows: 3 },
    imported: 3,
    stored: [
      { email: 'ann@example.com', last_name: 'Lee' },
      { email: 'bob@example.com', last_name: 'Ray' },
      { email: 'cy@example.com', last_name: 'Park' },
    ],
  },
  {
    file: 'quoted-newlines.csv',
    analyze: { totalRows: 3, validRows: 3 },
    imported: 3,
    stored: [
      { email: 'ann@example.com', notes: 'Line one\r\nLine two' },
      { email: 'bob@example.com', notes: 'She said "hi"\nand left' },
      { email: 'cy@example.com', notes: 'plain' },
    ],
  },
  {
    file: 'space-before-quote.csv',
    analyze: { totalRows: 2, validRows: 2, columns: ['Email', 'First Name', 'Company'] },
    imported: 2,
    stored: [
      { email: 'ann@example.com', first_name: 'Ann', company: 'Acme, Inc.' },
      { email: 'bob@example.com', company: 'Smith & Sons' },
    ],
  },
  {
    file: 'stray-quote.csv',
    analyze: { totalRows: 2, validRows: 2 },
    imported: 2,
    stored: [
      { email: 'ann@example.com', notes: '27" monitor' },
      { email: 'bob@example.com', first_name: 'Bob "Bobby"' },
    ],
  },
  {
    file: 'ragged.csv',
    analyze: { totalRows: 4, validRows: 2 },
    imported: 2,
    errors: [/^row has 4 fields but the header has 3$/, /^row has 2 fields but the header has 3$/],
    stored: [
      { email: 'ann@example.com', last_name: 'Lee' },
      { email: 'dee@example.com', last_name: 'Fox' },
    ],
    absent: ['bob@example.com', 'cy@example.com'],
  },
  {
    file: 'blank-lines.csv',
    analyze: { totalRows: 2, validRows: 2, columns: ['Email', 'First Name'] },
    imported: 2,
    stored: [{ email: 'bob@example.com', first_name: 'Bob' }],
  },
  {
    file: 'duplicate-headers.csv',
    analyze: { totalRows: 1, validRows: 1, columns: ['Email', 'Phone', 'Phone (2)', 'First Name'] },
    imported: 1,
    stored: [{ email: 'ann@example.com', phone: '+12125554567' }],
  },
  {
    file: 'empty-headers.csv',
    analyze: { totalRows: 2, validRows: 2, columns: ['Email', 'Column 2', 'First Name', 'Column 4'] },
    imported: 2,
    stored: [{ email: 'ann@example.com', first_name: 'Ann' }],
  },
  {
    file: 'proto-headers.csv',
    analyze: { totalRows: 1, validRows: 1, columns: ['__proto__', 'constructor', 'Email', 'First Name', 'toString'] },
    imported: 1,
    stored: [{ email: 'ann@example.com', first_name: 'Ann' }],
  },
  {
    file: 'header-only.csv',
    analyze: { totalRows: 0, validRows: 0, columns: ['Email', 'First Name', 'Last Name'] },
    warnings: [/no data rows/],
    imported: 0,
  },
  {
    file: 'preamble.csv',
    analyze: { totalRows: 2, validRows: 2, columns: ['Email', 'First Name', 'Last Name', 'Company'], format: { headerRow: 4 } },
    warnings: [/^skipped 2 lines above the header row \(line 4\): "Contacts export", "Generated 2024-01-01 by ExampleCRM"; pass --header-row/],
    imported: 2,
    stored: [
      { email: 'ann@example.com', company: 'Acme' },
      { email: 'bob@example.com', company: 'Initech' },
    ],
  },
  {
    file: 'control-chars.csv',
    analyze: { totalRows: 3, validRows: 2 },
    warnings: [/^removed 5 invisible control characters or escape sequences \(U\+0007, U\+000B, U\+000C, U\+001B\) from the values on lines 2, 3$/],
    imported: 2,
    errors: [/^First Name contains a NUL character$/],
    stored: [
      { email: 'ann@example.com', first_name: 'Ann', company: 'Acme', notes: 'one\ntwo' },
      { email: 'bob@example.com', company: 'Initech' },
    ],
    absent: ['nul@example.com'],
  },
  {
    file: 'invalid-utf8.csv',
    analyze: { totalRows: 4, validRows: 3, format: { encoding: 'utf-8' } },
    warnings: [/^1 row has invalid UTF-8 \(line 4\)/],
    imported: 3,
    errors: [/^invalid UTF-8 at byte 106 \(0xE9\)/],
    stored: [
      { email: 'zoe@example.com', first_name: 'Zoë', last_name: 'Ström' },
      { email: 'jose@example.com', first_name: 'José', last_name: 'Núñez' },
      { email: 'ines@example.com', first_name: 'Inês', last_name: 'Gonçalves' },
    ],
    absent: ['rene@example.com'],
  },
  {
    file: 'csv-as-xlsx.xlsx',
    analyze: { totalRows: 2, validRows: 2, format: { type: 'csv' } },
    imported: 2,
  },
  {
    file: 'contacts.xlsx',
    analyze: {
      totalRows: 3,
      validRows: 3,
      columns: ['Email', 'First Name', 'Last Name', 'Phone', 'Zip', 'Birthday', 'Score', 'Total', 'Company'],
      format: { type: 'xlsx', sheet: 'Contacts' },
    },
    samples: { Birthday: ['1990-04-17', '2000-01-01'], Score: ['3.25', '0.5'], Total: ['6.5', '1'], Zip: ['02134', '00501'] },
    // The #N/A error cell in Phone is an empty phone (a warning), not a reason to lose Cy.
    imported: 3,
    stored: [
      // The merged company cell (I2:I3) has its value in the top-left cell only.
      { email: 'ann@example.com', phone: '+12125554567', zip_code: '02134', company: 'Acme' },
      { email: 'bob@example.com', phone: '+12125554568', zip_code: '00501', company: null },
      { email: 'cy@example.com', phone: null },
    ],
  },
  {
    file: 'contacts.xls',
    analyze: { totalRows: 2, validRows: 2, format: { type: 'xls', sheet: 'Contacts' } },
    imported: 2,
    stored: [{ email: 'ann@example.com', phone: '+12125554567', zip_code: '02134' }],
  },
  {
    file: 'xlsx-huge-dimension.xlsx',
    analyze: { totalRows: 2, validRows: 2, columns: ['Email', 'First Name'] },
    imported: 2,
  },
  {
    file: 'google-contacts.csv',
    // Bob's " ::: " cells (two emails in two columns, two phones in one): the first valid value is taken.
    analyze: { totalRows: 3, validRows: 3 },
    imported: 3,
    stored: [
      {
        email: 'ann.lee@example.com',
        first_name: 'Ann',
        last_name: 'Lee',
        company: 'Acme',
        title: 'CTO',
        phone: '+12125554567',
        address: '1 Main St',
        city: 'Springfield',
        state: 'IL',
        zip_code: '62701',
        country: 'US',
      },
      { email: 'zoe@example.com', first_name: 'Zoë', phone: '+46812345678', zip_code: '111 22', country: 'SE' },
      { email: 'bob@example.com', first_name: 'Bob', phone: '+12125556543' },
    ],
  },
  {
    file: 'outlook.csv',
    analyze: { totalRows: 2, validRows: 2, format: { encoding: 'windows-1252', delimiter: ',' } },
    imported: 2,
    stored: [
      {
        email: 'francois@example.fr',
        first_name: 'François',
        company: 'Société Générale',
        title: 'Directeur',
        // A national French number, read in the row's country ("France").
        phone: '+33142685300',
        notes: 'Préfère le téléphone',
        country: 'France',
      },
      { email: 'grace@example.com', first_name: 'Grace', title: 'Rear Admiral', phone: '+12125554321;ext=12' },
    ],
  },
  {
    file: 'hubspot-international.csv',
    analyze: { totalRows: 9, validRows: 6, format: { delimiter: ',' } },
    imported: 6,
    errors: [
      /^Phone "555-0100" is not a valid phone number for US \(the row's country "United States"\)$/,
      /^Phone "1-800-FLOWERS" is not a valid phone number for US \(the row's country "USA"\)$/,
      /^Email "liam\u200b\.wilson@example\.com" contains an invisible character U\+200B at position 5 \(liam\[U\+200B\]\.wilson@example\.com\); retype the address$/,
    ],
    stored: [
      // Each national number read in its row's country: a name, a local name, an alpha-3 code.
      { email: 'jonas.becker@example.de', phone: '+49301234567', country: 'Germany' },
      { email: 'camille.martin@example.fr', phone: '+33142685300' },
      { email: 'lena.fischer@example.at', phone: '+43158800', company: null, country: 'Österreich' },
      { email: 'oliver.smith@example.co.uk', phone: '+442079460958', country: 'GBR' },
      { email: 'mia.jones@example.com', phone: '+12125550147', country: null },
      { email: 'sofia.rossi@example.it', phone: '+390669821234' },
    ],
    absent: ['noah.brown@example.com', 'emma.davis@example.com', 'liam.wilson@example.com'],
  },
  ...['salesforce-week1.csv', 'salesforce-week2.csv', 'salesforce-week3.csv'].map((file): Importable => ({
    file,
    analyze: { totalRows: 2, validRows: 2 },
    imported: 2,
    stored: [
      { email: 'ada@example.co.uk', first_name: 'Ada', title: 'Analyst', company: 'Engines Ltd', phone: '+442079460018', city: 'London' },
      { email: 'grace@example.com', title: 'Rear Admiral', phone: '+12025550143', country: 'United States' },
    ],
  })),
  {
    file: 'slack-members.csv',
    analyze: { totalRows: 5, validRows: 5 },
    imported: 5,
    stored: [
      { email: 'mary.cruz@example.com', first_name: 'Mary Ann', last_name: 'de la Cruz' },
      { email: 'ludwig@example.de', first_name: 'Ludwig', last_name: 'van der Rohe' },
      { email: 'martin@example.com', first_name: 'Martin Luther', last_name: 'King Jr.' },
      { email: 'henry@example.com', first_name: 'Henry', last_name: 'Ford' },
      { email: 'cher@example.com', first_name: 'Cher', last_name: null },
    ],
  },
  {
    // Its own rejected-rows file, fixed and imported again: the ' guard comes off, _-columns stay out.
    file: 'rejected-rows-fixed.csv',
    analyze: { totalRows: 3, validRows: 3, columns: ['Email Address', 'First Name', 'Last Name', 'Phone Number', 'Company Name', 'Notes', '_row', '_field', '_reason'] },
    warnings: [/^a rejected-rows file of this tool: the ' formula guard was taken off its cells, and its _row, _field and _reason columns are not imported$/],
    imported: 3,
    stored: [
      { email: 'chen.wei@example.cn', first_name: '伟', phone: '+861065529988', company: '字节跳动', notes: null },
      // The values the original file had, formula characters and all (the database stores them verbatim).
      { email: 'dana.white@example.com', phone: '+12125550100', company: '=Acme', notes: '-VIP' },
      { email: 'zoe@example.com', first_name: 'Zoe', notes: 'no first name' },
    ],
  },
  {
    // Home and Work blocks: the filled one (Work) is mapped, not the leftmost (Home).
    file: 'thunderbird.csv',
    analyze: { totalRows: 2, validRows: 2 },
    imported: 2,
    stored: [
      { email: 'ann@example.com', address: '1 Main St', city: 'Springfield', state: 'IL', zip_code: '62701', country: 'USA', company: 'Acme', title: 'CTO' },
      { email: 'bob@example.com', city: 'San Francisco', phone: '+14155550132' },
    ],
  },
];

const REJECTED: Rejected[] = [
  { file: 'unterminated-quote.csv', pattern: /has a quoted field that is never closed \(line 2\)/ },
  { file: 'empty.csv', pattern: /empty\.csv is empty/, atUpload: true },
  { file: 'bom-only.csv', pattern: /bom-only\.csv has no header row/ },
  { file: 'png-as-csv.csv', pattern: /is not a spreadsheet \(looks like a PNG image\)/, atUpload: true },
  { file: 'pdf-as-csv.csv', pattern: /is not a spreadsheet \(looks like a PDF document\)/, atUpload: true },
  { file: 'zip-as-csv.csv', pattern: /is not a spreadsheet \(looks like a ZIP archive\)/ },
  { file: 'xlsx-truncated.xlsx', pattern: /could not be read as XLSX: it is truncated or damaged/ },
  { file: 'xlsx-xxe.xlsx', pattern: /could not be read as XLSX: its part xl\/worksheets\/sheet1\.xml declares a DTD or XML entities/ },
  { file: 'xlsx-zip-bomb.xlsx', pattern: /could not be read as XLSX: its part xl\/worksheets\/sheet1\.xml would inflate 159-fold .*zip bomb/ },
];

let n = 0;
const fresh = (name: string) => {
  const dir = path.join(scratch.dir, `${++n}-${name}`);
  fs.mkdirSync(dir);
  return { dir, home: ['--home', path.join(dir, 'home')], db: path.join(dir, 'contacts.db') };
};
const uploadsIn = (home: string[]): string[] => {
  const folder = path.join(home[1]!, 'uploads');
  return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
};
const fixture = (file: string) => path.join(REAL_WORLD, file);
// Each case spawns the CLI two to five times; on a busy two-core machine that takes a while.
const SLOW = { timeout: 120_000 };

describe('the fixtures', () => {
  it('are what the generator writes, byte for byte', () => {
    const out = path.join(scratch.dir, 'generated');
    execFileSync(process.execPath, [path.join(ROOT, 'fixtures', 'make-fixtures.mjs'), '--out', out]);
    const generated = fs.readdirSync(out).sort();
    expect(fs.readdirSync(REAL_WORLD).sort()).toEqual(generated);
    for (const name of generated) {
      expect(fs.readFileSync(path.join(out, name)).equals(fs.readFileSync(fixture(name))), name).toBe(true);
    }
  });

  it('are all covered by this test', () => {
    const covered = [...IMPORTABLE, ...REJECTED].map((c) => c.file).sort();
    expect(fs.readdirSync(REAL_WORLD).sort()).toEqual(covered);
  });
});

describe.concurrent('real-world files that import', () => {
  it.each(IMPORTABLE.map((c) => [c.file, c] as const))('%s', SLOW, async (_name, c) => {
    const { dir, home, db } = fresh(c.file);
    const analyzed = await runCli(['analyze', fixture(c.file), '--json', ...home], { cwd: dir });
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const summary = analyzed.json();
    expect(summary).toMatchObject({ ...c.analyze, format: expect.objectContaining(c.analyze.format ?? {}) });
    expect(summary.invalidRows).toBe(c.analyze.totalRows - c.analyze.validRows);
    const warnings: string[] = summary.warnings ?? [];
    expect(warnings).toHaveLength(c.warnings?.length ?? 0);
    for (const [i, pattern] of (c.warnings ?? []).entries()) expect(warnings[i]).toMatch(pattern);
    for (const [column, samples] of Object.entries(c.samples ?? {})) {
      expect(summary.columnSummary[column].samples).toEqual(samples);
    }

    const ran = await runCli(['run', fixture(c.file), '--auto', '--database', `sqlite:${db}`, '--json', ...home], { cwd: dir });
    expect(ran.code, ran.stderr).toBe(0);
    const result = ran.json();
    expect(result).toMatchObject({ imported: c.imported, invalid: c.analyze.totalRows - c.analyze.validRows });
    expect(result.errors).toHaveLength(c.errors?.length ?? 0);
    for (const [i, pattern] of (c.errors ?? []).entries()) expect(result.errors[i].message).toMatch(pattern);

    const contacts = new Database(db, { readonly: true });
    try {
      const count = contacts.prepare('SELECT count(*) AS n FROM contacts').get() as { n: number };
      expect(count.n).toBe(c.imported);
      for (const expected of c.stored ?? []) {
        const row = contacts.prepare('SELECT * FROM contacts WHERE email = ?').get(expected.email);
        expect(row, expected.email!).toMatchObject(expected);
      }
      for (const email of c.absent ?? []) {
        expect(contacts.prepare('SELECT 1 FROM contacts WHERE email = ?').get(email), email).toBeUndefined();
      }
    } finally {
      contacts.close();
    }
  });
});

describe.concurrent('real-world files that are refused', () => {
  it.each(REJECTED.map((c) => [c.file, c] as const))('%s', SLOW, async (_name, c) => {
    const { dir, home, db } = fresh(c.file);
    const expectRefusal = (result: { code: number | null; stderr: string }) => {
      expect(result.code, result.stderr).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(c.pattern);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    };

    // The one-step forms store nothing when the file is refused.
    expectRefusal(await runCli(['analyze', fixture(c.file), ...home], { cwd: dir }));
    expect(uploadsIn(home)).toEqual([]);
    expectRefusal(await runCli(['run', fixture(c.file), '--auto', '--database', `sqlite:${db}`, ...home], { cwd: dir }));
    expect(uploadsIn(home)).toEqual([]);
    if (fs.existsSync(db)) {
      const contacts = new Database(db, { readonly: true });
      const count = contacts.prepare('SELECT count(*) AS n FROM contacts').get() as { n: number };
      contacts.close();
      expect(count.n).toBe(0);
    }

    // Uploaded first, the session says "error" rather than staying "analyzing".
    const uploaded = await runCli(['upload', fixture(c.file), '--json', ...home], { cwd: dir });
    if (c.atUpload) {
      expectRefusal(uploaded);
      expect(uploadsIn(home)).toEqual([]);
      return;
    }
    expect(uploaded.code, uploaded.stderr).toBe(0);
    const { fileId } = uploaded.json();
    expectRefusal(await runCli(['analyze', '--file-id', fileId, ...home], { cwd: dir }));
    const status = await runCli(['status', fileId, '--json', ...home], { cwd: dir });
    expect(status.json()).toMatchObject({ status: 'error', message: expect.stringMatching(c.pattern) });
  });
});
