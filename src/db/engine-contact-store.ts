import type { ImportCounts } from '../types.js';
import type {
  ContactStore,
  ContactToWrite,
  ImportRun,
  ImportRunStart,
  ImportStatus,
  RunClaim,
  UndoOptions,
  UndoResult,
  WriteBatchOptions,
  WrittenRow,
} from './contact-store.js';
import type { Engine } from './engine.js';
import { ImportRuns } from './import-runs.js';
import { quoteIdent } from './table-name.js';

/** Emails per findContacts query. */
const FIND_CHUNK = 5000;

/** The contacts store over any engine: the engine writes contacts, ImportRuns keeps the run record. */
export class EngineContactStore implements ContactStore {
  readonly engine: 'sqlite' | 'postgres';
  private readonly db: Engine;
  private readonly runs: ImportRuns;

  constructor(db: Engine) {
    this.db = db;
    this.engine = db.name;
    this.runs = new ImportRuns(db);
  }

  get table(): string {
    return this.db.table;
  }

  /** Where the database is, for messages (never with a password). */
  get where(): string {
    return this.db.where;
  }

  /** PostgreSQL: the schema the tables live in, known once the schema is ensured. */
  get schema(): string | undefined {
    return this.db.schema;
  }

  async ensureSchema(): Promise<void> {
    this.db.usable();
    await this.db.ensureSchema();
  }

  async claimRun(start: ImportRunStart): Promise<RunClaim> {
    this.db.usable();
    return this.runs.claim(start);
  }

  async writeBatch(batch: ContactToWrite[], options: WriteBatchOptions): Promise<WrittenRow[]> {
    this.db.usable();
    if (batch.length === 0) return [];
    const { importId, checkpoint } = options;
    return this.db.writeBatch(
      batch,
      options,
      checkpoint && ((written, now) => this.runs.checkpoint(importId, checkpoint(written), now)),
    );
  }

  async finishImport(importId: string, status: ImportStatus, counts: ImportCounts): Promise<void> {
    this.db.usable();
    await this.runs.finish(importId, status, counts);
  }

  async findContacts(emails: string[]): Promise<Map<string, { id: number; importId: string | null }>> {
    this.db.usable();
    const found = new Map<string, { id: number; importId: string | null }>();
    const { oneOf, list } = this.db.dialect;
    try {
      for (let i = 0; i < emails.length; i += FIND_CHUNK) {
        const rows = await this.db.all(
          `SELECT email, id, import_id FROM ${this.db.qualified(this.db.table)} WHERE ${oneOf(quoteIdent('email'))}`,
          [list(emails.slice(i, i + FIND_CHUNK))],
        );
        for (const row of rows) found.set(String(row.email), { id: Number(row.id), importId: row.import_id === null ? null : String(row.import_id) });
      }
    } catch (error) {
      throw this.db.failure(`cannot look up contacts in table ${this.db.qualified(this.db.table, false)} of ${this.db.where}`, error);
    }
    return found;
  }

  async listImports(options: { limit?: number } = {}): Promise<ImportRun[]> {
    this.db.usable();
    try {
      return await this.runs.list(options.limit);
    } catch (error) {
      throw this.db.failure(`cannot read ${this.db.qualified('contact_imports', false)} in ${this.db.where}`, error);
    }
  }

  async getImport(importId: string): Promise<ImportRun | null> {
    this.db.usable();
    try {
      return await this.runs.get(importId);
    } catch (error) {
      throw this.db.failure(`cannot read ${this.db.qualified('contact_imports', false)} in ${this.db.where}`, error);
    }
  }

  async undoImport(importId: string, options: UndoOptions = {}): Promise<UndoResult> {
    this.db.usable();
    return this.runs.undo(importId, options);
  }

  /** Rows in the contacts table; in a dry run this includes the uncommitted work. */
  async countContacts(): Promise<number> {
    this.db.usable();
    return this.db.countContacts();
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
