import pg from 'pg';
import { textProblem } from '../contacts/text-problem.js';
import { ImportError } from '../errors.js';
import { SYSTEM_FIELDS, type Contact } from '../types.js';
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
import { copyRows, encodeCopyText, type CopyValue } from './copy-rows.js';
import { decideClaim, runIdentity } from './decide-claim.js';
import { importRunFromRow } from './import-run-from-row.js';
import { redactDatabaseUrl } from './redact-database-url.js';
import { isConnectionLost, isRetryableConflict, postgresFailure } from './postgres-failure.js';
import { runLockKey } from './run-lock-key.js';
import { ensurePostgresSchema } from './postgres-schema.js';
import { parsePostgresUrl } from './postgres-url.js';
import { currentOwner } from './run-owner.js';
import {
  alreadyUndoneError,
  importNotFoundError,
  notRunningError,
  runLockedError,
  undoConflictError,
  undoLockedError,
} from './run-errors.js';
import { checkSchemaName, checkTableName, quoteIdent } from './table-name.js';

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
/** Session-private (temporary) table each batch is COPYed into before one set-based INSERT. */
const STAGING = 'pg_temp.contact_import_staging';
const COLUMNS = SYSTEM_FIELDS.map((field) => quoteIdent(field.column));
const OTHER_COLUMNS = SYSTEM_FIELDS.filter((field) => field.key !== 'email').map((field) => quoteIdent(field.column));
/** How long claimRun and undoImport wait for a run's advisory lock: a killed client's backend may linger a moment. */
const LOCK_WAIT_MS = 5000;
const LOCK_POLL_MS = 100;
/** A batch that deadlocks with another import's is rolled back and tried again, this many times in all. */
const MAX_ATTEMPTS = 4;
/** Emails per findContacts query. */
const FIND_CHUNK = 5000;

interface Statements {
  copy: string;
  skip: string;
  update: string;
  /** Keeps the before-image of the contacts one round of the staging table is about to update. */
  capture: string;
  checkpoint: string;
  count: string;
}

/** The batch updated a contact whose before-image it could not take (it was inserted meanwhile): try again. */
class MissedBeforeImage extends Error {
  constructor() {
    super('another import kept inserting the same contacts while this batch ran');
  }
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
  /** Advisory locks (runLockKey) this session holds for the runs it claimed, until close(). */
  private readonly heldLocks = new Set<string>();

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

  async claimRun(start: ImportRunStart): Promise<RunClaim> {
    this.usable();
    this.requireStatements();
    const identity = runIdentity(start);
    const key = this.lockKey(this.table, identity);
    let locked = false;
    try {
      locked = await this.tryLock(key, LOCK_WAIT_MS);
      if (!locked) {
        const running = (await this.matchingRuns(start)).find((run) => run.status === 'running');
        throw runLockedError(start.fileName, this.table, running);
      }
      const claim = await this.transaction(async (): Promise<RunClaim> => {
        const matches = await this.matchingRuns(start, true);
        // This session holds the lock on this identity, so a 'running' run of it is dead; one
        // recorded under the other identity (fileId vs bytes) is alive while its lock is held.
        const live = new Set<string>();
        for (const run of matches) {
          if (run.status !== 'running' || runIdentity(run) === identity) continue;
          if (await this.lockIsHeld(this.lockKey(this.table, runIdentity(run)))) live.add(run.importId);
        }
        const decision = decideClaim(matches, start, this.table, (run) => live.has(run.importId));
        if (decision.kind === 'completed') return decision;
        const now = nowIso();
        const imports = this.qualified('contact_imports');
        if (decision.kind === 'resume') {
          await this.client.query(
            `UPDATE ${imports} SET status = 'running', owner = $1, heartbeat_at = $2::timestamptz, finished_at = NULL,
               file_id = $3, file_name = $4, file_sha256 = COALESCE(file_sha256, $5)
             WHERE id = $6`,
            [currentOwner(), now, start.fileId, start.fileName, start.fileSha256 ?? null, decision.run.importId],
          );
          return { kind: 'resume', run: (await this.readRun(decision.run.importId))! };
        }
        await this.client.query(
          `INSERT INTO ${imports} (id, file_id, file_name, status, started_at, finished_at, total_rows,
             imported, updated, skipped, invalid, duplicates, excluded, mapping,
             table_name, file_sha256, resume_key, rows_done, owner, heartbeat_at, undone_at)
           VALUES ($1, $2, $3, 'running', $4::timestamptz, NULL, $5, 0, 0, 0, 0, 0, 0, $6::jsonb,
             $7, $8, $9, 0, $10, $4::timestamptz, NULL)`,
          [
            start.importId, start.fileId, start.fileName, now, start.totalRows, JSON.stringify(start.mapping),
            this.table, start.fileSha256 ?? null, start.resumeKey, currentOwner(),
          ],
        );
        return { kind: 'new', run: (await this.readRun(start.importId))! };
      });
      this.heldLocks.add(key);
      return claim;
    } catch (error) {
      if (locked && !this.heldLocks.has(key)) await this.unlock(key).catch(() => undefined);
      throw this.failure(`cannot record import ${start.importId} in contact_imports`, error);
    }
  }

