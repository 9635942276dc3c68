// The engine-neutral pieces of runs: row mapping, the claim decision, lock keys, retryable errors.
import { describe, expect, it } from 'vitest';
import type { ImportRun, ImportRunStart } from '../../../src/db/contact-store.js';
import { decideClaim, runIdentity } from '../../../src/db/decide-claim.js';
import { importRunFromRow } from '../../../src/db/import-run-from-row.js';
import { isRetryableConflict } from '../../../src/db/postgres/postgres-failure.js';
import { runLockKey } from '../../../src/db/postgres/run-lock-key.js';
import { ImportError } from '../../../src/errors.js';

const start: ImportRunStart = { importId: 'new', fileId: 'f1', fileName: 'c.csv', totalRows: 10, mapping: {}, resumeKey: 'k1' };

function run(overrides: Partial<ImportRun>): ImportRun {
  return {
    ...importRunFromRow({ id: 'r', status: 'running', started_at: '2026-01-01T00:00:00.000Z' }),
    fileId: 'f1',
    table: 'contacts',
    resumeKey: 'k1',
    ...overrides,
  };
}

describe('importRunFromRow', () => {
  it('maps a PostgreSQL row (Dates, parsed JSON) and a SQLite row (text) alike', () => {
    const common = { id: 'i', file_id: 'f', file_name: 'c.csv', status: 'completed', total_rows: 3, rows_done: 3, imported: 1, updated: 1, skipped: 1, invalid: 1, duplicates: 0, excluded: 0, table_name: 't', file_sha256: null, resume_key: 'k', owner: 'h:1', undone_at: null };
    const fromPg = importRunFromRow({ ...common, started_at: new Date('2026-01-01T00:00:00.000Z'), finished_at: new Date('2026-01-01T00:00:01.000Z'), heartbeat_at: new Date('2026-01-01T00:00:01.000Z'), mapping: { A: 'email' } });
    const fromSqlite = importRunFromRow({ ...common, started_at: '2026-01-01T00:00:00.000Z', finished_at: '2026-01-01T00:00:01.000Z', heartbeat_at: '2026-01-01T00:00:01.000Z', mapping: '{"A":"email"}' });
    expect(fromPg).toEqual(fromSqlite);
    expect(fromPg).toMatchObject({ importId: 'i', table: 't', startedAt: '2026-01-01T00:00:00.000Z', mapping: { A: 'email' }, rowsDone: 3 });
  });

  it('gives a version 1 row without counts zeros, nulls and an empty mapping', () => {
    expect(importRunFromRow({ id: 'old', status: 'running', started_at: '2025-01-01T00:00:00.000Z', mapping: null })).toMatchObject({
      table: null, totalRows: 0, rowsDone: 0, imported: 0, mapping: {}, owner: null, heartbeatAt: null, resumeKey: null,
    });
    expect(importRunFromRow({ id: 'x', status: 'failed', started_at: 's', mapping: 'not json' }).mapping).toEqual({});
  });
});

describe('decideClaim', () => {
  const dead = () => false;

  it('starts a new run when there is none, or only a completed one from another upload', () => {
    expect(decideClaim([], start, 'contacts', dead)).toEqual({ kind: 'new' });
    expect(decideClaim([run({ status: 'completed', fileId: 'f0' })], start, 'contacts', dead)).toEqual({ kind: 'new' });
  });

  it('reports a completed run of this upload', () => {
    const done = run({ status: 'completed' });
    expect(decideClaim([done], start, 'contacts', dead)).toEqual({ kind: 'completed', run: done });
  });

  it('resumes the newest unfinished run under the same key, refuses it under another', () => {
    for (const status of ['running', 'interrupted', 'failed'] as const) {
      const unfinished = run({ status });
      expect(decideClaim([unfinished, run({ status: 'completed' })], start, 'contacts', dead)).toEqual({ kind: 'resume', run: unfinished });
    }
    expect(() => decideClaim([run({ status: 'failed', resumeKey: 'k2' })], start, 'contacts', dead)).toThrow(ImportError);
  });

  it('refuses with LOCKED while any running run is live', () => {
    const live = run({ importId: 'live', status: 'running', owner: 'h:1' });
    let error: unknown;
    try {
      decideClaim([run({ status: 'interrupted' }), live], start, 'contacts', (r) => r.importId === 'live');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'LOCKED', message: 'another import of c.csv into contacts is running (live, started 2026-01-01T00:00:00.000Z, process h:1)' });
  });

  it('identifies a file by its bytes when known, else by its upload', () => {
    expect(runIdentity({ fileId: 'f', fileSha256: 'abc' })).toBe('abc');
    expect(runIdentity({ fileId: 'f', fileSha256: null })).toBe('f');
  });
});

describe('runLockKey', () => {
  it('is a stable signed 64-bit integer per text', () => {
    const key = runLockKey('contact-import:run:public.contacts:abc');
    expect(key).toBe(runLockKey('contact-import:run:public.contacts:abc'));
    expect(key).not.toBe(runLockKey('contact-import:run:public.contacts:abd'));
    const value = BigInt(key);
    expect(value >= -(2n ** 63n) && value < 2n ** 63n).toBe(true);
  });
});

describe('isRetryableConflict', () => {
  it('is true for deadlocks and serialization failures only', () => {
    expect(isRetryableConflict({ code: '40P01' })).toBe(true);
    expect(isRetryableConflict({ code: '40001' })).toBe(true);
    expect(isRetryableConflict({ code: '23505' })).toBe(false);
    expect(isRetryableConflict(new Error('x'))).toBe(false);
    expect(isRetryableConflict(null)).toBe(false);
  });
});
