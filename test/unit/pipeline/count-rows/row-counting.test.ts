import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { compileMapping } from '../../../../src/contacts/compile-mapping.js';
import { analyze, openContext, upload, type Context } from '../../../../src/index.js';
import type { CheckRules } from '../../../../src/pipeline/count-rows/checked-row-counter.js';
import { RowCountingThread } from '../../../../src/pipeline/count-rows/row-counting-thread.js';
import { generateContacts } from '../../../helpers/generate-contacts.js';
import { useScratchContext } from '../../../helpers/scratch-context.js';

// analyze checks a big CSV file's rows on a second thread (threadMinBytes: 0 makes every file
// big): what it reports must be what the same analysis on one thread reports.

// Counts the threads analyze starts, so a test knows the second thread did the counting.
const started = vi.hoisted(() => ({ threads: 0 }));
vi.mock('../../../../src/pipeline/count-rows/row-counting-thread.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../../src/pipeline/count-rows/row-counting-thread.js')>();
  class CountedThread extends real.RowCountingThread {
    constructor(rules: CheckRules) {
      super(rules);
      started.threads++;
    }
  }
  return { ...real, RowCountingThread: CountedThread };
});

const FIXTURES = path.resolve(__dirname, '../../../../fixtures');
let dir: string;
let ctx: Context;
useScratchContext('ci-count-', (scratch) => ({ dir, ctx } = scratch));

async function bothWays(file: string): Promise<void> {
  const { fileId } = await upload(ctx, { path: file });
  const before = started.threads;
  const inline = await analyze(ctx, fileId);
  expect(started.threads).toBe(before);
  const threaded = await analyze(ctx, fileId, { threadMinBytes: 0 });
  expect(started.threads).toBe(before + 1);
  expect(threaded).toEqual(inline);
}

describe('row counting on a second thread', () => {
  it('counts a generated file with invalid rows and duplicates across batches as one thread does', async () => {
    const generated = generateContacts({ rows: 12_000, seed: 7 });
    const file = path.join(dir, 'generated.csv');
    fs.writeFileSync(file, generated.csv);
    const { fileId } = await upload(ctx, { path: file });
    const before = started.threads;
    const summary = await analyze(ctx, fileId, { threadMinBytes: 0 });
    expect(started.threads).toBe(before + 1);
    expect(summary).toMatchObject({
      totalRows: 12_000,
      invalidRows: generated.invalidRows.length,
      duplicateRows: generated.duplicateRows.length,
    });
    expect(await analyze(ctx, fileId)).toEqual(summary);
  });

  it.each([
    'contacts.csv',
    'real-world/hubspot-international.csv',
    'real-world/invalid-utf8.csv',
    'real-world/ragged.csv',
    'real-world/windows-1252.csv',
    'real-world/control-chars.csv',
    'real-world/salesforce-week2.csv',
  ])('gives the same summary for %s', async (name) => {
    await bothWays(path.join(FIXTURES, name));
  });

  it('reads a spreadsheet on one thread: its reading, not the checks, is what takes time', async () => {
    const before = started.threads;
    const { fileId } = await upload(ctx, { path: path.join(FIXTURES, 'real-world/contacts.xlsx') });
    expect((await analyze(ctx, fileId, { threadMinBytes: 0 })).totalRows).toBeGreaterThan(0);
    expect(started.threads).toBe(before);
  });

  it('fails a file the reader refuses midway as one thread does', async () => {
    // Over the row limit at row 15001, after the thread has counted batches (and past the
    // first MiB, which the reader takes in at once to detect the encoding).
    const strict = openContext({ home: path.join(dir, 'strict'), env: { MAX_ROWS_ALLOWED: '15000' } });
    try {
      const file = path.join(dir, 'long.csv');
      fs.writeFileSync(file, generateContacts({ rows: 20_000, seed: 5 }).csv);
      const { fileId } = await upload(strict, { path: file });
      const inline = await analyze(strict, fileId).catch((error: unknown) => error);
      const before = started.threads;
      const threaded = await analyze(strict, fileId, { threadMinBytes: 0 }).catch((error: unknown) => error);
      expect(started.threads).toBe(before + 1);
      expect(inline).toMatchObject({ code: 'TOO_LARGE' });
      expect(threaded).toEqual(inline);
      expect((threaded as Error).message).toBe((inline as Error).message);
    } finally {
      await strict.close();
    }
  });

  it('stops when the analysis is interrupted', async () => {
    const file = path.join(dir, 'big.csv');
    fs.writeFileSync(file, generateContacts({ rows: 5000, seed: 3 }).csv);
    const { fileId } = await upload(ctx, { path: file });
    const signal = AbortSignal.abort();
    await expect(analyze(ctx, fileId, { threadMinBytes: 0, signal })).rejects.toMatchObject({ code: 'INTERRUPTED' });
  });

  it('fails with why when the thread fails, and after close', async () => {
    const rules: CheckRules = { plan: compileMapping({ Email: 'email' }, ['Email'], { requireFields: false }), defaultCountry: 'US' };
    const thread = new RowCountingThread(rules);
    // A value that is not a string makes the checks throw on the thread, in the first batch;
    // two more full batches and a row follow, then finish(), which sends a fourth. Whichever
    // call learns of the failure fails with it, and nothing is left to reject unhandled.
    const feed = async (): Promise<unknown> => {
      await thread.add({ row: 1, line: 2, values: [42 as unknown as string] });
      for (let row = 2; row <= 3 * 2048 + 1; row++) await thread.add({ row, line: row + 1, values: [`p${row}@example.com`] });
      return thread.finish();
    };
    await expect(feed()).rejects.toThrow(/^the row-checking thread failed: .+/);
    expect(() => thread.add({ row: 2, line: 3, values: ['a@example.com'] })).toThrow(/^the row-checking thread failed: /);
    await thread.close();

    const closed = new RowCountingThread(rules);
    await closed.close();
    expect(() => closed.add({ row: 1, line: 2, values: ['a@example.com'] })).toThrow('the row-checking thread was closed');
  });
});
