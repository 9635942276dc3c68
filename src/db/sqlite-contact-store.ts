import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ImportError, isImportError } from '../errors.js';
import { PRIVATE_FILE_MODE } from '../streams/private-files.js';
import { SYSTEM_FIELDS, type Contact, type FieldKey } from '../types.js';
import { BEFORE_IMAGE_COLUMNS } from './before-image.js';
import type {
  ContactStore,
  ContactStoreOptions,
  ContactToWrite,
  ImportCounts,
  ImportRun,
  ImportRunStart,
  ImportStatus,
  RunClaim,
  UndoOptions,
  UndoResult,
  WriteBatchOptions,
  WrittenRow,
} from './contact-store.js';
import { decideClaim } from './decide-claim.js';
import { importRunFromRow } from './import-run-from-row.js';
import { currentOwner, ownerIsAlive } from './run-owner.js';
import { alreadyUndoneError, importNotFoundError, notRunningError, undoConflictError, undoLockedError } from './run-errors.js';
import { ensureSqliteSchema } from './sqlite-schema.js';
import { checkTableName, quoteIdent } from './table-name.js';

type Db = Database.Database;
type Value = string | number | null;
type Row = Record<string, unknown>;

/** Every field but email; email is the lookup key and never rewritten. */
const OTHER_FIELDS = SYSTEM_FIELDS.filter((field) => field.key !== 'email');
const EMAIL_COLUMN = quoteIdent(SYSTEM_FIELDS.find((field) => field.key === 'email')!.column);
/** Where firstName sits among OTHER_FIELDS: NOT NULL, so an empty one is stored as ''. */
const FIRST_NAME = OTHER_FIELDS.findIndex((field) => field.key === 'firstName');
/** A writer waits this long for another one's transaction before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 30_000;
/** Emails per findContacts query. */
const FIND_CHUNK = 5000;

interface Statements {
  /** email → id. */
  findId: Database.Statement<[string], number>;
  /** email, fields…, import_id, created_at, updated_at. */
  insert: Database.Statement<[Value[]]>;
  /** The same, giving the new id back, for an adopted table whose id is not the rowid. */
  insertReturning: Database.Statement<[Value[]], number> | undefined;
  /** import_id, after_updated_at, id: keeps the contact's before-image. */
  capture: Database.Statement<[Value[]]>;
  /** fields…, now, id. */
  update: Database.Statement<[Value[]]>;
  /** rows_done, counts…, heartbeat, id. */
  checkpoint: Database.Statement<[Value[]]>;
  count: Database.Statement<[], { n: number }>;
}

type WriteTransaction = (batch: ContactToWrite[], options: WriteBatchOptions, now: string) => WrittenRow[];

/** Contacts in a SQLite file through better-sqlite3 (synchronous; the async API just wraps it). */
export class SqliteContactStore implements ContactStore {
  readonly engine = 'sqlite' as const;
  readonly table: string;
  readonly dryRun: boolean;
  private readonly db: Db;
  private readonly file: string;
  private statements: Statements | undefined;
  private writeTransaction: Database.Transaction<WriteTransaction> | undefined;
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
      // A database the tool creates is private like its other files (SQLite gives -wal and -shm the same mode).
      if (target !== ':memory:' && !existsSync(target)) closeSync(openSync(target, 'a', PRIVATE_FILE_MODE));
      db = new Database(target);
      // journal_mode is persistent in the file, so a dry run leaves it as it found it.
      if (!dryRun) db.pragma('journal_mode = WAL');
      // Writers queue behind each other: every write transaction is BEGIN IMMEDIATE, so a
      // waiting one never holds a read snapshot it would have to upgrade (SQLITE_BUSY).
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
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

