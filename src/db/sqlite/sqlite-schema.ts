import { ImportError } from '../../errors.js';
import { quoteIdent } from '../table-name.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { inTransaction } from './sqlite-transaction.js';

type Db = SqliteDatabase;

interface Migration {
  version: number;
  description: string;
  up(db: Db, table: string): void;
}

/**
 * Columns that make a table a contacts table, checked before adopting an existing one: the
 * ones version 1 creates, which must include every SYSTEM_FIELDS column the store writes.
 */
export const CONTACT_COLUMNS: readonly string[] = [
  'id', 'email', 'first_name', 'last_name', 'phone', 'company', 'title', 'address', 'city',
  'state', 'country', 'zip_code', 'notes', 'import_id', 'created_at', 'updated_at',
];

/** Version 1's columns: later ones are added by the migrations, so a v1 log is adopted. */
const IMPORT_COLUMNS: readonly string[] = [
  'id', 'file_id', 'file_name', 'status', 'started_at', 'finished_at', 'total_rows',
  'imported', 'updated', 'skipped', 'invalid', 'duplicates', 'excluded', 'mapping',
];

const CHANGE_COLUMNS: readonly string[] = ['import_id', 'contact_id', 'before', 'after_updated_at'];

/**
 * Append-only: a released migration never changes; new columns or indexes get a new version.
 * Versions are recorded per contacts table, since one database may hold several of them.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'contacts table and contact_imports',
    up(db, table) {
      // Spelled out, not derived from SYSTEM_FIELDS: a released migration must never change.
      const t = quoteIdent(table);
      db.exec(`
CREATE TABLE IF NOT EXISTS ${t} (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL UNIQUE,
  first_name TEXT NOT NULL,
  last_name TEXT,
  phone TEXT,
  company TEXT,
  title TEXT,
  address TEXT,
  city TEXT,
  state TEXT,
  country TEXT,
  zip_code TEXT,
  notes TEXT,
  import_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ${quoteIdent(`${table}_import_id_idx`)} ON ${t} (import_id);
CREATE TABLE IF NOT EXISTS contact_imports (
  id TEXT PRIMARY KEY,
  file_id TEXT,
  file_name TEXT,
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  total_rows INTEGER,
  imported INTEGER,
  updated INTEGER,
  skipped INTEGER,
  invalid INTEGER,
  duplicates INTEGER,
  excluded INTEGER,
  mapping TEXT
);`);
    },
  },
  {
    version: 2,
    description: 'resumable runs (checkpoint, owner, heartbeat) and before-images for undo',
    // contact_imports and contact_import_changes are shared by every contacts table in the
    // file, so this runs once per table: every statement must be a no-op the second time.
    up(db) {
      addMissingColumns(db, 'contact_imports', [
        ['table_name', 'TEXT'],
        ['file_sha256', 'TEXT'],
        ['resume_key', 'TEXT'],
        ['rows_done', 'INTEGER NOT NULL DEFAULT 0'],
        ['owner', 'TEXT'],
        ['heartbeat_at', 'TEXT'],
        ['undone_at', 'TEXT'],
      ]);
      db.exec(`
CREATE INDEX IF NOT EXISTS contact_imports_table_file_id_idx ON contact_imports (table_name, file_id);
CREATE INDEX IF NOT EXISTS contact_imports_table_file_sha256_idx ON contact_imports (table_name, file_sha256);
CREATE TABLE IF NOT EXISTS contact_import_changes (
  import_id TEXT NOT NULL,
  contact_id INTEGER NOT NULL,
  before TEXT NOT NULL,
  after_updated_at TEXT,
  PRIMARY KEY (import_id, contact_id)
);
-- Version 1 recorded the rows accounted for in total_rows when a run ended.
UPDATE contact_imports SET rows_done = COALESCE(total_rows, 0)
  WHERE table_name IS NULL AND finished_at IS NOT NULL AND rows_done = 0;`);
    },
  },
];

type Hint = { hint: string; options: string[] };
const ANOTHER_DATABASE: Hint = { hint: 'use another database', options: ['database'] };
const ANOTHER_TABLE: Hint = { hint: 'choose another table', options: ['table'] };

/** The newest schema version this build knows. */
export const SQLITE_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the schema for one contacts table up to SQLITE_SCHEMA_VERSION, all in one
 * transaction (a savepoint when one is already open, as in a dry run). Idempotent, and safe
 * when two processes race: BEGIN IMMEDIATE makes the second wait, then see the work done.
 */
export function ensureSqliteSchema(db: Db, table: string): void {
  inTransaction(db, () => {
    db.exec(`CREATE TABLE IF NOT EXISTS contact_import_migrations (
  table_name TEXT NOT NULL,
  version INTEGER NOT NULL,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (table_name, version)
)`);
    checkTable(db, 'contact_imports', IMPORT_COLUMNS, ANOTHER_DATABASE);
    checkTable(db, 'contact_import_changes', CHANGE_COLUMNS, ANOTHER_DATABASE);
    const exists = checkTable(db, table, CONTACT_COLUMNS, ANOTHER_TABLE);
    if (!exists) {
      // The table was dropped after it was migrated: start again from version 1.
      db.prepare('DELETE FROM contact_import_migrations WHERE table_name = ?').run(table);
    }
    const current = appliedVersion(db, table);
    const record = db.prepare('INSERT INTO contact_import_migrations (table_name, version, applied_at) VALUES (?, ?, ?)');
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      migration.up(db, table);
      record.run(table, migration.version, new Date().toISOString());
    }
  });
}

/** The highest migration version recorded for a contacts table (0 when none). */
export function sqliteSchemaVersion(db: Db, table: string): number {
  const known = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'contact_import_migrations'")
    .get();
  return known ? appliedVersion(db, table) : 0;
}

function appliedVersion(db: Db, table: string): number {
  const row = db
    .prepare('SELECT MAX(version) AS version FROM contact_import_migrations WHERE table_name = ?')
    .get(table) as { version: number | null };
  return row.version ?? 0;
}

/** ALTER TABLE … ADD COLUMN for the columns not there yet (SQLite has no IF NOT EXISTS for it). */
function addMissingColumns(db: Db, table: string, columns: readonly (readonly [string, string])[]): void {
  const present = new Set((db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name.toLowerCase()));
  for (const [name, type] of columns) {
    if (!present.has(name)) db.exec(`ALTER TABLE ${quoteIdent(table)} ADD COLUMN ${quoteIdent(name)} ${type}`);
  }
}

/**
 * False when the table does not exist; true when it exists with every required column; a
 * USAGE error when something else (a view, an unrelated table) already has the name.
 */
function checkTable(db: Db, table: string, required: readonly string[], hint: Hint): boolean {
  const object = db
    .prepare("SELECT type FROM sqlite_master WHERE name = ? COLLATE NOCASE AND type IN ('table', 'view')")
    .get(table) as { type: string } | undefined;
  if (!object) return false;
  if (object.type !== 'table') {
    throw new ImportError('USAGE', `"${table}" exists but is a ${object.type}, not a contacts table`, hint);
  }
  const present = new Set(
    (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) =>
      c.name.toLowerCase(),
    ),
  );
  const missing = required.filter((column) => !present.has(column));
  if (missing.length > 0) {
    const kind = table === 'contact_imports' ? 'an import log' : table === 'contact_import_changes' ? 'an undo log' : 'a contacts table';
    throw new ImportError(
      'USAGE',
      `table "${table}" exists but is not ${kind} (missing columns: ${missing.join(', ')})`,
      hint,
    );
  }
  return true;
}
