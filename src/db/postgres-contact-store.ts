import pg from 'pg';
import { textProblem } from '../contacts/text-problem.js';
import { ImportError } from '../errors.js';
import { SYSTEM_FIELDS, type Contact, type OnDuplicate } from '../types.js';
import type {
  ContactStore,
  ContactStoreOptions,
  ContactToWrite,
  ImportCounts,
  ImportRunStart,
  ImportStatus,
  WriteOutcome,
} from './contact-store.js';
import { copyRows, encodeCopyText, type CopyValue } from './copy-rows.js';
import { redactDatabaseUrl } from './redact-database-url.js';
import { isConnectionLost, postgresFailure } from './postgres-failure.js';
import { ensurePostgresSchema } from './postgres-schema.js';
import { parsePostgresUrl } from './postgres-url.js';
import { checkSchemaName, checkTableName, quoteIdent } from './table-name.js';

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
/** Session-private (temporary) table each batch is COPYed into before one set-based INSERT. */
const STAGING = 'pg_temp.contact_import_staging';
const COLUMNS = SYSTEM_FIELDS.map((field) => quoteIdent(field.column));
const OTHER_COLUMNS = SYSTEM_FIELDS.filter((field) => field.key !== 'email').map((field) => quoteIdent(field.column));

interface Statements {
  copy: string;
  skip: string;
  update: string;
  count: string;
}

/**
 * Contacts in PostgreSQL through one node-postgres connection. Each batch is COPYed into a
 * temporary staging table and written by one INSERT … ON CONFLICT (email) statement, in its
 * own transaction (a savepoint inside the single rolled-back transaction of a dry run).
 * Outcomes are the same as SqliteContactStore's, row for row.
 */
export class PostgresContactStore implements ContactStore {
  readonly engine = 'postgres' as const;
  readonly table: string;
  readonly dryRun: boolean;
  /** user@host:port/database, for messages: never the URL, which may hold a password. */
  readonly where: string;
  private readonly client: pg.Client;
  private schemaName: string | undefined;
  private statements: Statements | undefined;
  /** Set when the server or network dropped the connection; nothing more can be sent. */
  private lost: Error | undefined;
  /** Set when a dry run's outer transaction could not be restored after a failed batch. */
  private broken = false;
  private closed = false;

  private constructor(client: pg.Client, table: string, schema: string | undefined, dryRun: boolean) {
    this.client = client;
    this.table = table;
    this.schemaName = schema;
    this.dryRun = dryRun;
    this.where = `${client.user ?? ''}@${client.host}:${client.port}/${client.database ?? ''}`;
    // An idle connection that dies emits 'error'; unhandled, it would crash the process.
    client.on('error', (error) => {
      this.lost ??= error;
    });
  }

  /**
   * Connects (within PGCONNECT_TIMEOUT seconds, else 5 s). Parts the URL leaves out come from
   * PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, PGOPTIONS. The schema is
   * options.schema, else the URL's ?schema=, else the first existing one on the search_path;
   * names are folded to lower case, as PostgreSQL does with unquoted identifiers.
   */
  static async open(url: string, options: ContactStoreOptions = {}): Promise<PostgresContactStore> {
    const table = checkTableName(options.table ?? 'contacts').toLowerCase();
    const target = parsePostgresUrl(url);
    const requested = options.schema ?? target.schema;
    const schema = requested === undefined ? undefined : checkSchemaName(requested).toLowerCase();
    let client: pg.Client;
    try {
      client = new pg.Client({
        connectionString: target.connectionString,
        connectionTimeoutMillis: connectTimeout(),
        keepAlive: true,
        fallback_application_name: 'contact-import',
      });
    } catch (error) {
      // Bad URL syntax, or an sslrootcert/sslcert file that cannot be read.
      throw new ImportError('USAGE', `invalid PostgreSQL URL "${redactDatabaseUrl(url).slice(0, 200)}": ${reason(error)}`, {
        hint: 'use postgres://user@host:5432/database (percent-encode special characters in the password)',
        cause: error,
      });
    }
    const store = new PostgresContactStore(client, table, schema, options.dryRun === true);
    try {
      await client.connect();
      if (store.dryRun) await client.query('BEGIN');
    } catch (error) {
      await endQuietly(client);
      throw postgresFailure(store.lost ?? error, `cannot connect to PostgreSQL at ${store.where}`);
    }
    return store;
  }

