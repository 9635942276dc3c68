import { ImportError } from '../../errors.js';
import type { ContactStoreOptions, ContactToWrite, WrittenRow } from '../contact-store.js';
import { rowsOf, type BatchOptions, type Engine, type InsideBatch, type Row, type SqlValue } from '../engine.js';
import { checkSchemaName, checkTableName, quoteIdent } from '../table-name.js';
import { connectPostgres, endQuietly, type PostgresConnection, type PostgresSource } from './connect-postgres.js';
import type { PgClient } from './pg-client.js';
import { CREATE_STAGING, MissedBeforeImage, PostgresBatchWriter, copyLineRow } from './postgres-batch-writer.js';
import { numberedPlaceholders, POSTGRES_DIALECT } from './postgres-dialect.js';
import { isConnectionLost, isRetryableConflict, postgresFailure } from './postgres-failure.js';
import { PostgresRunLocks } from './postgres-run-locks.js';
import { ensurePostgresSchema } from './postgres-schema.js';

/** A batch that deadlocks with another import's is rolled back and tried again, this many times in all. */
const MAX_ATTEMPTS = 4;

/**
 * Contacts in PostgreSQL through one node-postgres connection: each batch in its own
 * transaction (a savepoint inside the single rolled-back transaction of a dry run).
 */
export class PostgresEngine implements Engine {
  readonly name = 'postgres' as const;
  readonly dialect = POSTGRES_DIALECT;
  readonly locks: PostgresRunLocks;
  private readonly client: PgClient;
  private schemaName: string | undefined;
  private writer: PostgresBatchWriter | undefined;
  private readonly sql = new Map<string, string>();
  /** Set when the server or network dropped the connection; nothing more can be sent. */
  private lost: Error | undefined;
  /** Set when a dry run's outer transaction could not be restored after a failed batch. */
  private broken = false;
  private closed = false;

  private constructor(
    private readonly connection: PostgresConnection,
    readonly table: string,
    schema: string | undefined,
    readonly dryRun: boolean,
  ) {
    this.client = connection.client;
    this.schemaName = schema;
    this.locks = new PostgresRunLocks(this.client, () => this.schemaName ?? 'public');
    // An idle connection that dies emits 'error'; unhandled, it would crash the process.
    this.client.on('error', (error) => {
      this.lost ??= error;
    });
  }

  /** user@host:port/database, for messages: never the URL, which may hold a password. */
  get where(): string {
    return this.connection.where;
  }

  /**
   * Connects to a URL, borrows a client from a pool, or connects the client a function makes.
   * Parts a URL leaves out come from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE,
   * PGOPTIONS (node-postgres reads them). The schema is options.schema, else the URL's
   * ?schema=, else the first existing one on the search_path; names are folded to lower case,
   * as PostgreSQL does with unquoted identifiers.
   */
  static async open(source: PostgresSource, options: ContactStoreOptions = {}): Promise<PostgresEngine> {
    const table = checkTableName(options.table ?? 'contacts').toLowerCase();
    const connection = await connectPostgres(source, options);
    const requested = options.schema ?? connection.schema;
    const engine = new PostgresEngine(connection, table, requested && checkSchemaName(requested).toLowerCase(), options.dryRun === true);
    try {
      if (engine.dryRun) await engine.client.query('BEGIN');
    } catch (error) {
      await endQuietly(connection);
      throw postgresFailure(engine.lost ?? error, `cannot connect to PostgreSQL at ${engine.where}`);
    }
    return engine;
  }

  get schema(): string | undefined {
    return this.schemaName;
  }

  async ensureSchema(): Promise<void> {
    try {
      const schema = this.schemaName ?? (await this.searchPathSchema());
      await this.transaction(() => ensurePostgresSchema(this.client, schema, this.table));
      this.schemaName = schema;
      if (!this.writer) {
        await this.client.query(CREATE_STAGING);
        this.writer = new PostgresBatchWriter(this.client, this.qualified(this.table), this.qualified('contact_import_changes'), this.dryRun);
      }
    } catch (error) {
      throw this.failure(`cannot create the contacts schema at ${this.where}`, error);
    }
  }

  qualified(table: string, quoted = true): string {
    const schema = this.schemaName ?? 'public';
    return quoted ? `${quoteIdent(schema)}.${quoteIdent(table)}` : `${schema}.${table}`;
  }

