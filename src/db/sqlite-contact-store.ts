import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ImportError, isImportError } from '../errors.js';
import { SYSTEM_FIELDS, type Contact, type FieldKey, type OnDuplicate } from '../types.js';
import type {
  ContactStore,
  ContactStoreOptions,
  ContactToWrite,
  ImportCounts,
  ImportRunStart,
  ImportStatus,
  WriteOutcome,
} from './contact-store.js';
import { ensureSqliteSchema } from './sqlite-schema.js';
import { checkTableName, quoteIdent } from './table-name.js';

type Db = Database.Database;
type Params = Record<string, string | null>;

/** Every field but email; email is the lookup key and never rewritten. */
const OTHER_FIELDS = SYSTEM_FIELDS.filter((field) => field.key !== 'email');
const EMAIL_COLUMN = quoteIdent(SYSTEM_FIELDS.find((field) => field.key === 'email')!.column);

interface Statements {
  findId: Database.Statement<[string], { id: number }>;
  insert: Database.Statement<[Params]>;
  update: Database.Statement<[Params]>;
  count: Database.Statement<[], { n: number }>;
}

/** Contacts in a SQLite file through better-sqlite3 (synchronous; the async API just wraps it). */
export class SqliteContactStore implements ContactStore {
  readonly engine = 'sqlite' as const;
  readonly table: string;
  readonly dryRun: boolean;
  private readonly db: Db;
  private readonly file: string;
  private statements: Statements | undefined;
  private writeTransaction: ((batch: ContactToWrite[], importId: string, update: boolean, now: string) => WriteOutcome[]) | undefined;
  private closed = false;

  private constructor(db: Db, file: string, table: string, dryRun: boolean) {
    this.db = db;
    this.file = file;
    this.table = table;
    this.dryRun = dryRun;
  }

  /**
   * Opens (creating if needed) a database file; `:memory:` for a private in-memory one. The
   * schema is not touched until ensureSchema().
   */
  static open(file: string, options: ContactStoreOptions = {}): SqliteContactStore {
    const table = checkTableName(options.table ?? 'contacts');
    const dryRun = options.dryRun === true;
    const memory = file === ':memory:';
    if (!memory) checkParentFolder(file);
    // A dry run against a database that does not exist yet must not create it; an empty
    // in-memory database gives exactly the same outcomes (everything is new).
    const target = dryRun && !memory && !existsSync(file) ? ':memory:' : file;
    let db: Db | undefined;
    try {
      db = new Database(target);
      // journal_mode is persistent in the file, so a dry run leaves it as it found it.
      if (!dryRun) db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      // Touch the file now so "not a database" shows up here rather than on the first write.
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      if (dryRun) db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      db?.close();
      throw new ImportError('IO', `cannot open SQLite database ${file}: ${reason(error)}`, {
        hint: hintFor(error, 'check the path and its permissions, or pass another --database'),
        cause: error,
      });
    }
    return new SqliteContactStore(db, file, table, dryRun);
  }

  async ensureSchema(): Promise<void> {
    this.usable();
    try {
      ensureSqliteSchema(this.db, this.table);
    } catch (error) {
      throw this.failure(`cannot create the contacts schema in ${this.file}`, error);
    }
  }

  async startImport(run: ImportRunStart): Promise<void> {
    this.usable();
    try {
      this.db
        .prepare(
          `INSERT INTO contact_imports (id, file_id, file_name, status, started_at, finished_at, total_rows,
             imported, updated, skipped, invalid, duplicates, excluded, mapping)
           VALUES (?, ?, ?, 'running', ?, NULL, ?, 0, 0, 0, 0, 0, 0, ?)`,
        )
        .run(run.importId, run.fileId, run.fileName, nowIso(), run.totalRows, JSON.stringify(run.mapping));
    } catch (error) {
      throw this.failure(`cannot record import ${run.importId} in contact_imports`, error);
    }
  }

  async writeBatch(
    batch: ContactToWrite[],
    options: { importId: string; onDuplicate: OnDuplicate },
  ): Promise<WriteOutcome[]> {
    this.usable();
    if (batch.length === 0) return [];
    try {
      const write = this.writeTransaction ?? this.prepareWrite();
      return write(batch, options.importId, options.onDuplicate === 'update', nowIso());
    } catch (error) {
      const first = batch[0]!.row;
      const last = batch[batch.length - 1]!.row;
      throw this.failure(`cannot write contacts (rows ${first}–${last}) to table ${this.table} in ${this.file}`, error);
    }
  }