  async claimRun(start: ImportRunStart): Promise<RunClaim> {
    this.usable();
    const claim = this.db.transaction((): RunClaim => {
      const matches = (
        this.db
          .prepare(
            `SELECT * FROM contact_imports
             WHERE table_name = ? COLLATE NOCASE AND (file_id = ? OR (file_sha256 IS NOT NULL AND file_sha256 = ?))
               AND status <> 'undone'
             ORDER BY started_at DESC, id DESC`,
          )
          .all(this.table, start.fileId, start.fileSha256 ?? null) as Row[]
      ).map(importRunFromRow);
      const decision = decideClaim(matches, start, this.table, (run) => ownerIsAlive(run.owner, run.heartbeatAt));
      if (decision.kind === 'completed') return decision;
      const now = nowIso();
      if (decision.kind === 'resume') {
        this.db
          .prepare(
            `UPDATE contact_imports SET status = 'running', owner = ?, heartbeat_at = ?, finished_at = NULL,
               file_id = ?, file_name = ?, file_sha256 = COALESCE(file_sha256, ?)
             WHERE id = ?`,
          )
          .run(currentOwner(), now, start.fileId, start.fileName, start.fileSha256 ?? null, decision.run.importId);
        return { kind: 'resume', run: this.readRun(decision.run.importId)! };
      }
      this.db
        .prepare(
          `INSERT INTO contact_imports (id, file_id, file_name, status, started_at, finished_at, total_rows,
             imported, updated, skipped, invalid, duplicates, excluded, mapping,
             table_name, file_sha256, resume_key, rows_done, owner, heartbeat_at, undone_at)
           VALUES (?, ?, ?, 'running', ?, NULL, ?, 0, 0, 0, 0, 0, 0, ?, ?, ?, ?, 0, ?, ?, NULL)`,
        )
        .run(
          start.importId, start.fileId, start.fileName, now, start.totalRows, JSON.stringify(start.mapping),
          this.table, start.fileSha256 ?? null, start.resumeKey, currentOwner(), now,
        );
      return { kind: 'new', run: this.readRun(start.importId)! };
    });
    try {
      return claim.immediate();
    } catch (error) {
      throw this.failure(`cannot record import ${start.importId} in contact_imports`, error);
    }
  }

  async writeBatch(batch: ContactToWrite[], options: WriteBatchOptions): Promise<WrittenRow[]> {
    this.usable();
    if (batch.length === 0) return [];
    try {
      const write = this.writeTransaction ?? this.prepareWrite();
      // One transaction per batch; inside a dry run's outer transaction it becomes a savepoint.
      return write.immediate(batch, options, nowIso());
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
      const now = nowIso();
      // total_rows stays the file's row count unless the run read the whole file.
      changes = this.db
        .prepare(
          `UPDATE contact_imports SET status = ?, finished_at = ?, heartbeat_at = ?, rows_done = ?,
             total_rows = CASE WHEN ? = 'completed' THEN ? ELSE total_rows END,
             imported = ?, updated = ?, skipped = ?, invalid = ?, duplicates = ?, excluded = ?
           WHERE id = ?`,
        )
        .run(
          status, now, now, counts.totalRows, status, counts.totalRows, counts.imported, counts.updated,
          counts.skipped, counts.invalid, counts.duplicates, counts.excluded, importId,
        ).changes;
    } catch (error) {
      throw this.failure(`cannot record the end of import ${importId} in contact_imports`, error);
    }
    if (changes === 0) {
      throw new ImportError('INTERNAL', `import ${importId} was finished but never started`);
    }
  }

  async findContacts(emails: string[]): Promise<Map<string, { id: number; importId: string | null }>> {
    this.usable();
    const found = new Map<string, { id: number; importId: string | null }>();
    try {
      const find = this.db.prepare(
        `SELECT ${EMAIL_COLUMN} AS email, id, import_id FROM ${quoteIdent(this.table)}
         WHERE ${EMAIL_COLUMN} IN (SELECT value FROM json_each(?))`,
      );
      for (let i = 0; i < emails.length; i += FIND_CHUNK) {
        const rows = find.all(JSON.stringify(emails.slice(i, i + FIND_CHUNK))) as { email: string; id: number; import_id: string | null }[];
        for (const row of rows) found.set(row.email, { id: Number(row.id), importId: row.import_id });
      }
    } catch (error) {
      throw this.failure(`cannot look up contacts in table ${this.table} of ${this.file}`, error);
    }
    return found;
  }

  async listImports(options: { limit?: number } = {}): Promise<ImportRun[]> {
    this.usable();
    try {
      const rows = this.db
        .prepare('SELECT * FROM contact_imports ORDER BY started_at DESC, id DESC LIMIT ?')
        .all(options.limit ?? -1) as Row[];
      return rows.map(importRunFromRow);
    } catch (error) {
      throw this.failure(`cannot read contact_imports in ${this.file}`, error);
    }
  }

