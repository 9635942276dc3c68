import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, scratchDir } from '../helpers/cli.js';
import {
  CONTACTS_ANALYSIS,
  CONTACTS_COLUMN_SUMMARY,
  CONTACTS_COLUMNS,
  CONTACTS_ERROR_ROWS,
  CONTACTS_IMPORT_RESULT,
  CONTACTS_IMPORTED_EMAILS,
  CONTACTS_INVALID_ROWS,
  CONTACTS_MAP_RESULT,
} from '../helpers/contacts-expectations.js';
import { deleteKeys, rawClient, REDIS_URL, uniquePrefix } from '../helpers/redis.js';

// The five steps, as a newcomer runs them from the README, on a realistic CSV: quoted commas
// and newlines, unicode, an invalid email, a missing first name, an impossible phone, and a
// duplicate (row 6 repeats row 1's email in other case). Run with state in local files and
// with state in Redis: the output must be the same.

const redisPrefix = uniquePrefix('pipeline');
const stateKinds: Array<[string, Record<string, string | undefined>]> = [
  ['file', { REDIS_URL: undefined }],
  ['redis', { REDIS_URL, REDIS_PREFIX: redisPrefix }],
];

afterAll(async () => {
  const client = rawClient();
  await deleteKeys(client, redisPrefix);
  await client.quit();
});

