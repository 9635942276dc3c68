// --on-invalid-value reject|blank on a HubSpot export (fixtures/real-world/hubspot-international.csv):
// with blank, a bad optional value (a fictional 555-0100, a vanity 1-800-FLOWERS) is left out
// and the contact imported, the value and reason listed in the rejected-values file; analyze and
// preview count rows under the chosen policy; a spreadsheet error cell is an empty value.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, scratchDir } from '../helpers/cli.js';
import { byRow, readResultsCsv } from '../helpers/import-runs.js';

const scratch = scratchDir('ci-value-policy-');
afterAll(() => scratch.cleanup());
const FILE = path.join(FIXTURES, 'real-world', 'hubspot-international.csv');
const SLOW = { timeout: 120_000 };
let n = 0;
const fresh = () => {
  const dir = path.join(scratch.dir, String(++n));
  fs.mkdirSync(dir);
  return { dir, home: ['--home', path.join(dir, 'home')], db: path.join(dir, 'contacts.db') };
};

describe.concurrent('--on-invalid-value', () => {
  it('blank: imports the contact without the bad value and reports it in the JSON and the rejected-values file', SLOW, async () => {
    const { dir, home, db } = fresh();
    const ran = await runCli(['run', FILE, '--auto', '--on-invalid-value', 'blank', '--database', `sqlite:${db}`, '--json', ...home], { cwd: dir });
    expect(ran.code, ran.stderr).toBe(0);
    const result = ran.json();
    expect(result).toMatchObject({ imported: 8, invalid: 1, blankedValues: 2 });
    expect(result.blanked).toEqual([
      { row: 6, field: 'phone', value: '555-0100', message: 'Phone "555-0100" is not a valid phone number for US (the row\'s country "United States")' },
      { row: 7, field: 'phone', value: '1-800-FLOWERS', message: 'Phone "1-800-FLOWERS" is not a valid phone number for US (the row\'s country "USA")' },
    ]);
    // The invisible character is in the email, which is required: the row is still rejected.
    expect(result.errors).toEqual([{ row: 8, message: expect.stringMatching(/^Email .* contains an invisible character U\+200B at position 5/) }]);
    // A CSV "#REF!" in a mapped column is read as empty, with a warning naming row and column.
    expect(result.warnings).toEqual(['row 3: Company: column "Company Name" holds the spreadsheet error #REF!, read as empty']);

    const contacts = new Database(db, { readonly: true });
    try {
      const get = (email: string) => contacts.prepare('SELECT * FROM contacts WHERE email = ?').get(email) as Record<string, unknown> | undefined;
      expect(get('noah.brown@example.com')).toMatchObject({ first_name: 'Noah', phone: null, company: 'Brown Inc' });
      expect(get('emma.davis@example.com')).toMatchObject({ phone: null, company: 'Davis Flowers' });
      expect(get('jonas.becker@example.de')).toMatchObject({ phone: '+49301234567' });
      expect(get('lena.fischer@example.at')).toMatchObject({ company: null, phone: '+43158800' });
    } finally {
      contacts.close();
    }

    const report = readResultsCsv(result.errorReport);
    expect(report.header.slice(-3)).toEqual(['_row', '_field', '_reason']);
    expect(byRow(report.records).map((r) => [r._row, r._field, r['Phone Number'], r._reason])).toEqual([
      ['6', 'phone', '555-0100', 'Phone "555-0100" is not a valid phone number for US (the row\'s country "United States"); imported without it (onInvalidValue blank)'],
      ['7', 'phone', '1-800-FLOWERS', 'Phone "1-800-FLOWERS" is not a valid phone number for US (the row\'s country "USA"); imported without it (onInvalidValue blank)'],
      ['8', 'email', '(415) 555-0132', expect.stringMatching(/^Email .* contains an invisible character U\+200B/)],
    ]);

    // People see the blanked values with the result (stdout), the spreadsheet errors as warnings (stderr).
    const human = fresh();
    const shown = await runCli(['run', FILE, '--auto', '--on-invalid-value', 'blank', '--database', `sqlite:${human.db}`, ...human.home], { cwd: human.dir });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/blanked\s+2 {2}\(bad optional values left out of imported contacts\)/);
    expect(shown.stdout).toContain('row 6: Phone "555-0100" is not a valid phone number for US');
    expect(shown.stderr).toContain('row 3: Company: column "Company Name" holds the spreadsheet error #REF!, read as empty');
  });

  it('analyze and preview count rows under the chosen policy', SLOW, async () => {
    const { dir, home } = fresh();
    const rejecting = await runCli(['analyze', FILE, '--json', ...home], { cwd: dir });
    expect(rejecting.json()).toMatchObject({ totalRows: 9, validRows: 6, invalidRows: 3 });
    const blanking = await runCli(['analyze', FILE, '--on-invalid-value', 'blank', '--json', ...home], { cwd: dir });
    expect(blanking.code, blanking.stderr).toBe(0);
    const { fileId } = blanking.json();
    expect(blanking.json()).toMatchObject({ totalRows: 9, validRows: 8, invalidRows: 1 });

    const invalidOnly = async (policy: string) =>
      (await runCli(['preview', '--file-id', fileId, '--invalid-only', '--on-invalid-value', policy, '--json', ...home], { cwd: dir })).json();
    expect((await invalidOnly('reject')).rows.map((r: { _rowIndex: number }) => r._rowIndex)).toEqual([6, 7, 8]);
    expect((await invalidOnly('blank')).rows.map((r: { _rowIndex: number }) => r._rowIndex)).toEqual([8]);

    const page = (await runCli(['preview', '--file-id', fileId, '--on-invalid-value', 'blank', '--json', ...home], { cwd: dir })).json();
    const noah = page.rows.find((r: { _rowIndex: number }) => r._rowIndex === 6);
    expect(noah).toMatchObject({ _isValid: true, _errors: [], phone: '', _warnings: [expect.stringMatching(/^Phone "555-0100" is not a valid .*: imported without it$/)] });
  });

  it('refuses a policy it does not know', async () => {
    const { dir, home } = fresh();
    const result = await runCli(['analyze', FILE, '--on-invalid-value', 'drop', ...home], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--on-invalid-value.*drop.*(reject|choices)/);
  });
});
