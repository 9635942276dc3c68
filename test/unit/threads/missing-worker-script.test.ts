// A bundle that inlines the library's modules may leave the worker scripts behind: the work a
// thread would do is then done on the calling thread, with the same results, rather than failing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { analyze, upload, type Context } from '../../../src/index.js';
import { SqliteEngine } from '../../../src/db/sqlite/sqlite-engine.js';
import { SqliteWriterThread } from '../../../src/db/sqlite/sqlite-writer-thread.js';
import { RowCountingThread } from '../../../src/pipeline/count-rows/row-counting-thread.js';
import { generateContacts } from '../../helpers/generate-contacts.js';
import { useScratchContext } from '../../helpers/scratch-context.js';

vi.mock('../../../src/threads/worker-script.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/threads/worker-script.js')>();
  return { workerScript: (moduleUrl: string, name: string) => real.workerScript(moduleUrl, `${name}-left-behind`) };
});

let dir: string;
let ctx: Context;
useScratchContext('ci-noscript-', (scratch) => ({ dir, ctx } = scratch));

describe('a missing worker script', () => {
  it('has analyze check the rows inline, with the same counts', async () => {
    expect(RowCountingThread.available).toBe(false);
    const generated = generateContacts({ rows: 3000, seed: 3 });
    const file = path.join(dir, 'generated.csv');
    fs.writeFileSync(file, generated.csv);
    const { fileId } = await upload(ctx, { path: file });
    const summary = await analyze(ctx, fileId, { threadMinBytes: 0 });
    expect(summary).toMatchObject({ totalRows: 3000, invalidRows: generated.invalidRows.length, duplicateRows: generated.duplicateRows.length });
  });

  it('has the SQLite store write its batches on the calling thread', async () => {
    expect(SqliteWriterThread.available).toBe(false);
    const engine = SqliteEngine.open(path.join(dir, 'c.db'), { writerThreadMinRows: 0 });
    try {
      await engine.ensureSchema();
      const batch = Array.from({ length: 50 }, (_, i) => ({ row: i + 2, contact: { email: `p${i}@example.com`, firstName: `P${i}` } }));
      const written = await engine.writeBatch(batch, { importId: 'imp-1', onDuplicate: 'skip' });
      expect(written.map((row) => row.outcome)).toEqual(batch.map(() => 'inserted'));
      expect(await engine.countContacts()).toBe(50);
    } finally {
      await engine.close();
    }
  });
});

describe('workerScript', () => {
  it('finds a script that is there and gives undefined for one that is not', async () => {
    const { workerScript } = await vi.importActual<typeof import('../../../src/threads/worker-script.js')>('../../../src/threads/worker-script.js');
    const moduleUrl = new URL('../../../src/db/sqlite/sqlite-writer-thread.ts', import.meta.url).href;
    expect(workerScript(moduleUrl, 'sqlite-writer-worker')?.pathname).toMatch(/\/dist\/db\/sqlite\/sqlite-writer-worker\.js$/);
    expect(workerScript(moduleUrl, 'no-such-worker')).toBeUndefined();
  });
});
