// A record over the record-size limit is one rejected row with its reason; the rest of the
// file imports, and --max-record-size raises the limit (issue 13).

import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../helpers/cli.js';

const scratch = scratchDir();
const cwd = scratch.dir;
afterAll(() => scratch.cleanup());

/** 40 contacts, the 21st with a 3 MB note holding a line break and escaped quotes. */
function bigFile(): string {
  const rows = ['Email,First Name,Notes'];
  for (let i = 0; i < 20; i++) rows.push(`u${i}@example.com,U${i},note ${i}`);
  rows.push(`big@example.com,Big,"${'x'.repeat(3_000_000)}\n""quoted"", more"`);
  for (let i = 20; i < 39; i++) rows.push(`u${i}@example.com,U${i},note ${i}`);
  const file = path.join(cwd, 'big-note.csv');
  fs.writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

const count = (db: string): number =>
  (new Database(db, { readonly: true }).prepare('SELECT COUNT(*) AS n FROM contacts').get() as { n: number }).n;

describe('the record-size limit', () => {
  it('rejects the one large record with its reason and imports the rest; --max-record-size 8MB imports it', async () => {
    const file = bigFile();
    const db = path.join(cwd, 'a.db');
    const rejected = path.join(cwd, 'rejected.csv');
    const run = await runCli(['run', file, '--auto', '--database', `sqlite:${db}`, '--errors-out', rejected, '--json', '--home', path.join(cwd, 'h1')], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ totalRows: 40, imported: 39, invalid: 1 });
    expect(count(db)).toBe(39);
    const report = fs.readFileSync(rejected, 'utf8').split('\n');
    expect(report[0]).toBe('Email,First Name,Notes,_row,_field,_reason');
    expect(report[1]).toMatch(/^,,,21,.*record is larger than the 1 MiB limit \(maxRecordSize\)/);

    const raised = path.join(cwd, 'b.db');
    const again = await runCli(['run', file, '--auto', '--database', `sqlite:${raised}`, '--max-record-size', '8MB', '--json', '--home', path.join(cwd, 'h2')], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ imported: 40, invalid: 0 });
    const big = new Database(raised, { readonly: true }).prepare("SELECT notes FROM contacts WHERE email='big@example.com'").get() as { notes: string };
    expect(big.notes.length).toBe(3_000_000 + '\n"quoted", more'.length);
  });

  it('takes --max-record-size on analyze, preview and import too', async () => {
    const file = bigFile();
    const home = ['--home', path.join(cwd, 'h3')];
    const analyzed = await runCli(['analyze', file, '--max-record-size', '4MB', '--json', ...home], { cwd });
    expect(analyzed.code, analyzed.stderr).toBe(0);
    expect(analyzed.json()).toMatchObject({ totalRows: 40, validRows: 40 });
    const fileId = analyzed.json().fileId as string;
    expect((await runCli(['map', '--file-id', fileId, '--auto', ...home], { cwd })).code).toBe(0);
    const preview = await runCli(['preview', '--file-id', fileId, '--invalid-only', '--max-record-size', '512KB', '--json', ...home], { cwd });
    expect(preview.code, preview.stderr).toBe(0);
    expect(JSON.stringify(preview.json())).toContain('record is larger than the 512 KiB limit (maxRecordSize)');
    const db = path.join(cwd, 'c.db');
    const imported = await runCli(['import', '--file-id', fileId, '--database', `sqlite:${db}`, '--max-record-size', '3145728', '--json', ...home], { cwd });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.json()).toMatchObject({ imported: 40 });
    const bad = await runCli(['analyze', file, '--max-record-size', 'huge', ...home], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-record-size');
    const queued = await runCli(['run', file, '--auto', '--queue', '--max-record-size', '2MB', ...home], { cwd });
    expect(queued.code).toBe(2);
    expect(queued.stderr).toContain('--max-record-size cannot be sent with --queue');
  });
});
