import type { ImportError } from '../errors.js';
import type { OnDuplicate } from '../types.js';
import type { ContactStoreOptions, ContactToWrite, ImportRun, WrittenRow } from './contact-store.js';

export type Row = Record<string, unknown>;
/** What the engines bind: text, numbers, NULL, and a list of texts (for `oneOf`). */
export type SqlValue = string | number | null | readonly string[];

/**
 * The SQL the import-run record writes once, where SQLite and PostgreSQL spell it differently.
 * Statements use `?` placeholders on both engines (PostgreSQL's turns them into `$1…`).
 */
export interface SqlDialect {
  /** `a IS NOT b` / `a IS DISTINCT FROM b`: unequal, NULL-safe. */
  distinct(a: string, b: string): string;
  /** A timestamp column of a contacts table, comparable with the tool's own (an adopted table may store text). */
  time(column: string): string;
  /** `column` is one of the texts bound as one parameter (built by `list`). */
  oneOf(column: string): string;
  list(values: readonly string[]): SqlValue;
  /** Appended to a SELECT that claim and undo read inside their transaction: row locks where there are any. */
  readonly forUpdate: string;
  /** The LIMIT that means "no limit". */
  readonly noLimit: SqlValue;
  /** The UPDATE that writes an import's before-images (contact_import_changes `c`) back into contacts table `t`. */
  restore(t: string, changes: string, columns: readonly string[]): string;
}

/** A held run lock (see RunLocks), given back by undo; a claim keeps its lock until the engine closes. */
export interface RunLock {
  release(): Promise<void>;
}

/**
 * Who may write a run. On SQLite write transactions queue behind each other and a run's owner
 * (host:pid and heartbeat) says whether it lives; PostgreSQL holds an advisory lock per file and
 * table for as long as the importing session lives.
 */
export interface RunLocks {
  /**
   * Takes the lock for imports of a file (`identity`) into a table: at once, or undefined while
   * another session keeps it. `waitMs` waits that long for a holder known to be going away (the
   * session of a process that died, which the server ends as soon as it notices).
   */
  take(table: string, identity: string, waitMs?: number): Promise<RunLock | undefined>;
  /** Whether a 'running' run is still being written, by another process than the one holding `held` (an identity). */
  isLive(run: ImportRun, table: string, held: string): Promise<boolean>;
}

/** What runs inside a batch's transaction once its contacts are written: the run's checkpoint. */
export type InsideBatch = (written: WrittenRow[], now: string) => Promise<void>;

/** "rows 3–7": the data rows a batch covers, for messages. */
export function rowsOf(batch: readonly ContactToWrite[]): string {
  return `rows ${batch[0]!.row}–${batch[batch.length - 1]!.row}`;
}

export interface BatchOptions {
  importId: string;
  onDuplicate: OnDuplicate;
}

/**
 * One database connection for one contacts table: transactions, statements, the contact batch
 * writer and run locks. Everything about runs (contact_imports) is written once over it, in
 * ImportRuns; only what really differs lives in an engine.
 */
export interface Engine {
  readonly name: 'sqlite' | 'postgres';
  /** The contacts table, as the engine names it (PostgreSQL folds it to lower case). */
  readonly table: string;
  /** Where the database is, for messages: a file, or user@host:port/database (never a password). */
  readonly where: string;
  readonly dryRun: boolean;
  /** PostgreSQL: the schema holding the tables, known once ensureSchema() has run. */
  readonly schema?: string;
  readonly dialect: SqlDialect;
  readonly locks: RunLocks;
  /** Creates or migrates the schema (contacts table, contact_imports, contact_import_changes). Idempotent. */
  ensureSchema(): Promise<void>;
  /** A table quoted (and schema-qualified) for SQL, or plain for messages. */
  qualified(table: string, quoted?: boolean): string;
  /** A contacts table named by a run, checked and spelled as this engine stores it. */
  tableName(name: string): string;
  tableExists(table: string): Promise<boolean>;
  all(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs a statement; resolves with the rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** One write transaction (a savepoint inside a dry run's), rolled back when `work` throws. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Writes one batch in its own transaction; `inside` runs in that transaction with the
   * outcomes (the run's checkpoint), so both commit together.
   */
  writeBatch(batch: ContactToWrite[], options: BatchOptions, inside?: InsideBatch): Promise<WrittenRow[]>;
  countContacts(): Promise<number>;
  /** Throws when the connection can no longer be used (closed, lost, or a dry run's transaction gone). */
  usable(): void;
  /** A driver failure as an ImportError, with this engine's hints. */
  failure(context: string, error: unknown): ImportError;
  close(): Promise<void>;
}

/** Makes the engine of one step: given the table, schema and dry run that step asks for. */
export type EngineFactory = (options: ContactStoreOptions) => Engine | Promise<Engine>;