  async writeBatch(batch: ContactToWrite[], options: WriteBatchOptions): Promise<WrittenRow[]> {
    this.usable();
    if (batch.length === 0) return [];
    const statements = this.requireStatements();
    // Refused here, with the row, rather than by the server in the middle of a COPY.
    for (const { row, contact } of batch) checkStorable(row, contact);
    const rounds = splitRounds(batch);
    const data = encodeCopyText(batch.map(({ contact }, i) => stagingRow(contact, i, rounds.roundOf[i]!)));
    const now = nowIso();
    const overwrite = options.onDuplicate === 'update';
    const { importId } = options;
    for (let attempt = 1; ; attempt++) {
      // Retried only while the checkpoint has not been called: it runs once per committed batch.
      let checkpointed = false;
      try {
        return await this.transaction(async () => {
          if (this.dryRun) await this.client.query(`TRUNCATE ${STAGING}`);
          // A batch need not wait for its WAL flush: its checkpoint commits with it, so a
          // server crash can only lose whole batches, which the resumed run writes again.
          // finishImport commits synchronously, flushing every batch before it.
          else await this.client.query('SET LOCAL synchronous_commit TO OFF');
          await copyRows(this.client, statements.copy, data);
          const written: WrittenRow[] = batch.map(() => ({ outcome: 'existing', id: null }));
          // Normally one round; an email repeated within the batch goes in a later round, so it
          // meets its first occurrence as an existing row, exactly as row-by-row writing would.
          for (let round = 0; round < rounds.members.length; round++) {
            const captured = new Set<string>();
            if (overwrite) {
              const images = await this.client.query<{ contact_id: string }>(statements.capture, [importId, now, round]);
              for (const image of images.rows) captured.add(String(image.contact_id));
            }
            const result = await this.client.query<{ email: string; id: string; inserted?: boolean }>(
              overwrite ? statements.update : statements.skip,
              [importId, now, round],
            );
            const members = rounds.members[round]!;
            const indexOf = new Map(members.map((i) => [batch[i]!.contact.email, i]));
            for (const returned of result.rows) {
              const i = indexOf.get(returned.email);
              // Only rows the statement wrote come back: the rest were left alone ('existing').
              if (i === undefined) continue;
              const updated = returned.inserted === false;
              // Inserted by another import between the before-image and the upsert.
              if (updated && !captured.has(String(returned.id))) throw new MissedBeforeImage();
              written[i] = { outcome: updated ? 'updated' : 'inserted', id: Number(returned.id) };
            }
          }
          if (options.checkpoint) {
            checkpointed = true;
            const counts = options.checkpoint(written);
            const result = await this.client.query(statements.checkpoint, [
              importId, counts.totalRows, counts.imported, counts.updated, counts.skipped,
              counts.invalid, counts.duplicates, counts.excluded, now,
            ]);
            if (result.rowCount === 0) throw notRunningError(importId);
          }
          return written;
        });
      } catch (error) {
        const retry = error instanceof MissedBeforeImage || isRetryableConflict(error);
        if (retry && !checkpointed && attempt < MAX_ATTEMPTS && !this.lost && !this.broken) {
          await sleep(20 * attempt + Math.random() * 50 * attempt);
          continue;
        }
        const first = batch[0]!.row;
        const last = batch[batch.length - 1]!.row;
        throw this.failure(`cannot write contacts (rows ${first}–${last}) to table ${this.qualified(this.table, false)} at ${this.where}`, error, copyLineRow(error, batch));
      }
    }
  }

