// The import writes one batch while it reads and checks the next: its results files still come
// out in the order a batch-at-a-time run writes them, and a batch that fails while rows are read
// on ends the run at the checkpoint before it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEngine } from '../../../src/db/sqlite/sqlite-engine.js';
import { analyze, history, importContacts, openContext, saveMapping, upload, type Context, type ImportOptions } from '../../../src/index.js';
import { rejectionOf } from '../../helpers/import-error.js';

const BATCH = 4;
const ROWS = 60;
let dir: string;
let ctx: Context;
/** How each write behaves: the default waits a little, so rows are read while it is in flight. */
let slowWrite: (call: number) => Promise<void>;
let calls: { rows: number[]; overlapping: boolean }[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-in-flight-'));
  calls = [];
  slowWrite = () => new Promise((resolve) => setTimeout(resolve, 15));
  let writing = 0;
  ctx = openContext({
    home: path.join(dir, 'home'),
    env: {},
    onInvalidValue: 'blank',
    database: (options) => {
      const engine = SqliteEngine.open(path.join(dir, 'contacts.db'), options);
      const write = engine.writeBatch.bind(engine);
      engine.writeBatch = async (batch, batchOptions, inside) => {
        calls.push({ rows: batch.map((b) => b.row), overlapping: writing > 0 });
        writing++;
        try {
          await slowWrite(calls.length);
          return await write(batch, batchOptions, inside);
        } finally {
          writing--;
        }
      };
      return engine;
    },
  });
});
afterEach(async () => {
  await ctx.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Row i's email: every 7th invalid, every 11th the email of row i - 5. */
function emailOf(i: number): string {
  return i % 11 === 0 ? `person${i - 5}@example.com` : i % 7 === 0 ? `broken-${i}` : `person${i}@example.com`;
}

/** Every 5th row has a bad phone (imported without it); seeded() puts every 3rd person in the table first. */
function contactsCsv(): string {
  const lines = ['Email,First Name,Phone'];
  for (let i = 1; i <= ROWS; i++) {
    const email = emailOf(i);
    lines.push(`${email},Name ${i},${i % 5 === 0 ? 'not a phone' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

async function prepared(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  const { fileId } = await upload(ctx, { path: file });
  const summary = await analyze(ctx, fileId);
  await saveMapping(ctx, fileId, summary.suggestedMapping);
  return fileId;
}

const SEEDED = Array.from({ length: ROWS / 3 }, (_, k) => `person${3 * (k + 1)}@example.com`);

async function seeded(): Promise<void> {
  const lines = ['Email,First Name', ...SEEDED.map((email) => `${email},Earlier`)];
  await importContacts(ctx, await prepared('seed.csv', `${lines.join('\n')}\n`), { batchSize: 1000 });
  calls = [];
}

/** The data rows of a results file, as its _row column gives them, in file order. */
function rowsOf(file: string): number[] {
  const [header, ...rows] = parse(fs.readFileSync(file, 'utf8')) as string[][];
  const at = header!.indexOf('_row');
  return rows.map((r) => Number(r[at]));
}

describe('a batch in flight', () => {
  it('keeps the results files in the order a batch-at-a-time import writes them', async () => {
    await seeded();
    const fileId = await prepared('contacts.csv', contactsCsv());
    const options: ImportOptions = { batchSize: BATCH, errorsOut: path.join(dir, 'rejected.csv'), importedOut: path.join(dir, 'imported.csv') };
    const result = await importContacts(ctx, fileId, options);
    expect(calls.some((c) => c.overlapping)).toBe(false);
    expect(calls.length).toBeGreaterThan(5);

    // A batch-at-a-time run writes, per batch: the lines of rows read while it filled (invalid,
    // duplicate, blanked values), then the batch's outcomes (already in the table).
    const firstRows = new Map<string, number>();
    const expected: { key: [number, number, number]; row: number }[] = [];
    let valid = 0;
    for (let i = 1; i <= ROWS; i++) {
      const email = emailOf(i);
      const sent = Math.floor(valid / BATCH);
      if (email.startsWith('broken') || firstRows.has(email)) {
        expected.push({ key: [sent, 0, i], row: i });
        continue;
      }
      firstRows.set(email, i);
      if (i % 5 === 0) expected.push({ key: [sent, 0, i], row: i });
      if (SEEDED.includes(email)) expected.push({ key: [sent, 1, i], row: i });
      valid++;
    }
    expected.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2]);
    expect(rowsOf(result.errorReport!)).toEqual(expected.map((e) => e.row));
    const imported = rowsOf(result.importedReport!);
    expect(imported).toEqual([...imported].sort((a, b) => a - b));
    expect(imported).toHaveLength(result.imported);
  });

  it('ends the run at the last committed checkpoint when the batch in flight fails', async () => {
    const fileId = await prepared('contacts.csv', contactsCsv());
    slowWrite = async (call) => {
      await new Promise((resolve) => setTimeout(resolve, 15));
      if (call === 3) throw new Error('the disk went away');
    };
    const failure = await rejectionOf(importContacts(ctx, fileId, { batchSize: BATCH, errorsOut: path.join(dir, 'rejected.csv') }));
    expect(failure.message).toMatch(/disk went away/);
    // Nothing was sent after the failing batch, and no results file is left.
    expect(calls).toHaveLength(3);
    expect(fs.existsSync(path.join(dir, 'rejected.csv'))).toBe(false);
    const [run] = await history(ctx);
    const lastCommitted = calls[1]!.rows.at(-1)!;
    expect(run).toMatchObject({ status: 'failed', rowsDone: lastCommitted, imported: 2 * BATCH });

    slowWrite = async () => undefined;
    const finished = await importContacts(ctx, fileId, { batchSize: BATCH });
    expect(finished).toMatchObject({ importId: run!.importId, resumedFrom: lastCommitted, totalRows: ROWS });
    const [done] = await history(ctx);
    expect(done).toMatchObject({ status: 'completed', rowsDone: ROWS, imported: finished.imported });
  });
});
