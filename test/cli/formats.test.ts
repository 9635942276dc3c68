import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, scratchDir } from '../helpers/cli.js';

const scratch = scratchDir();
const cwd = scratch.dir;
afterAll(() => scratch.cleanup());
let n = 0;
const freshHome = () => ['--home', path.join(cwd, `home-${++n}`)];

describe('formats through the whole pipeline', () => {
  it('XLSX: sheet by name, numbers keep their digits', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['Notes only']]), 'Cover');
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ['E-mail', 'Given Name', 'Surname', 'Mobile Phone', 'Postal Code'],
        ['kim@example.com', 'Kim', 'Lee', 2125554567, '02134'],
        ['lee@example.com', 'Lee', 'Kim', null, null],
      ]),
      'Leads',
    );
    const file = path.join(cwd, 'leads.xlsx');
    fs.writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }));
    const home = freshHome();
    const analyzed = await runCli(['analyze', file, '--sheet', 'Leads', '--json', ...home], { cwd });
    expect(analyzed.code, analyzed.stderr).toBe(0);
    expect(analyzed.json()).toMatchObject({ totalRows: 2, validRows: 2, format: { type: 'xlsx', sheet: 'Leads' } });
    expect(analyzed.json().suggestedMapping).toEqual({ 'E-mail': 'email', 'Given Name': 'firstName', Surname: 'lastName', 'Mobile Phone': 'phone', 'Postal Code': 'zipCode' });
    const fileId = analyzed.json().fileId;
    await runCli(['map', '--file-id', fileId, '--auto', ...home], { cwd });
    const db = path.join(cwd, 'xlsx.db');
    const imported = await runCli(['import', '--file-id', fileId, '--database', `sqlite:${db}`, '--json', ...home], { cwd });
    expect(imported.json()).toMatchObject({ imported: 2 });
    const kim = new Database(db, { readonly: true }).prepare("SELECT * FROM contacts WHERE email='kim@example.com'").get() as any;
    expect(kim).toMatchObject({ phone: '+12125554567', zip_code: '02134', last_name: 'Lee' });
  });

  it('semicolon-separated (European Excel) with decimal commas', async () => {
    const analyzed = await runCli(['analyze', path.join(FIXTURES, 'semicolon-de.csv'), '--json', ...freshHome()], { cwd });
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const summary = analyzed.json();
    expect(summary.format.delimiter).toBe(';');
    expect(summary.columns).toEqual(['E-mail', 'Vorname', 'Nachname', 'Telefon', 'Firma', 'Umsatz']);
    expect(summary.columnSummary.Umsatz.samples).toEqual(['3,5', '12,75']);
  });

  it('hostile header names stay plain columns', async () => {
    const home = freshHome();
    const analyzed = await runCli(['analyze', path.join(FIXTURES, 'hostile-headers.csv'), '--json', ...home], { cwd });
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const summary = analyzed.json();
    expect(summary.columns).toEqual(['Email', 'First Name', '__proto__', 'constructor']);
    expect(summary.columnSummary['__proto__']).toMatchObject({ filled: 1, samples: ['polluted'] });
    const mapped = await runCli(['map', '--file-id', summary.fileId, '--auto', '--set', '__proto__=notes', '--json', ...home], { cwd });
    expect(mapped.code, mapped.stderr).toBe(0);
    expect(Object.entries(mapped.json().mapping)).toEqual([['Email', 'email'], ['First Name', 'firstName'], ['__proto__', 'notes']]);
    const page = await runCli(['preview', '--file-id', summary.fileId, '--json', ...home], { cwd });
    expect(page.json().rows[0]).toMatchObject({ email: 'x@example.com', notes: 'polluted' });
  });

  it('a header-only file analyzes to zero rows with a warning', async () => {
    const result = await runCli(['analyze', path.join(FIXTURES, 'header-only.csv'), ...freshHome()], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/0 rows/);
    expect(result.stderr).toMatch(/no data rows/);
  });
});
