import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ImportError } from '../../errors.js';
import type { ContactStoreOptions, ContactToWrite, WrittenRow } from '../contact-store.js';
import { rowsOf, type BatchOptions, type Engine, type InsideBatch, type Row, type RunLocks, type SqlValue } from '../engine.js';
import { ownerIsAlive } from '../run-owner.js';
import { checkTableName, quoteIdent } from '../table-name.js';
import { SqliteBatchWriter } from './sqlite-batch-writer.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { SQLITE_DIALECT } from './sqlite-dialect.js';
import { sqliteFailure } from './sqlite-failure.js';
import { ensureSqliteSchema } from './sqlite-schema.js';
import { oneWriterAtATime } from './one-writer-at-a-time.js';
import { beginTransaction } from './sqlite-transaction.js';
import { PRIVATE_FILE_MODE } from '../../streams/private-files.js';

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
const WRITE_FAILED = { hint: 'check that the database file is writable and the disk is not full' };

/**
 * A database file path, a better-sqlite3 Database (or one shaped like it) that the caller
 * keeps and closes, or a function that makes one, closed with the engine.
 */
export type SqliteSource = string | SqliteDatabase | (() => SqliteDatabase);

/** Write transactions queue behind each other (BEGIN IMMEDIATE): a run lives while its owner does. */
const SQLITE_LOCKS: RunLocks = {
  take: async () => ({ release: async () => undefined }),
  isLive: async (run) => ownerIsAlive(run.owner, run.heartbeatAt),
};

/** Contacts in SQLite through better-sqlite3 (synchronous; the async API just wraps it). */
export class SqliteEngine implements Engine {
  readonly name = 'sqlite' as const;
  readonly dialect = SQLITE_DIALECT;
  readonly locks = SQLITE_LOCKS;
  private readonly writer: SqliteBatchWriter;
  /** The file (or the handed-in database) whose writers queue behind each other in this process. */
  private readonly writerKey: unknown;
  private closed = false;

  private constructor(
    private readonly db: SqliteDatabase,
    readonly where: string,
    readonly table: string,
    readonly dryRun: boolean,
    private readonly owned: boolean,
  ) {
    this.writer = new SqliteBatchWriter(db, table);
    this.writerKey = owned && where !== ':memory:' ? path.resolve(where) : db;
  }

  /**
   * Opens (creating if needed) a database file, `:memory:` for a private in-memory one, or the
   * database a caller hands in. The schema is not touched until ensureSchema().
   */
  static open(source: SqliteSource, options: ContactStoreOptions = {}): SqliteEngine {
    const table = checkTableName(options.table ?? 'contacts');
    const dryRun = options.dryRun === true;
    const file = typeof source === 'string' ? source : undefined;
    let db: SqliteDatabase | undefined;
    const owned = typeof source !== 'object';
    try {
      if (file === undefined) db = typeof source === 'function' ? source() : (source as SqliteDatabase);
      else {
        const memory = file === ':memory:';
        if (!memory) checkParentFolder(file);
        // A dry run against a database that does not exist yet must not create it; an empty
        // in-memory database gives exactly the same outcomes (everything is new).
        const target = dryRun && !memory && !existsSync(file) ? ':memory:' : file;
        // A database the tool creates is private like its other files (SQLite gives -wal and -shm the same mode).
        if (target !== ':memory:' && !existsSync(target)) closeSync(openSync(target, 'a', PRIVATE_FILE_MODE));
        db = new Database(target);
      }
      // journal_mode is persistent in the file, so a dry run leaves it as it found it.
      if (!dryRun) db.pragma('journal_mode = WAL');
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      // A database the caller hands in keeps the cache and checkpoint settings they gave it.
      if (owned) for (const setting of BULK_WRITE_PRAGMAS) db.pragma(setting);
      // Touch the file now so "not a database" shows up here rather than on the first write.
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      if (dryRun) db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      if (owned) db?.close();
      const where = file ?? db?.name ?? 'the SQLite database';
      throw sqliteFailure(`cannot open SQLite database ${where}`, error, {
        hint: 'check the path and its permissions, or choose another database',
        options: ['database'],
      });
    }
    return new SqliteEngine(db, file ?? db.name ?? 'the SQLite database', table, dryRun, owned);
  }

  async ensureSchema(): Promise<void> {
    try {
      ensureSqliteSchema(this.db, this.table);
    } catch (error) {
      throw this.failure(`cannot create the contacts schema in ${this.where}`, error);
    }
  }

  qualified(table: string, quoted = true): string {
    return quoted ? quoteIdent(table) : table;
  }

  tableName(name: string): string {
    return checkTableName(name);
  }

  async tableExists(table: string): Promise<boolean> {
    return this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE").get(table) !== undefined;
  }

  async all(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.db.prepare(sql).all(...params) as Row[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.db.prepare(sql).run(...params).changes;
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    return oneWriterAtATime(this.writerKey, async () => {
      const transaction = beginTransaction(this.db);
      try {
        const result = await work();
        transaction.commit();
        return result;
      } catch (error) {
        transaction.rollback();
        throw error;
      }
    });
  }

  async writeBatch(batch: ContactToWrite[], options: BatchOptions, inside?: InsideBatch): Promise<WrittenRow[]> {
    try {
      // One transaction per batch; inside a dry run's outer transaction it becomes a savepoint.
      return await this.transaction(async () => {
        const now = new Date().toISOString();
        const written = this.writer.write(batch, options, now);
        await inside?.(written, now);
        return written;
      });
    } catch (error) {
      throw this.failure(`cannot write contacts (${rowsOf(batch)}) to table ${this.table} in ${this.where}`, error);
    }
  }

  async countContacts(): Promise<number> {
    return (this.db.prepare(`SELECT count(*) AS n FROM ${quoteIdent(this.table)}`).get() as { n: number }).n;
  }

  usable(): void {
    if (this.closed) throw new ImportError('INTERNAL', `the SQLite database ${this.where} is already closed`);
    // Some failures (disk full, I/O) make SQLite drop the whole transaction; carrying on
    // would then commit a dry run's writes one statement at a time.
    if (this.dryRun && !this.db.inTransaction) {
      throw new ImportError('IO', `the dry-run transaction on ${this.where} was lost`, {
        hint: 'nothing was written; fix the earlier error and run the dry run again',
      });
    }
  }

  failure(what: string, error: unknown): ImportError {
    return sqliteFailure(what, error, WRITE_FAILED);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.dryRun && this.db.inTransaction) this.db.exec('ROLLBACK');
    } finally {
      if (this.owned) this.db.close();
    }
  }
}

function checkParentFolder(file: string): void {
  const dir = path.dirname(path.resolve(file));
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw new ImportError('IO', `cannot open SQLite database ${file}: folder ${dir} does not exist`, {
      hint: 'create the folder first, or choose another database',
      options: ['database'],
    });
  }
}
