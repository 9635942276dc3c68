import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli, scratchDir } from '../helpers/cli.js';

// Ctrl-C in the middle of an import: the open batch is rolled back, every committed batch is
// whole, the run is recorded as interrupted, and the exit code is 130.

const scratch = scratchDir();
const cwd = scratch.dir;
const home = ['--home', path.join(cwd, 'home')];
afterAll(() => scratch.cleanup());

function count(db: string, sql: string): number {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (conn.prepare(sql).get() as { n: number }).n;
  } finally {
    conn.close();
  }
}

function tryCount(db: string, sql: string): number {
  try {
    return count(db, sql);
  } catch {
    return 0;
  }
}

describe('SIGINT during import', () => {
  it('rolls back the open batch, records the run as interrupted, exits 130', async () => {
    const rows = 60_000;
    const csv = path.join(cwd, 'many.csv');
    const lines = ['Email,First Name'];
    for (let i = 1; i <= rows; i++) lines.push(`person${i}@example.com,Person ${i}`);
    fs.writeFileSync(csv, `${lines.join('\n')}\n`);
    const analyzed = await runCli(['analyze', csv, '--json', ...home], { cwd, env: { MAX_ROWS_ALLOWED: String(rows) } });
    const fileId = analyzed.json().fileId;
    await runCli(['map', '--file-id', fileId, '--auto', ...home], { cwd });

    const db = path.join(cwd, 'interrupted.db');
    const child = spawn(process.execPath, [BIN, 'import', '--file-id', fileId, '--database', `sqlite:${db}`, '--batch-size', '100', ...home], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

    // Interrupt once some batches are committed.
    const deadline = Date.now() + 20_000;
    for (;;) {
      // The file exists a moment before its tables do: "no such table" just means not yet.
      if (fs.existsSync(db) && tryCount(db, 'SELECT count(*) AS n FROM contacts') >= 500) break;
      if (Date.now() > deadline) throw new Error(`import never got going: ${stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/interrupted/);

    const stored = count(db, 'SELECT count(*) AS n FROM contacts');
    expect(stored).toBeGreaterThanOrEqual(500);
    expect(stored).toBeLessThan(rows);
    expect(stored % 100).toBe(0);
    const conn = new Database(db, { readonly: true });
    const run = conn.prepare('SELECT status, imported FROM contact_imports').get() as { status: string; imported: number };
    conn.close();
    expect(run).toEqual({ status: 'interrupted', imported: stored });
  });
});
