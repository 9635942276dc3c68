import type { SqliteDatabase } from './sqlite-database.js';

/** A writer waits this long for another one's transaction before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 30_000;
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
 * The page size of a database file the tool creates (SQLite's default is 4096; an existing file
 * keeps its own). Each commit writes every index page the batch touched to the WAL, and rows
 * reach the email index in random order, so a batch touches most of its pages: measured with
 * 1M random emails in batches of 10000, 16 KiB pages cut the time spent in COMMIT from 5.9 s to
 * 2.9 s and the whole load by a quarter (8 KiB: 3.9 s; 32 and 64 KiB no better than 16).
 */
const NEW_FILE_PAGE_SIZE = 16384;

/**
 * The settings of every connection the engine opens: the page size of a file it has just
 * created, WAL (persistent in the file, so a dry run leaves it as it found it), the busy
 * timeout, NORMAL sync, foreign keys, and the bulk-write cache settings unless the caller
 * handed in a database of their own.
 */
export function configureConnection(db: SqliteDatabase, options: { dryRun: boolean; bulk: boolean; newFile?: boolean }): void {
  // Before WAL mode, which writes the file's first page.
  if (options.newFile) db.pragma(`page_size = ${NEW_FILE_PAGE_SIZE}`);
  if (!options.dryRun) db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  if (options.bulk) for (const setting of BULK_WRITE_PRAGMAS) db.pragma(setting);
}