describe.each(stateKinds)('upload → analyze → map → preview → import (%s state)', (kind, env) => {
  const scratch = scratchDir();
  const cwd = scratch.dir;
  const home = ['--home', path.join(cwd, 'home')];
  let fileId = '';
  const cli = (args: string[]) => runCli(args, { cwd, env });

  beforeAll(async () => {
    const upload = await cli(['upload', path.join(FIXTURES, 'contacts.csv'), '--json', ...home]);
    expect(upload.code, upload.stderr).toBe(0);
    fileId = upload.json().fileId;
  });
  afterAll(() => scratch.cleanup());

  it('upload stored the file under the home folder', async () => {
    expect(fileId).toMatch(/^file_[0-9a-f-]{36}$/);
    const uploads = fs.readdirSync(path.join(cwd, 'home', 'uploads'));
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatch(/^\d+-[a-z0-9]+-contacts\.csv$/);
    expect(fs.readFileSync(path.join(cwd, 'home', 'uploads', uploads[0]))).toEqual(fs.readFileSync(path.join(FIXTURES, 'contacts.csv')));
  });

  it(`kept the upload record in ${kind} state`, async () => {
    const stateDir = path.join(cwd, 'home', 'state');
    const client = rawClient();
    const keys = await client.keys(`${redisPrefix}*${fileId}*`);
    await client.quit();
    if (kind === 'file') {
      expect(fs.readdirSync(stateDir)).toEqual([`upload%3A${fileId}.json`]);
      expect(keys).toEqual([]);
    } else {
      expect(fs.existsSync(stateDir)).toBe(false);
      expect(keys).toEqual([`${redisPrefix}upload:${fileId}`]);
    }
  });

  it('analyze profiles every column with exact counts', async () => {
    const result = await cli(['analyze', '--file-id', fileId, '--json', ...home]);
    expect(result.code, result.stderr).toBe(0);
    const summary = result.json();
    expect(summary).toMatchObject({ fileId, ...CONTACTS_ANALYSIS });
    expect(summary.sampleRows).toBeUndefined();
    expect(summary.columns).toEqual(CONTACTS_COLUMNS);
    expect(summary.suggestedMapping).toEqual(JSON.parse(fs.readFileSync(path.join(FIXTURES, 'mapping.json'), 'utf8')));
    expect(summary.columnSummary).toMatchObject(CONTACTS_COLUMN_SUMMARY);
    expect(summary.columnSummary['Zip'].samples).toContain('02134');
  });

  it('status reports the finished analysis', async () => {
    const result = await cli(['status', fileId, '--json', ...home]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json()).toMatchObject({ status: 'complete', progress: 100, processed: 12, summary: { totalRows: 12 } });
  });

  it('map --auto saves the suggested mapping and reports sample validity', async () => {
    const result = await cli(['map', '--file-id', fileId, '--auto', '--json', ...home]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json()).toMatchObject(CONTACTS_MAP_RESULT);
  });

  it('preview pages through mapped rows with reasons', async () => {
    const page = await cli(['preview', '--file-id', fileId, '--page-size', '5', '--page', '2', '--json', ...home]);
    expect(page.code, page.stderr).toBe(0);
    const body = page.json();
    expect(body).toMatchObject({ total: 12, page: 2, pageSize: 5 });
    expect(body.rows.map((r: any) => r._rowIndex)).toEqual([6, 7, 8, 9, 10]);
    expect(body.rows[0]).toMatchObject({ _isValid: true, _duplicateOf: 1, email: 'ana.garcia@example.com' });
    expect(body.rows[1]).toMatchObject({ _isValid: true, notes: 'Line one\nLine two', company: 'Müller & Söhne GmbH', phone: '+4930123456' });
    expect(body.rows[2]).toMatchObject({ _isValid: false, phone: '12' });
    expect(body.rows[2]._errors.join()).toMatch(/Phone/);

    const invalid = await cli(['preview', '--file-id', fileId, '--invalid-only', '--json', ...home]);
    const rows = invalid.json().rows;
    // Every row import rejects (4 of the sample): the invalid ones and the duplicate.
    expect(invalid.json().total).toBe(4);
    expect(rows.filter((r: any) => !r._isValid).map((r: any) => r._rowIndex)).toEqual(CONTACTS_INVALID_ROWS);
    expect(rows.filter((r: any) => r._duplicateOf).map((r: any) => r._rowIndex)).toEqual([6]);
    expect(rows[0]._errors.join()).toMatch(/Email/);
    expect(rows[1]._errors.join()).toMatch(/First Name/);
  });

  it('import writes the valid rows, normalized, and clears the session', async () => {
    const report = path.join(cwd, 'rejected.csv');
    const result = await cli(['import', '--file-id', fileId, '--errors-out', report, '--json', ...home]);
    expect(result.code, result.stderr).toBe(0);
    const body = result.json();
    expect(body).toMatchObject({ ...CONTACTS_IMPORT_RESULT, errorReport: report });
    expect(body.errors.map((e: any) => e.row)).toEqual(CONTACTS_ERROR_ROWS);

    const db = new Database(path.join(cwd, 'contacts.db'), { readonly: true });
    const contacts = db.prepare('SELECT * FROM contacts ORDER BY id').all() as any[];
    const run = db.prepare('SELECT * FROM contact_imports').get() as any;
    db.close();
    expect(contacts.map((c) => c.email)).toEqual(CONTACTS_IMPORTED_EMAILS);
    const byEmail = Object.fromEntries(contacts.map((c) => [c.email, c]));
    expect(byEmail['ana.garcia@example.com']).toMatchObject({ first_name: 'Ana', last_name: 'García', phone: '+12125554567', company: 'Acme, Inc.', zip_code: '28001', notes: null });
    expect(byEmail['bob@example.com']).toMatchObject({ title: 'Sales "Lead"', notes: 'Met at "Expo"', phone: '+12125554568' });
    expect(byEmail['chen.wei@example.cn']).toMatchObject({ first_name: '伟', last_name: '陈', company: '字节跳动', city: '北京', phone: '+861065529988' });
    expect(byEmail['emil@example.de'].notes).toBe('Line one\nLine two');
    expect(byEmail['grace@example.com']).toMatchObject({ phone: '+12125554569;ext=89', zip_code: '02134' });
    expect(byEmail['judy@example.com'].last_name).toBe('Trimmed');
    expect(run).toMatchObject({ id: body.importId, file_id: fileId, status: 'completed', total_rows: 12, imported: 8, skipped: 4, invalid: 3, duplicates: 1, excluded: 0 });

    const csv = fs.readFileSync(report, 'utf8');
    expect(csv.split('\n')[0]).toBe('Email Address,First Name,Last Name,Phone Number,Company Name,Job Title,City,Zip,Notes,_row,_field,_reason');
    expect(csv).toContain('not-an-email');
    expect(csv).toContain('duplicate of row 1');

    const again = await cli(['preview', '--file-id', fileId, ...home]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/unknown or expired fileId/);
  });

  it('left no state behind: session cleared, import lock released', async () => {
    const client = rawClient();
    const keys = await client.keys(`${redisPrefix}*${fileId}*`);
    await client.quit();
    expect(keys).toEqual([]);
    const stateDir = path.join(cwd, 'home', 'state');
    if (kind === 'file') expect(fs.readdirSync(stateDir)).toEqual([]);
  });
});