  async getImport(importId: string): Promise<ImportRun | null> {
    this.usable();
    try {
      return this.readRun(importId);
    } catch (error) {
      throw this.failure(`cannot read contact_imports in ${this.file}`, error);
    }
  }

  async undoImport(importId: string, options: UndoOptions = {}): Promise<UndoResult> {
    this.usable();
    const undo = this.db.transaction((): UndoResult => {
      const run = this.readRun(importId);
      if (!run) throw importNotFoundError(importId, this.file);
      if (run.status === 'undone') throw alreadyUndoneError(run);
      if (run.status === 'running' && ownerIsAlive(run.owner, run.heartbeatAt)) throw undoLockedError(run);
      const table = checkTableName(run.table ?? this.table);
      const result: UndoResult = { importId, table, deleted: 0, restored: 0, conflicts: 0 };
      if (this.tableExists(table)) {
        const t = quoteIdent(table);
        result.conflicts = (
          this.db
            .prepare(
              `SELECT count(*) AS n FROM (
                 SELECT t.id FROM ${t} AS t
                   LEFT JOIN contact_import_changes AS c ON c.import_id = ? AND c.contact_id = t.id
                 WHERE t.import_id = ? AND t.updated_at IS NOT COALESCE(c.after_updated_at, t.created_at)
                 UNION ALL
                 SELECT t.id FROM contact_import_changes AS c JOIN ${t} AS t ON t.id = c.contact_id
                 WHERE c.import_id = ? AND t.import_id IS NOT ? AND t.updated_at IS NOT c.after_updated_at
               )`,
            )
            .get(importId, importId, importId, importId) as { n: number }
        ).n;
        if (result.conflicts > 0 && !options.force) throw undoConflictError(run, result.conflicts);
        const sets = BEFORE_IMAGE_COLUMNS.map((column) => `${quoteIdent(column)} = json_extract(c.before, '$.${column}')`);
        result.restored = this.db
          .prepare(
            `UPDATE ${t} AS t SET ${sets.join(', ')}
             FROM contact_import_changes AS c
             WHERE c.import_id = ? AND c.contact_id = t.id AND t.import_id IS NOT ?`,
          )
          .run(importId, importId).changes;
        result.deleted = this.db.prepare(`DELETE FROM ${t} WHERE import_id = ?`).run(importId).changes;
      }
      this.db.prepare('DELETE FROM contact_import_changes WHERE import_id = ?').run(importId);
      this.db.prepare("UPDATE contact_imports SET status = 'undone', undone_at = ? WHERE id = ?").run(nowIso(), importId);
      return result;
    });
    try {
      return undo.immediate();
    } catch (error) {
      throw this.failure(`cannot undo import ${importId} in ${this.file}`, error);
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

  private readRun(importId: string): ImportRun | null {
    const row = this.db.prepare('SELECT * FROM contact_imports WHERE id = ?').get(importId) as Row | undefined;
    return row ? importRunFromRow(row) : null;
  }

  private tableExists(table: string): boolean {
    return this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE").get(table) !== undefined;
  }

  private prepareStatements(): Statements {
    const t = quoteIdent(this.table);
    const columns = OTHER_FIELDS.map((f) => quoteIdent(f.column));
    // COALESCE keeps the stored value wherever the incoming field is empty (bound as NULL).
    const sets = OTHER_FIELDS.map((f) => `${quoteIdent(f.column)} = COALESCE(?, ${quoteIdent(f.column)})`);
    const image = BEFORE_IMAGE_COLUMNS.map((column) => `'${column}', ${quoteIdent(column)}`);
    // Measured (100k rows): a SELECT by email then a plain INSERT beats one
    // INSERT … ON CONFLICT DO NOTHING RETURNING id, for new and for existing emails alike.
    const insert = `INSERT INTO ${t} (${EMAIL_COLUMN}, ${columns.join(', ')}, import_id, created_at, updated_at)
      VALUES (?, ${columns.map(() => '?').join(', ')}, ?, ?, ?)`;
    this.statements = {
      findId: this.db.prepare<[string], number>(`SELECT id FROM ${t} WHERE ${EMAIL_COLUMN} = ?`).pluck(),
      insert: this.db.prepare<[Value[]]>(insert),
      insertReturning: idIsRowid(this.db, this.table) ? undefined : this.db.prepare<[Value[]], number>(`${insert} RETURNING id`).pluck(),
      // The first image an import keeps of a contact wins; after_updated_at follows its last write.
      capture: this.db.prepare<[Value[]]>(
        `INSERT INTO contact_import_changes (import_id, contact_id, before, after_updated_at)
         SELECT ?, id, json_object(${image.join(', ')}), ? FROM ${t} WHERE id = ?
         ON CONFLICT (import_id, contact_id) DO UPDATE SET after_updated_at = excluded.after_updated_at`,
      ),
      update: this.db.prepare<[Value[]]>(`UPDATE ${t} SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`),
      checkpoint: this.db.prepare<[Value[]]>(
        `UPDATE contact_imports SET rows_done = ?, imported = ?, updated = ?, skipped = ?, invalid = ?,
           duplicates = ?, excluded = ?, heartbeat_at = ?
         WHERE id = ? AND status = 'running'`,
      ),
      count: this.db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${t}`),
    };
    return this.statements;
  }

  private prepareWrite(): Database.Transaction<WriteTransaction> {
    const { findId, insert, insertReturning, capture, update, checkpoint } = this.statements ?? this.prepareStatements();
    const fieldCount = OTHER_FIELDS.length;
    this.writeTransaction = this.db.transaction((batch: ContactToWrite[], options: WriteBatchOptions, now: string) => {
      const { importId } = options;
      const overwrite = options.onDuplicate === 'update';
      const written: WrittenRow[] = new Array(batch.length);
      // Bound as arrays, reused row after row: email, the other fields, import_id, created_at,
      // updated_at for an insert; the other fields, updated_at, id for an update.
      const inserted: Value[] = new Array(fieldCount + 4);
      const updated: Value[] = new Array(fieldCount + 2);
      const image: Value[] = [importId, now, null];
      for (let i = 0; i < batch.length; i++) {
        const contact = batch[i]!.contact;
        const existing = findId.get(contact.email);
        if (existing === undefined) {
          inserted[0] = contact.email;
          fillFields(inserted, 1, contact);
          if (inserted[1 + FIRST_NAME] === null) inserted[1 + FIRST_NAME] = '';
          inserted[fieldCount + 1] = importId;
          inserted[fieldCount + 2] = now;
          inserted[fieldCount + 3] = now;
          const id = insertReturning ? insertReturning.get(inserted)! : Number(insert.run(inserted).lastInsertRowid);
          written[i] = { outcome: 'inserted', id };
        } else if (overwrite) {
          image[2] = existing;
          capture.run(image);
          fillFields(updated, 0, contact);
          updated[fieldCount] = now;
          updated[fieldCount + 1] = existing;
          update.run(updated);
          written[i] = { outcome: 'updated', id: existing };
        } else {
          written[i] = { outcome: 'existing', id: null };
        }
      }
      if (options.checkpoint) {
        const counts = options.checkpoint(written);
        const changes = checkpoint.run([
          counts.totalRows, counts.imported, counts.updated, counts.skipped, counts.invalid,
          counts.duplicates, counts.excluded, now, importId,
        ]).changes;
        if (changes === 0) throw notRunningError(importId);
      }
      return written;
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

/** Whether a table's id column is its rowid (INTEGER PRIMARY KEY), so lastInsertRowid is the id. */
function idIsRowid(db: Db, table: string): boolean {
  const keys = (db.prepare('SELECT name, type, pk FROM pragma_table_info(?) WHERE pk > 0').all(table) as { name: string; type: string; pk: number }[]);
  return keys.length === 1 && keys[0]!.name.toLowerCase() === 'id' && keys[0]!.type.toUpperCase() === 'INTEGER';
}

/** Writes the optional fields (non-empty text, else NULL) into `values` from `at` on, in OTHER_FIELDS order. */
function fillFields(values: Value[], at: number, contact: Contact): void {
  for (let f = 0; f < OTHER_FIELDS.length; f++) values[at + f] = text(contact[OTHER_FIELDS[f]!.key as FieldKey]);
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
