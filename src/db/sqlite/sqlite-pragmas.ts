import type { SqliteDatabase } from './sqlite-database.js';

/** A writer waits this long for another one's transaction before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 30_000;
/**
 * Per-connection settings for bulk writes into a table with a unique email index that rows
 * reach in random order. Measured on the realistic 1M-row bench file (issue 16): with the
 * default 2 MiB page cache nearly every lookup and insert misses and dirty index pages spill
 * mid-transaction, and the default 1000-page WAL auto-checkpoint copies (and syncs) the
 * same hot index pages back after almost every batch. 32 MiB of cache and a ~40 MiB WAL
 * before a checkpoint cut import CPU ~15% and wall time by a third to a half at 1M rows,
 * for ~0–30 MB more peak RSS; a 64 MiB cache bought little more for another ~60 MB.
 */
const BULK_WRITE_PRAGMAS = ['cache_size = -32768', 'wal_autocheckpoint = 10000', 'temp_store = MEMORY'];

/**
 * The settings of every connection the engine opens: WAL (persistent in the file, so a dry run
 * leaves it as it found it), the busy timeout, NORMAL sync, foreign keys, and the bulk-write
 * cache settings unless the caller handed in a database of their own.
 */
export function configureConnection(db: SqliteDatabase, options: { dryRun: boolean; bulk: boolean }): void {
  if (!options.dryRun) db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  if (options.bulk) for (const setting of BULK_WRITE_PRAGMAS) db.pragma(setting);
}