  async finishImport(importId: string, status: ImportStatus, counts: ImportCounts): Promise<void> {
    this.usable();
    let changes: number;
    try {
      changes = this.db
        .prepare(
          `UPDATE contact_imports SET status = ?, finished_at = ?, total_rows = ?, imported = ?, updated = ?,
             skipped = ?, invalid = ?, duplicates = ?, excluded = ?
           WHERE id = ?`,
        )
        .run(
          status, nowIso(), counts.totalRows, counts.imported, counts.updated,
          counts.skipped, counts.invalid, counts.duplicates, counts.excluded, importId,
        ).changes;
    } catch (error) {
      throw this.failure(`cannot record the end of import ${importId} in contact_imports`, error);
    }
    if (changes === 0) {
      throw new ImportError('INTERNAL', `import ${importId} was finished but never started`);
    }
  }

  /** Rows in the contacts table; in a dry run this includes the uncommitted work. */
  countContacts(): number {
    this.usable();
    const statements = this.statements ?? this.prepareStatements();
    return statements.count.get()!.n;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.dryRun && this.db.inTransaction) this.db.exec('ROLLBACK');
    } finally {
      this.db.close();
    }
  }

  private prepareStatements(): Statements {
    const t = quoteIdent(this.table);
    const columns = OTHER_FIELDS.map((f) => quoteIdent(f.column));
    const names = OTHER_FIELDS.map((f) => `@${f.key}`);
    // COALESCE keeps the stored value wherever the incoming field is empty (bound as NULL).
    const sets = OTHER_FIELDS.map((f) => `${quoteIdent(f.column)} = COALESCE(@${f.key}, ${quoteIdent(f.column)})`);
    this.statements = {
      findId: this.db.prepare(`SELECT id FROM ${t} WHERE ${EMAIL_COLUMN} = ?`),
      insert: this.db.prepare(
        `INSERT INTO ${t} (${EMAIL_COLUMN}, ${columns.join(', ')}, import_id, created_at, updated_at)
         VALUES (@email, ${names.join(', ')}, @importId, @now, @now)`,
      ),
      update: this.db.prepare(`UPDATE ${t} SET ${sets.join(', ')}, updated_at = @now WHERE id = @id`),
      count: this.db.prepare(`SELECT count(*) AS n FROM ${t}`),
    };
    return this.statements;
  }

  private prepareWrite(): NonNullable<SqliteContactStore['writeTransaction']> {
    const { findId, insert, update } = this.statements ?? this.prepareStatements();
    // One transaction per batch; inside a dry run's outer transaction it becomes a savepoint.
    this.writeTransaction = this.db.transaction((batch: ContactToWrite[], importId: string, overwrite: boolean, now: string) => {
      const outcomes: WriteOutcome[] = [];
      for (const { contact } of batch) {
        const found = findId.get(contact.email);
        if (!found) {
          const params = fieldParams(contact);
          params.firstName = text(contact.firstName) ?? '';
          params.email = contact.email;
          params.importId = importId;
          params.now = now;
          insert.run(params);
          outcomes.push('inserted');
        } else if (overwrite) {
          const params: Record<string, string | number | null> = fieldParams(contact);
          params.now = now;
          params.id = found.id;
          update.run(params as Params);
          outcomes.push('updated');
        } else {
          outcomes.push('existing');
        }
      }
      return outcomes;
    });
    return this.writeTransaction;
  }

  private usable(): void {
    if (this.closed) throw new ImportError('INTERNAL', `the SQLite database ${this.file} is already closed`);
    // Some failures (disk full, I/O) make SQLite drop the whole transaction; carrying on
    // would then commit a dry run's writes one statement at a time.
    if (this.dryRun && !this.db.inTransaction) {
      throw new ImportError('IO', `the dry-run transaction on ${this.file} was lost`, {
        hint: 'nothing was written; fix the earlier error and run the dry run again',
      });
    }
  }

  private failure(what: string, error: unknown): ImportError {
    if (isImportError(error)) return error;
    return new ImportError('IO', `${what}: ${reason(error)}`, {
      hint: hintFor(error, 'check that the database file is writable and the disk is not full'),
      cause: error,
    });
  }
}

/** Non-empty optional fields as bound values; empty or absent ones bind NULL. */
function fieldParams(contact: Contact): Params {
  const params: Params = {};
  for (const field of OTHER_FIELDS) params[field.key] = text(contact[field.key as FieldKey]);
  return params;
}

function text(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  return typeof value === 'string' ? value : String(value);
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
      hint: 'create the folder first, or pass another --database',
    });
  }
}

function hintFor(error: unknown, fallback: string): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return 'another process is using the database; try again when it has finished';
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return 'the file is not a usable SQLite database; pass another --database';
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    return 'check that the database file and its folder are writable';
  }
  if (code === 'SQLITE_FULL') return 'the disk is full; free some space and run the import again';
  return fallback;
}

function nowIso(): string {
  return new Date().toISOString();
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