  /** The schema the tables live in, known once ensureSchema() has run. */
  get schema(): string | undefined {
    return this.schemaName;
  }

  async ensureSchema(): Promise<void> {
    this.usable();
    try {
      const schema = this.schemaName ?? (await this.searchPathSchema());
      await this.transaction(() => ensurePostgresSchema(this.client, schema, this.table));
      this.schemaName = schema;
      if (!this.statements) {
        // ON COMMIT DELETE ROWS empties it after every real batch; a dry run's batches never
        // commit, so writeBatch also truncates it before it is filled.
        await this.client.query(`CREATE TEMP TABLE IF NOT EXISTS contact_import_staging (
  ord INTEGER NOT NULL,
  round INTEGER NOT NULL,
  ${SYSTEM_FIELDS.map((field) => `${quoteIdent(field.column)} TEXT`).join(',\n  ')}
) ON COMMIT DELETE ROWS`);
        this.statements = this.prepareStatements(schema);
      }
    } catch (error) {
      throw this.failure(`cannot create the contacts schema at ${this.where}`, error);
    }
  }

  async startImport(run: ImportRunStart): Promise<void> {
    this.usable();
    try {
      await this.client.query(
        `INSERT INTO ${this.qualified('contact_imports')} (id, file_id, file_name, status, started_at, finished_at,
           total_rows, imported, updated, skipped, invalid, duplicates, excluded, mapping)
         VALUES ($1, $2, $3, 'running', $4::timestamptz, NULL, $5, 0, 0, 0, 0, 0, 0, $6::jsonb)`,
        [run.importId, run.fileId, run.fileName, nowIso(), run.totalRows, JSON.stringify(run.mapping)],
      );
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
    const statements = this.requireStatements();
    // Refused here, with the row, rather than by the server in the middle of a COPY.
    for (const { row, contact } of batch) checkStorable(row, contact);
    const rounds = splitRounds(batch);
    const data = encodeCopyText(batch.map(({ contact }, i) => stagingRow(contact, i, rounds.roundOf[i]!)));
    const now = nowIso();
    const sql = options.onDuplicate === 'update' ? statements.update : statements.skip;
    try {
      return await this.transaction(async () => {
        if (this.dryRun) await this.client.query(`TRUNCATE ${STAGING}`);
        await copyRows(this.client, statements.copy, data);
        const outcomes = new Array<WriteOutcome>(batch.length).fill('existing');
        // Normally one round; an email repeated within the batch goes in a later round, so it
        // meets its first occurrence as an existing row, exactly as row-by-row writing would.
        for (let round = 0; round < rounds.members.length; round++) {
          const result = await this.client.query<{ email: string; inserted?: boolean }>(sql, [options.importId, now, round]);
          const members = rounds.members[round]!;
          const indexOf = new Map(members.map((i) => [batch[i]!.contact.email, i]));
          for (const returned of result.rows) {
            const i = indexOf.get(returned.email);
            // Only rows the statement wrote come back: the rest were left alone ('existing').
            if (i !== undefined) outcomes[i] = returned.inserted === false ? 'updated' : 'inserted';
          }
        }
        return outcomes;
      });
    } catch (error) {
      const first = batch[0]!.row;
      const last = batch[batch.length - 1]!.row;
      throw this.failure(`cannot write contacts (rows ${first}–${last}) to table ${this.qualified(this.table, false)} at ${this.where}`, error, copyLineRow(error, batch));
    }
  }

  async finishImport(importId: string, status: ImportStatus, counts: ImportCounts): Promise<void> {
    this.usable();
    let changes: number;
    try {
      const result = await this.client.query(
        `UPDATE ${this.qualified('contact_imports')} SET status = $1, finished_at = $2::timestamptz, total_rows = $3,
           imported = $4, updated = $5, skipped = $6, invalid = $7, duplicates = $8, excluded = $9
         WHERE id = $10`,
        [
          status, nowIso(), counts.totalRows, counts.imported, counts.updated,
          counts.skipped, counts.invalid, counts.duplicates, counts.excluded, importId,
        ],
      );
      changes = result.rowCount ?? 0;
    } catch (error) {
      throw this.failure(`cannot record the end of import ${importId} in contact_imports`, error);
    }
    if (changes === 0) {
      throw new ImportError('INTERNAL', `import ${importId} was finished but never started`);
    }
  }

  /** Rows in the contacts table; in a dry run this includes the uncommitted work. */
  async countContacts(): Promise<number> {
    this.usable();
    try {
      const result = await this.client.query<{ n: number }>(this.requireStatements().count);
      return result.rows[0]!.n;
    } catch (error) {
      throw this.failure(`cannot count the contacts in ${this.qualified(this.table, false)}`, error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.dryRun && !this.lost) await this.client.query('ROLLBACK');
    } catch {
      // Ending the session below rolls back whatever is still open anyway.
    } finally {
      await endQuietly(this.client);
    }
  }

  private prepareStatements(schema: string): Statements {
    const t = `${quoteIdent(schema)}.${quoteIdent(this.table)}`;
    const select = SYSTEM_FIELDS.map((field) =>
      field.key === 'firstName' ? `COALESCE(${quoteIdent(field.column)}, '')` : quoteIdent(field.column),
    );
    // ORDER BY ord gives ids in batch order, as row-by-row inserts would.
    const insert = `INSERT INTO ${t} AS t (${COLUMNS.join(', ')}, import_id, created_at, updated_at)
      SELECT ${select.join(', ')}, $1::text, $2::timestamptz, $2::timestamptz
      FROM ${STAGING} WHERE round = $3::int ORDER BY ord`;
    // An empty incoming field keeps the stored value; import_id and created_at are never touched.
    const sets = OTHER_COLUMNS.map((c) => `${c} = COALESCE(NULLIF(EXCLUDED.${c}, ''), t.${c})`);
    return {
      copy: `COPY ${STAGING} (ord, round, ${COLUMNS.join(', ')}) FROM STDIN`,
      skip: `${insert} ON CONFLICT (email) DO NOTHING RETURNING email`,
      // xmax is 0 on a freshly inserted row. The row version an ON CONFLICT update writes
      // carries, in xmax, the row lock the statement took on the existing row first, so it is
      // never 0 there (also inside savepoints and for rows this transaction inserted earlier:
      // test/integration/contact-store.test.ts covers each case).
      update: `${insert} ON CONFLICT (email) DO UPDATE SET ${sets.join(', ')}, updated_at = EXCLUDED.updated_at
      RETURNING email, (t.xmax = 0) AS inserted`,
      count: `SELECT count(*)::int AS n FROM ${t}`,
    };
  }

  /** One transaction, or a savepoint inside a dry run's transaction; rolled back on failure. */
  private async transaction<T>(work: () => Promise<T>): Promise<T> {
    const savepoint = this.dryRun;
    await this.client.query(savepoint ? 'SAVEPOINT contact_import_batch' : 'BEGIN');
    try {
      const result = await work();
      await this.client.query(savepoint ? 'RELEASE SAVEPOINT contact_import_batch' : 'COMMIT');
      return result;
    } catch (error) {
      if (!this.lost && !isConnectionLost(error)) {
        try {
          await this.client.query(
            savepoint ? 'ROLLBACK TO SAVEPOINT contact_import_batch; RELEASE SAVEPOINT contact_import_batch' : 'ROLLBACK',
          );
        } catch {
          if (savepoint) this.broken = true;
        }
      }
      throw error;
    }
  }

  private async searchPathSchema(): Promise<string> {
    const result = await this.client.query<{ schema: string | null; path: string }>(
      'SELECT current_schema() AS schema, current_setting($1) AS path',
      ['search_path'],
    );
    const { schema, path } = result.rows[0]!;
    if (!schema) {
      throw new ImportError('USAGE', `no schema to create the contacts table in: search_path "${path}" names no existing schema`, {
        hint: 'pass --schema NAME (created if missing), or add ?schema=NAME to the URL',
      });
    }
    return schema;
  }

  private requireStatements(): Statements {
    if (!this.statements) throw new ImportError('INTERNAL', 'ensureSchema() must run before the store is used');
    return this.statements;
  }

  private qualified(name: string, quoted = true): string {
    const schema = this.schemaName ?? 'public';
    return quoted ? `${quoteIdent(schema)}.${quoteIdent(name)}` : `${schema}.${name}`;
  }

  private usable(): void {
    if (this.closed) throw new ImportError('INTERNAL', `the PostgreSQL connection to ${this.where} is already closed`);
    if (this.lost) throw this.failure(`cannot use the PostgreSQL connection to ${this.where}`, this.lost);
    if (this.broken) {
      throw new ImportError('IO', `the dry-run transaction on ${this.where} was lost`, {
        hint: 'nothing was written; fix the earlier error and run the dry run again',
      });
    }
  }

  private failure(context: string, error: unknown, row?: number): ImportError {
    return postgresFailure(this.lost ?? error, context, { row });
  }
}

/** Which round each row of a batch goes in: the n-th occurrence of an email in round n. */
function splitRounds(batch: ContactToWrite[]): { roundOf: number[]; members: number[][] } {
  const seen = new Map<string, number>();
  const roundOf: number[] = [];
  const members: number[][] = [];
  batch.forEach(({ contact }, i) => {
    const round = seen.get(contact.email) ?? 0;
    seen.set(contact.email, round + 1);
    roundOf.push(round);
    (members[round] ??= []).push(i);
  });
  return { roundOf, members };
}

function stagingRow(contact: Contact, ord: number, round: number): CopyValue[] {
  const row: CopyValue[] = [ord, round];
  for (const field of SYSTEM_FIELDS) {
    // Email stays as given (null only reaches here from a broken caller, and NOT NULL says so).
    row.push(field.key === 'email' ? contact.email : text(contact[field.key]));
  }
  return row;
}

function checkStorable(row: number, contact: Contact): void {
  for (const field of SYSTEM_FIELDS) {
    const value = contact[field.key];
    const problem = typeof value === 'string' ? textProblem(value) : undefined;
    if (problem) {
      throw new ImportError('USAGE', `${field.label} ${problem}, which PostgreSQL cannot store`, {
        row,
        hint: 'validate contacts with validateContact() before writing them',
      });
    }
  }
}

/** The batch row a COPY error names ("COPY contact_import_staging, line 3, …"), if any. */
function copyLineRow(error: unknown, batch: ContactToWrite[]): number | undefined {
  const where = (error as { where?: unknown } | undefined)?.where;
  const line = typeof where === 'string' ? /\bCOPY \S+, line (\d+)/.exec(where)?.[1] : undefined;
  return line === undefined ? undefined : batch[Number(line) - 1]?.row;
}

function text(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  return typeof value === 'string' ? value : String(value);
}

function connectTimeout(): number {
  // libpq's PGCONNECT_TIMEOUT, in seconds; 0 there means "forever", which is never wanted here.
  const seconds = Number(process.env.PGCONNECT_TIMEOUT);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_CONNECT_TIMEOUT_MS;
}

/** client.end(), bounded: a connection whose server vanished must not hold up the exit. */
async function endQuietly(client: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.end().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 2000);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}

function nowIso(): string {
  return new Date().toISOString();
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