  async finishImport(importId: string, status: ImportStatus, counts: ImportCounts): Promise<void> {
    this.usable();
    let changes: number;
    try {
      // total_rows stays the file's row count unless the run read the whole file.
      const result = await this.client.query(
        `UPDATE ${this.qualified('contact_imports')} SET status = $1, finished_at = $2::timestamptz, heartbeat_at = $2::timestamptz,
           rows_done = $3, total_rows = CASE WHEN $1 = 'completed' THEN $3 ELSE total_rows END,
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

  async findContacts(emails: string[]): Promise<Map<string, { id: number; importId: string | null }>> {
    this.usable();
    this.requireStatements();
    const found = new Map<string, { id: number; importId: string | null }>();
    try {
      for (let i = 0; i < emails.length; i += FIND_CHUNK) {
        const result = await this.client.query<{ email: string; id: string; import_id: string | null }>(
          `SELECT email, id, import_id FROM ${this.qualified(this.table)} WHERE email = ANY($1::text[])`,
          [emails.slice(i, i + FIND_CHUNK)],
        );
        for (const row of result.rows) found.set(row.email, { id: Number(row.id), importId: row.import_id });
      }
    } catch (error) {
      throw this.failure(`cannot look up contacts in ${this.qualified(this.table, false)} at ${this.where}`, error);
    }
    return found;
  }

  async listImports(options: { limit?: number } = {}): Promise<ImportRun[]> {
    this.usable();
    this.requireStatements();
    try {
      const result = await this.client.query(
        `SELECT * FROM ${this.qualified('contact_imports')} ORDER BY started_at DESC, id DESC LIMIT $1`,
        [options.limit ?? null],
      );
      return result.rows.map(importRunFromRow);
    } catch (error) {
      throw this.failure(`cannot read ${this.qualified('contact_imports', false)} at ${this.where}`, error);
    }
  }

  async getImport(importId: string): Promise<ImportRun | null> {
    this.usable();
    this.requireStatements();
    try {
      return await this.readRun(importId);
    } catch (error) {
      throw this.failure(`cannot read ${this.qualified('contact_imports', false)} at ${this.where}`, error);
    }
  }

  async undoImport(importId: string, options: UndoOptions = {}): Promise<UndoResult> {
    this.usable();
    this.requireStatements();
    let key: string | undefined;
    try {
      return await this.transaction(async () => {
        // The row lock orders undo and claimRun (which reads its matches FOR UPDATE) on this run.
        const locked = await this.client.query(`SELECT * FROM ${this.qualified('contact_imports')} WHERE id = $1 FOR UPDATE`, [importId]);
        if (!locked.rows[0]) throw importNotFoundError(importId, `${this.qualified('contact_imports', false)} at ${this.where}`);
        const run = importRunFromRow(locked.rows[0]);
        if (run.status === 'undone') throw alreadyUndoneError(run);
        const table = checkTableName(run.table ?? this.table).toLowerCase();
        if (run.status === 'running') {
          // Its importer holds the run's advisory lock while it lives.
          const runKey = this.lockKey(table, runIdentity(run));
          if (!(await this.tryLock(runKey, LOCK_WAIT_MS))) throw undoLockedError(run);
          key = runKey;
        }
        const result: UndoResult = { importId, table, deleted: 0, restored: 0, conflicts: 0 };
        const changes = this.qualified('contact_import_changes');
        const exists = await this.client.query('SELECT to_regclass($1) IS NOT NULL AS found', [this.qualified(table)]);
        if (exists.rows[0]?.found) {
          const t = this.qualified(table);
          const conflicts = await this.client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM (
               SELECT t.id FROM ${t} AS t LEFT JOIN ${changes} AS c ON c.import_id = $1 AND c.contact_id = t.id
               WHERE t.import_id = $1
                 AND t.updated_at::timestamptz IS DISTINCT FROM COALESCE(c.after_updated_at, t.created_at::timestamptz)
               UNION ALL
               SELECT t.id FROM ${changes} AS c JOIN ${t} AS t ON t.id = c.contact_id
               WHERE c.import_id = $1 AND t.import_id IS DISTINCT FROM $1
                 AND t.updated_at::timestamptz IS DISTINCT FROM c.after_updated_at
             ) AS changed`,
            [importId],
          );
          result.conflicts = conflicts.rows[0]!.n;
          if (result.conflicts > 0 && !options.force) throw undoConflictError(run, result.conflicts);
          // jsonb_populate_record gives each value back the type of its column, whatever it is.
          const sets = BEFORE_IMAGE_COLUMNS.map((column) => `${quoteIdent(column)} = b.${quoteIdent(column)}`);
          const restored = await this.client.query(
            `UPDATE ${t} AS t SET ${sets.join(', ')}
             FROM ${changes} AS c, jsonb_populate_record(NULL::${t}, c.before) AS b
             WHERE c.import_id = $1 AND t.id = c.contact_id AND t.import_id IS DISTINCT FROM $1`,
            [importId],
          );
          result.restored = restored.rowCount ?? 0;
          const deleted = await this.client.query(`DELETE FROM ${t} WHERE import_id = $1`, [importId]);
          result.deleted = deleted.rowCount ?? 0;
        }
        await this.client.query(`DELETE FROM ${changes} WHERE import_id = $1`, [importId]);
        await this.client.query(
          `UPDATE ${this.qualified('contact_imports')} SET status = 'undone', undone_at = $2::timestamptz WHERE id = $1`,
          [importId, nowIso()],
        );
        return result;
      });
    } catch (error) {
      throw this.failure(`cannot undo import ${importId} at ${this.where}`, error);
    } finally {
      if (key !== undefined) await this.unlock(key).catch(() => undefined);
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
    const changes = `${quoteIdent(schema)}.contact_import_changes`;
    const imports = `${quoteIdent(schema)}.contact_imports`;
    const image = BEFORE_IMAGE_COLUMNS.map((column) => `'${column}', t.${quoteIdent(column)}`);
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
      skip: `${insert} ON CONFLICT (email) DO NOTHING RETURNING email, id`,
      // xmax is 0 on a freshly inserted row. The row version an ON CONFLICT update writes
      // carries, in xmax, the row lock the statement took on the existing row first, so it is
      // never 0 there (also inside savepoints and for rows this transaction inserted earlier:
      // test/integration/contact-store.test.ts covers each case).
      update: `${insert} ON CONFLICT (email) DO UPDATE SET ${sets.join(', ')}, updated_at = EXCLUDED.updated_at
      RETURNING email, id, (t.xmax = 0) AS inserted`,
      // Locks the contacts it images, so the upsert that follows writes over exactly those values.
      // The first image an import keeps of a contact wins; after_updated_at follows its last write.
      capture: `INSERT INTO ${changes} AS c (import_id, contact_id, before, after_updated_at)
      SELECT $1::text, t.id, jsonb_build_object(${image.join(', ')}), $2::timestamptz
      FROM ${t} AS t JOIN ${STAGING} AS s ON s.email = t.email WHERE s.round = $3::int
      FOR UPDATE OF t
      ON CONFLICT (import_id, contact_id) DO UPDATE SET after_updated_at = EXCLUDED.after_updated_at
      RETURNING contact_id`,
      checkpoint: `UPDATE ${imports} SET rows_done = $2, imported = $3, updated = $4, skipped = $5, invalid = $6,
        duplicates = $7, excluded = $8, heartbeat_at = $9::timestamptz
      WHERE id = $1 AND status = 'running'`,
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

  /** Runs of the same file in this table that claimRun weighs, newest first (locked, inside a transaction). */
  private async matchingRuns(start: ImportRunStart, lock = false): Promise<ImportRun[]> {
    const result = await this.client.query(
      `SELECT * FROM ${this.qualified('contact_imports')}
       WHERE table_name = $1 AND (file_id = $2 OR (file_sha256 IS NOT NULL AND file_sha256 = $3)) AND status <> 'undone'
       ORDER BY started_at DESC, id DESC${lock ? ' FOR UPDATE' : ''}`,
      [this.table, start.fileId, start.fileSha256 ?? null],
    );
    return result.rows.map(importRunFromRow);
  }

  private async readRun(importId: string): Promise<ImportRun | null> {
    const result = await this.client.query(`SELECT * FROM ${this.qualified('contact_imports')} WHERE id = $1`, [importId]);
    return result.rows[0] ? importRunFromRow(result.rows[0]) : null;
  }

  private lockKey(table: string, identity: string): string {
    return runLockKey(`contact-import:run:${this.schemaName ?? 'public'}.${table}:${identity}`);
  }

  /** Takes a session-level advisory lock, polling for up to `waitMs`; false when another session keeps it. */
  private async tryLock(key: string, waitMs: number): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const result = await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key]);
      if (result.rows[0]!.ok) return true;
      if (Date.now() >= deadline) return false;
      await sleep(LOCK_POLL_MS);
    }
  }

  private async unlock(key: string): Promise<void> {
    await this.client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
  }

  /** Whether another session holds this advisory lock (taken and given back at once when free). */
  private async lockIsHeld(key: string): Promise<boolean> {
    if (this.heldLocks.has(key)) return false;
    if (!(await this.tryLock(key, 0))) return true;
    await this.unlock(key);
    return false;
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