  tableName(name: string): string {
    return checkTableName(name).toLowerCase();
  }

  async tableExists(table: string): Promise<boolean> {
    const [row] = await this.all('SELECT to_regclass(?) IS NOT NULL AS found', [this.qualified(table)]);
    return row?.found === true;
  }

  async all(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return (await this.client.query(this.numbered(sql), params)).rows;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.client.query(this.numbered(sql), params)).rowCount ?? 0;
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    const savepoint = this.dryRun;
    await this.client.query(savepoint ? 'SAVEPOINT contact_import_batch' : 'BEGIN');
    try {
      const result = await work();
      await this.client.query(savepoint ? 'RELEASE SAVEPOINT contact_import_batch' : 'COMMIT');
      return result;
    } catch (error) {
      if (!this.lost && !isConnectionLost(error)) {
        try {
          await this.client.query(savepoint ? 'ROLLBACK TO SAVEPOINT contact_import_batch; RELEASE SAVEPOINT contact_import_batch' : 'ROLLBACK');
        } catch {
          if (savepoint) this.broken = true;
        }
      }
      throw error;
    }
  }

  async writeBatch(batch: ContactToWrite[], options: BatchOptions, inside?: InsideBatch): Promise<WrittenRow[]> {
    const writer = this.requireWriter();
    const encoded = PostgresBatchWriter.encode(batch);
    const now = new Date().toISOString();
    for (let attempt = 1; ; attempt++) {
      // Retried only while `inside` (the checkpoint) has not run: it runs once per committed batch.
      let checkpointed = false;
      try {
        return await this.transaction(async () => {
          const written = await writer.write(batch, encoded, options, now);
          checkpointed = true;
          await inside?.(written, now);
          return written;
        });
      } catch (error) {
        const retry = error instanceof MissedBeforeImage || isRetryableConflict(error);
        if (retry && !checkpointed && attempt < MAX_ATTEMPTS && !this.lost && !this.broken) {
          await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50 * attempt));
          continue;
        }
        const context = `cannot write contacts (${rowsOf(batch)}) to table ${this.qualified(this.table, false)} at ${this.where}`;
        throw postgresFailure(this.lost ?? error, context, { row: copyLineRow(error, batch) });
      }
    }
  }

  async countContacts(): Promise<number> {
    this.requireWriter();
    try {
      const [row] = await this.all(`SELECT count(*)::int AS n FROM ${this.qualified(this.table)}`);
      return Number(row!.n);
    } catch (error) {
      throw this.failure(`cannot count the contacts in ${this.qualified(this.table, false)}`, error);
    }
  }

  usable(): void {
    if (this.closed) throw new ImportError('INTERNAL', `the PostgreSQL connection to ${this.where} is already closed`);
    if (this.lost) throw this.failure(`cannot use the PostgreSQL connection to ${this.where}`, this.lost);
    if (this.broken) {
      throw new ImportError('IO', `the dry-run transaction on ${this.where} was lost`, {
        hint: 'nothing was written; fix the earlier error and run the dry run again',
      });
    }
  }

  failure(context: string, error: unknown): ImportError {
    return postgresFailure(this.lost ?? error, context);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.dryRun && !this.lost) await this.client.query('ROLLBACK');
    } catch {
      // Ending the session below rolls back whatever is still open anyway.
    } finally {
      await endQuietly(this.connection, this.lost);
    }
  }

  private numbered(sql: string): string {
    let numbered = this.sql.get(sql);
    if (numbered === undefined) this.sql.set(sql, (numbered = numberedPlaceholders(sql)));
    return numbered;
  }

  private async searchPathSchema(): Promise<string> {
    const result = await this.client.query<{ schema: string | null; path: string }>('SELECT current_schema() AS schema, current_setting($1) AS path', ['search_path']);
    const { schema, path } = result.rows[0]!;
    if (!schema) {
      throw new ImportError('USAGE', `no schema to create the contacts table in: search_path "${path}" names no existing schema`, {
        hint: 'set schema to the one to use (it is created if missing), or name it in the URL',
        options: ['schema'],
      });
    }
    return schema;
  }

  private requireWriter(): PostgresBatchWriter {
    if (!this.writer) throw new ImportError('INTERNAL', 'ensureSchema() must run before the store is used');
    return this.writer;
  }
}
