import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ImportError } from '../../errors.js';
import type { ContactStoreOptions, ContactToWrite, WrittenRow } from '../contact-store.js';
import { rowsOf, type BatchOptions, type Engine, type InsideBatch, type Row, type RunLocks, type SqlValue } from '../engine.js';
import { ownerIsAlive } from '../run-owner.js';
import { checkTableName, quoteIdent } from '../table-name.js';
import type { Contact } from '../../contacts/fields.js';
import { SqliteBatchWriter } from './sqlite-batch-writer.js';
import { SqliteWriterThread } from './sqlite-writer-thread.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { SQLITE_DIALECT } from './sqlite-dialect.js';
import { sqliteFailure } from './sqlite-failure.js';
import { configureConnection } from './sqlite-pragmas.js';
import { ensureSqliteSchema } from './sqlite-schema.js';
import { oneWriterAtATime } from './one-writer-at-a-time.js';
import { beginTransaction } from './sqlite-transaction.js';
import { PRIVATE_FILE_MODE } from '../../streams/private-files.js';

/**
 * Smaller batches are written on the calling thread: a thread's start (~50 ms) and the copy of
 * the rows to it cost more than writing them where they are.
 */
const WRITER_THREAD_MIN_ROWS = 1000;
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
  /** The file a writer thread opens, when batches may go to one (a file of the tool's own, not a dry run). */
  private readonly threadFile: string | undefined;
  private thread: SqliteWriterThread | undefined;
  /** The writer thread while its batch's checkpoint runs: run() and all() go to its open transaction. */
  private routed: SqliteWriterThread | undefined;
  private closed = false;

  private constructor(
    private readonly db: SqliteDatabase,
    readonly where: string,
    readonly table: string,
    readonly dryRun: boolean,
    private readonly owned: boolean,
    /** Batches of at least this many rows go to the writer thread. */
    private readonly threadMinRows: number,
  ) {
    this.writer = new SqliteBatchWriter(db, table);
    const file = owned && where !== ':memory:' && db.name !== ':memory:' ? path.resolve(where) : undefined;
    this.writerKey = file ?? db;
    // A second connection needs a file of the tool's own that it can write to: not a dry run's
    // (its one transaction lives on the first connection), not an in-memory or handed-in
    // database; and the thread's script (a bundle may have left it behind).
    this.threadFile = dryRun || !SqliteWriterThread.available ? undefined : file;
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
    let newFile = false;
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
        newFile = target !== ':memory:' && !existsSync(target);
        if (newFile) closeSync(openSync(target, 'a', PRIVATE_FILE_MODE));
        db = new Database(target);
      }
      // A database the caller hands in keeps the cache and checkpoint settings they gave it.
      configureConnection(db, { dryRun, bulk: owned, newFile });
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
    return new SqliteEngine(db, file ?? db.name ?? 'the SQLite database', table, dryRun, owned, options.writerThreadMinRows ?? WRITER_THREAD_MIN_ROWS);
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
    if (this.routed) return this.routed.all(sql, params);
    return this.db.prepare(sql).all(...params) as Row[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    if (this.routed) return this.routed.run(sql, params);
    // A write outside a transaction waits for the writer thread's batch to commit: taking the
    // write lock here while it holds it would block the thread that must tell it to commit.
    if (this.thread && !this.db.inTransaction) return oneWriterAtATime(this.writerKey, async () => this.db.prepare(sql).run(...params).changes);
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
    const contacts = batch.map((pending) => pending.contact);
    try {
      if (this.threadFile !== undefined && batch.length >= this.threadMinRows) return await this.writeOnThread(this.threadFile, contacts, options, inside);
      // One transaction per batch; inside a dry run's outer transaction it becomes a savepoint.
      return await this.transaction(async () => {
        const now = new Date().toISOString();
        const written = this.writer.write(contacts, options, now);
        await inside?.(written, now);
        return written;
      });
    } catch (error) {
      throw this.failure(`cannot write contacts (${rowsOf(batch)}) to table ${this.table} in ${this.where}`, error);
    }
  }

  /** The batch and its checkpoint in one transaction of the writer thread's connection. */
  private async writeOnThread(file: string, contacts: Contact[], options: BatchOptions, inside?: InsideBatch): Promise<WrittenRow[]> {
    return oneWriterAtATime(this.writerKey, async () => {
      const thread = (this.thread ??= new SqliteWriterThread({ file, table: this.table }));
      const now = new Date().toISOString();
      const written = await thread.write(contacts, options, now);
      try {
        this.routed = thread;
        try {
          await inside?.(written, now);
        } finally {
          this.routed = undefined;
        }
        await thread.commit();
      } catch (error) {
        await thread.rollback().catch(() => undefined);
        throw error;
      }
      return written;
    });
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
      await this.thread?.close().catch(() => undefined);
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
