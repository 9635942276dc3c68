import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  analyze,
  importContacts,
  ImportError,
  openContext,
  preview,
  resolveMapping,
  requireAnalysis,
  saveMapping,
  status,
  upload,
  type Context,
} from '../../../src/index.js';
import { useScratchContext } from '../../helpers/scratch-context.js';

// The library as another Node program uses it: one function per step over a Context.

const FIXTURE = path.resolve(__dirname, '../../../fixtures/contacts.csv');
let dir: string;
let ctx: Context;

useScratchContext('ci-lib-', (scratch) => ({ dir, ctx } = scratch));

describe('library API', () => {
  it('runs every step and reports progress', async () => {
    const { fileId, storage } = await upload(ctx, { path: FIXTURE });
    expect(storage).toBe('local');
    const phases = new Set<string>();
    const summary = await analyze(ctx, fileId, { onProgress: (e) => phases.add(e.phase) });
    expect(phases).toContain('analyze');
    expect(summary).toMatchObject({ totalRows: 12, validRows: 9, invalidRows: 3, duplicateRows: 1 });
    expect(await status(ctx, fileId)).toMatchObject({ status: 'complete', progress: 100, processed: 12 });

    const { mapping } = await resolveMapping(ctx, await requireAnalysis(ctx, fileId), { auto: true, set: { Notes: 'skip' } });
    const mapped = await saveMapping(ctx, fileId, mapping);
    expect(mapped).toMatchObject({ success: true, validRows: 9, invalidRows: 3 });
    expect(mapped.mapping).not.toHaveProperty('Notes');

    const page = await preview(ctx, fileId, { invalidOnly: true });
    // The rows an import rejects: the three invalid ones and row 6, a duplicate of row 1.
    expect(page.rows.map((r) => r._rowIndex)).toEqual([4, 5, 6, 8]);
    expect(page.rows[2]).toMatchObject({ _isValid: true, _duplicateOf: 1 });

    const db = path.join(dir, 'lib.db');
    const result = await importContacts(ctx, fileId, { database: `sqlite:${db}` });
    expect(result).toMatchObject({ success: true, imported: 8, skipped: 4, importedReport: null });
    // Rejected rows always land in a results file, by default under the home folder.
    expect(result.errorReport).toBe(path.join(ctx.config.home, 'results', `${result.importId}.rejected.csv`));
    expect(fs.readFileSync(result.errorReport!, 'utf8').trim().split('\n')).toHaveLength(1 + 4);
    const conn = new Database(db, { readonly: true });
    expect((conn.prepare('SELECT count(*) AS n FROM contacts WHERE notes IS NOT NULL').get() as { n: number }).n).toBe(0);
    conn.close();
  });

  it('accepts a stream and rejects a non-spreadsheet with a typed error', async () => {
    const fromStream = await upload(ctx, { stream: Readable.from([Buffer.from('Email,First Name\na@b.co,A\n')]), fileName: 'x.csv' });
    expect((await analyze(ctx, fromStream.fileId)).totalRows).toBe(1);

    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const failure = await upload(ctx, { stream: Readable.from([png]), fileName: 'photo.csv' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ImportError);
    expect(failure).toMatchObject({ code: 'UNSUPPORTED_FILE', exitCode: 2 });
  });

  it('an analysis that fails leaves status "error" and no stale result', async () => {
    const strict = openContext({ home: path.join(dir, 'home'), env: { MAX_ROWS_ALLOWED: '3' } });
    const { fileId } = await upload(strict, { path: FIXTURE });
    await expect(analyze(strict, fileId)).rejects.toMatchObject({ code: 'TOO_LARGE' });
    expect(await status(strict, fileId)).toMatchObject({ status: 'error', message: expect.stringMatching(/more than 3 rows/) });
    await expect(requireAnalysis(strict, fileId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await strict.close();
  });
});

describe('importing the library', () => {
  it('has no side effects: no signal handlers, no files', async () => {
    const before = process.listenerCount('SIGINT');
    const cwdBefore = fs.readdirSync(process.cwd());
    await import('../../../src/index.js');
    expect(process.listenerCount('SIGINT')).toBe(before);
    expect(fs.readdirSync(process.cwd())).toEqual(cwdBefore);
  });
});

describe('status', () => {
  it('says when an analysis has gone silent (its process was killed)', async () => {
    const { fileId } = await upload(ctx, { path: FIXTURE });
    const { STORAGE_KEYS } = await import('../../../src/index.js');
    const updatedAt = new Date(Date.now() - 5 * 60_000).toISOString();
    await ctx.state.set(STORAGE_KEYS.progress(fileId), { status: 'analyzing', processed: 10, updatedAt }, 60);
    expect(await status(ctx, fileId)).toMatchObject({
      status: 'analyzing',
      message: expect.stringMatching(/no progress for 300 s.*analyze the file again/),
      next: { step: 'analyze', fileId },
    });
  });
});
