import type { Contact, ImportCounts, OnDuplicate } from '../types.js';

export type { ImportCounts };

export type ImportStatus = 'running' | 'completed' | 'failed' | 'interrupted';

export interface ImportRunStart {
  importId: string;
  fileId: string;
  fileName: string;
  totalRows: number;
  mapping: Record<string, string>;
}

export interface ContactToWrite {
  /** 1-based data row, for reporting. */
  row: number;
  contact: Contact;
}

/** What happened to each contact of a batch, in the batch's order. */
export type WriteOutcome = 'inserted' | 'updated' | 'existing';

/** Where contacts go: SQLite by default, PostgreSQL later; one small interface for both. */
export interface ContactStore {
  readonly engine: 'sqlite' | 'postgres';
  /** Creates or migrates the schema (contacts table, contact_imports). Idempotent. */
  ensureSchema(): Promise<void>;
  /** Records a run as 'running' in contact_imports. */
  startImport(run: ImportRunStart): Promise<void>;
  /**
   * Writes one batch in one transaction. With 'skip', an email already in the table is left
   * alone ('existing'); with 'update', its non-empty fields are overwritten ('updated').
   */
  writeBatch(batch: ContactToWrite[], options: { importId: string; onDuplicate: OnDuplicate }): Promise<WriteOutcome[]>;
  /** Records the final status and counts of a run. */
  finishImport(importId: string, status: ImportStatus, counts: ImportCounts): Promise<void>;
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
}
