import type { Contact } from '../contacts/fields.js';
import type { ImportCounts, OnDuplicate } from '../types.js';

export type { ImportCounts };

export type ImportStatus = 'running' | 'completed' | 'failed' | 'interrupted' | 'undone';

/** What an import asks for when it starts: a new run, or the unfinished one it continues. */
export interface ImportRunStart {
  /** The id a new run gets; a resumed run keeps its own. */
  importId: string;
  fileId: string;
  fileName: string;
  /** SHA-256 of the file's bytes when known: `run` re-uploads, so the fileId alone cannot match. */
  fileSha256?: string;
  /** Data rows in the file, from the analysis. */
  totalRows: number;
  mapping: Record<string, string>;
  /**
   * Digest of everything that decides each row's outcome (mapping, onDuplicate, excludeRows,
   * defaultCountry): a run is only resumed under the same key.
   */
  resumeKey: string;
}

/** One row of contact_imports: its counts are ImportCounts', with rowsDone as the rows they cover. */
export interface ImportRun extends Omit<ImportCounts, 'totalRows'> {
  importId: string;
  fileId: string | null;
  fileName: string | null;
  fileSha256: string | null;
  /** The contacts table it wrote to (null for runs recorded before schema version 2). */
  table: string | null;
  status: ImportStatus;
  /** ISO 8601. */
  startedAt: string;
  finishedAt: string | null;
  /** Data rows in the file. */
  totalRows: number;
  /** Rows of the file accounted for by the counts: the checkpoint. */
  rowsDone: number;
  mapping: Record<string, string>;
  resumeKey: string | null;
  /** `host:pid` of the process that last ran it. */
  owner: string | null;
  /** When the owner last committed a checkpoint (ISO 8601). */
  heartbeatAt: string | null;
  undoneAt: string | null;
}

/**
 * - new: a fresh run was recorded as 'running'.
 * - resume: an unfinished run of the same file with the same resumeKey was taken over; its
 *   rowsDone and counts are the checkpoint to continue from.
 * - completed: this fileId was already imported into this table (the process died after
 *   committing the end but before clearing the session); nothing to do.
 */
export type RunClaim =
  | { kind: 'new'; run: ImportRun }
  | { kind: 'resume'; run: ImportRun }
  | { kind: 'completed'; run: ImportRun };

export interface ContactToWrite {
  /** 1-based data row, for reporting. */
  row: number;
  contact: Contact;
}

/** What happened to each contact of a batch, in the batch's order. */
export type WriteOutcome = 'inserted' | 'updated' | 'existing';

export interface WrittenRow {
  outcome: WriteOutcome;
  /** The contact's id for 'inserted' and 'updated'; null for 'existing'. */
  id: number | null;
}

export interface WriteBatchOptions {
  importId: string;
  onDuplicate: OnDuplicate;
  /**
   * Called inside the batch's transaction with its outcomes; the counts it returns (totalRows
   * = rows of the file accounted for) are written to the run's contact_imports row in that
   * same transaction, so the checkpoint and the contacts it covers commit together.
   */
  checkpoint?: (written: WrittenRow[]) => ImportCounts;
}

export interface UndoOptions {
  /** Undo even when contacts the import wrote were changed afterwards. */
  force?: boolean;
}

export interface UndoResult {
  importId: string;
  table: string;
  /** Contacts the import had created, now deleted. */
  deleted: number;
  /** Contacts the import had updated, now back to their earlier values. */
  restored: number;
  /** Contacts changed after the import (only with force; otherwise undo refuses). */
  conflicts: number;
}

/**
 * Where contacts go: SQLite or PostgreSQL, one small interface for both (EngineContactStore:
 * the run record over an Engine, see engine.ts).
 */
export interface ContactStore {
  readonly engine: 'sqlite' | 'postgres';
  /** Creates or migrates the schema (contacts table, contact_imports, contact_import_changes). Idempotent. */
  ensureSchema(): Promise<void>;
  /**
   * Starts or resumes a run, atomically. Refuses with LOCKED while another live process runs
   * an import of the same file (same fileSha256, else same fileId) into the same table; on
   * PostgreSQL it holds an advisory lock on that file and table until close(). Refuses with
   * USAGE when an unfinished run of the same file has another resumeKey.
   */
  claimRun(start: ImportRunStart): Promise<RunClaim>;
  /**
   * Writes one batch in one transaction (BEGIN IMMEDIATE on SQLite). With 'skip', an email
   * already in the table is left alone ('existing'); with 'update', its non-empty fields are
   * overwritten ('updated') and its earlier values kept in contact_import_changes for undo.
   */
  writeBatch(batch: ContactToWrite[], options: WriteBatchOptions): Promise<WrittenRow[]>;
  /** Records the final status and counts of a run (rowsDone = counts.totalRows). */
  finishImport(importId: string, status: ImportStatus, counts: ImportCounts): Promise<void>;
  /** Id and importing run of each of these (normalized) emails found in the table. */
  findContacts(emails: string[]): Promise<Map<string, { id: number; importId: string | null }>>;
  /** Runs, newest first. */
  listImports(options?: { limit?: number }): Promise<ImportRun[]>;
  getImport(importId: string): Promise<ImportRun | null>;
  /**
   * Deletes the contacts a run created and restores the ones it updated, in one transaction,
   * then marks it 'undone'. NOT_FOUND for an unknown id, USAGE when already undone, LOCKED
   * while it runs, CONFLICT when contacts it wrote changed since (unless force).
   */
  undoImport(importId: string, options?: UndoOptions): Promise<UndoResult>;
  close(): Promise<void>;
}

export interface ContactStoreOptions {
  /** Contacts table name; validated as a plain SQL identifier. Default 'contacts'. */
  table?: string;
  /**
   * PostgreSQL schema holding the tables, created if missing; default the URL's ?schema=,
   * else the first existing schema on the search_path. SQLite has no schemas.
   */
  schema?: string;
  /**
   * Everything happens inside one transaction that close() rolls back: counts are real,
   * nothing is committed.
   */
  dryRun?: boolean;
  /**
   * SQLite, for a database file the tool opens: batches of at least this many rows (default
   * 1000) are written on a worker thread with its own connection, while the calling thread
   * reads and checks the next rows; 0 sends every batch there, Infinity none. A dry run, an
   * in-memory database and one handed in are always written on the calling thread.
   */
  writerThreadMinRows?: number;
  /** PostgreSQL: how long to wait for the server to accept the connection (default 5 s; a Context takes PGCONNECT_TIMEOUT). */
  connectTimeoutMs?: number;
  /**
   * PostgreSQL, for a URL: the session's statement_timeout (default 60 s; a Context takes
   * PG_STATEMENT_TIMEOUT_MS). A server that does not answer at all is given up a few seconds
   * later and the connection dropped. A pool or client handed in keeps its own settings.
   */
  statementTimeoutMs?: number;
  /** PostgreSQL, for a URL: the session's lock_timeout (default 30 s; a Context takes PG_LOCK_TIMEOUT_MS). */
  lockTimeoutMs?: number;
}
