import { SYSTEM_FIELDS, type Contact } from '../../contacts/fields.js';
import { textProblem } from '../../contacts/text-problem.js';
import { ImportError } from '../../errors.js';
import { BEFORE_IMAGE_COLUMNS } from '../before-image.js';
import type { ContactToWrite, WrittenRow } from '../contact-store.js';
import type { BatchOptions } from '../engine.js';
import { FIELD_COLUMNS } from '../field-columns.js';
import { fieldText } from '../field-text.js';
import { quoteIdent } from '../table-name.js';
import { CopyBuffer } from './copy-buffer.js';
import { copyCell, copyRows } from './copy-rows.js';
import { parseNumberList } from './parse-number-list.js';
import type { PgClient } from './pg-client.js';

/** Session-private (temporary) table each batch is COPYed into before one set-based INSERT. */
const STAGING = 'pg_temp.contact_import_staging';
const COLUMNS = SYSTEM_FIELDS.map((field) => quoteIdent(FIELD_COLUMNS[field.key]));
const OTHER_COLUMNS = SYSTEM_FIELDS.filter((field) => field.key !== 'email').map((field) => quoteIdent(FIELD_COLUMNS[field.key]));

/** ON COMMIT DELETE ROWS empties it after every real batch; a dry run's batches never commit, so write() truncates it first. */
export const CREATE_STAGING = `CREATE TEMP TABLE IF NOT EXISTS contact_import_staging (
  ord INTEGER NOT NULL,
  round INTEGER NOT NULL,
  ${SYSTEM_FIELDS.map((field) => `${quoteIdent(FIELD_COLUMNS[field.key])} TEXT`).join(',\n  ')}
) ON COMMIT DELETE ROWS`;

/** The batch updated a contact whose before-image it could not take (it was inserted meanwhile): try again. */
export class MissedBeforeImage extends Error {
  constructor() {
    super('another import kept inserting the same contacts while this batch ran');
  }
}

/** A batch as PostgresBatchWriter.encode gives it to write(). */
export interface EncodedBatch {
  /** The staging table's COPY input (text format). */
  data: Buffer;
  /** How many INSERT rounds the batch needs (1 unless an email repeats in it). */
  rounds: number;
  /** Each row's round. */
  roundOf: number[];
}

interface Statements {
  copy: string;
  skip: string;
  update: string;
  /** Keeps the before-image of the contacts one round of the staging table is about to update. */
  capture: string;
}

/**
 * Writes a batch as COPY into the staging table and one INSERT … ON CONFLICT (email) per round,
 * inside the caller's transaction. Outcomes are the same as the SQLite writer's, row for row.
 */
export class PostgresBatchWriter {
  private readonly statements: Statements;

  constructor(
    private readonly client: PgClient,
    t: string,
    changes: string,
    private readonly dryRun: boolean,
  ) {
    this.statements = prepare(t, changes);
  }

  /**
   * The batch's COPY input, once for all its attempts. A row PostgreSQL cannot store is refused
   * here, before anything is sent, with the row, rather than by the server in the middle of a
   * COPY. Each line is checked whole: escaping only rewrites ASCII characters and tabs part the
   * values, so a line has a NUL or a lone surrogate exactly when one of its values does; only
   * then are the values checked one by one, for the message.
   */
  static encode(batch: ContactToWrite[]): EncodedBatch {
    const { roundOf, rounds } = splitRounds(batch);
    const data = new CopyBuffer();
    for (let i = 0; i < batch.length; i++) {
      const { row, contact } = batch[i]!;
      const line = stagingLine(contact, i, roundOf[i]!);
      if (textProblem(line)) checkStorable(row, contact);
      data.append(line);
    }
    return { data: data.bytes(), rounds, roundOf };
  }

  async write(batch: ContactToWrite[], encoded: EncodedBatch, options: BatchOptions, now: string): Promise<WrittenRow[]> {
    const { client, statements } = this;
    const overwrite = options.onDuplicate === 'update';
    if (this.dryRun) await client.query(`TRUNCATE ${STAGING}`);
    // A batch need not wait for its WAL flush: its checkpoint commits with it, so a server
    // crash can only lose whole batches, which the resumed run writes again. finishImport
    // commits synchronously, flushing every batch before it.
    else await client.query('SET LOCAL synchronous_commit TO OFF');
    await copyRows(client, statements.copy, encoded.data);
    const written: WrittenRow[] = batch.map(() => ({ outcome: 'existing', id: null }));
    // Normally one round; an email repeated within the batch goes in a later round, so it
    // meets its first occurrence as an existing row, exactly as row-by-row writing would.
    for (let round = 0; round < encoded.rounds; round++) {
      const params = [options.importId, now, round];
      const captured = new Set<number>();
      if (overwrite) {
        for (const id of parseNumberList((await client.query<{ ids: string | null }>(statements.capture, params)).rows[0]?.ids)) captured.add(id);
      }
      // Only rows the statement wrote come back, as [email, id] or, for an update, [email, id,
      // inserted]: the rest were left alone ('existing'). An email is unique within a round,
      // so it tells the row.
      const rows = (await client.query<{ written: WrittenTuple[] | null }>(overwrite ? statements.update : statements.skip, params)).rows[0]?.written ?? [];
      const indexOf = roundIndex(batch, encoded.roundOf, round);
      for (const [email, id, inserted] of rows) {
        const i = indexOf.get(email);
        // Only an email column whose collation is not byte-wise (a table of the user's) could say
        // another email than the one written: refused rather than reported as the wrong row.
        if (i === undefined) throw new Error(`the table's email column matched ${JSON.stringify(email)} to an email of this batch written otherwise; give it a deterministic collation`);
        const updated = overwrite && !inserted;
        // Inserted by another import between the before-image and the upsert.
        if (updated && !captured.has(id)) throw new MissedBeforeImage();
        written[i] = { outcome: updated ? 'updated' : 'inserted', id };
      }
    }
    return written;
  }
}

function prepare(t: string, changes: string): Statements {
  const image = BEFORE_IMAGE_COLUMNS.map((column) => `'${column}', t.${quoteIdent(column)}`);
  const select = SYSTEM_FIELDS.map((field) => (field.key === 'firstName' ? `COALESCE(${quoteIdent(FIELD_COLUMNS[field.key])}, '')` : quoteIdent(FIELD_COLUMNS[field.key])));
  // ORDER BY ord gives ids in batch order, as row-by-row inserts would. The rows written come
  // back as one JSON value, an [email, id] (or [email, id, inserted]) array each, which the
  // client maps to the batch's rows by email. (Looking each row's ord up on the server instead
  // cost ~6 ms a batch of 5000 in a jsonb object, and a join with the staging table is planned
  // without statistics, temporary tables being never analyzed, and can be a nested loop: two
  // seconds for a batch when it was.)
  const insert = (conflict: string, returning: string, tuple: string): string => `WITH written AS (INSERT INTO ${t} AS t (${COLUMNS.join(', ')}, import_id, created_at, updated_at)
    SELECT ${select.join(', ')}, $1::text, $2::timestamptz, $2::timestamptz
    FROM ${STAGING} WHERE round = $3::int ORDER BY ord
    ${conflict} RETURNING ${returning})
    SELECT json_agg(json_build_array(${tuple})) AS written FROM written AS w`;
  // An empty incoming field keeps the stored value; import_id and created_at are never touched.
  const sets = OTHER_COLUMNS.map((c) => `${c} = COALESCE(NULLIF(EXCLUDED.${c}, ''), t.${c})`);
  return {
    copy: `COPY ${STAGING} (ord, round, ${COLUMNS.join(', ')}) FROM STDIN`,
    skip: insert('ON CONFLICT (email) DO NOTHING', 't.email, t.id', 'w.email, w.id'),
    // xmax is 0 on a freshly inserted row. The row version an ON CONFLICT update writes
    // carries, in xmax, the row lock the statement took on the existing row first, so it is
    // never 0 there (also inside savepoints and for rows this transaction inserted earlier:
    // test/integration/contact-store.test.ts covers each case).
    update: insert(
      `ON CONFLICT (email) DO UPDATE SET ${sets.join(', ')}, updated_at = EXCLUDED.updated_at`,
      't.email, t.id, (t.xmax = 0) AS inserted',
      'w.email, w.id, w.inserted',
    ),
    // Locks the contacts it images, so the upsert that follows writes over exactly those values.
    // The first image an import keeps of a contact wins; after_updated_at follows its last write.
    capture: `WITH captured AS (INSERT INTO ${changes} AS c (import_id, contact_id, before, after_updated_at)
    SELECT $1::text, t.id, jsonb_build_object(${image.join(', ')}), $2::timestamptz
    FROM ${t} AS t JOIN ${STAGING} AS s ON s.email = t.email WHERE s.round = $3::int
    FOR UPDATE OF t
    ON CONFLICT (import_id, contact_id) DO UPDATE SET after_updated_at = EXCLUDED.after_updated_at
    RETURNING contact_id)
    SELECT string_agg(contact_id::text, ',') AS ids FROM captured`,
  };
}

/** A row a round's statement wrote: its email, its id and, for an update, whether it was inserted. */
type WrittenTuple = [email: string, id: number, inserted?: boolean];

/** The batch index of each email of `round` (unique within it). */
function roundIndex(batch: ContactToWrite[], roundOf: number[], round: number): Map<string, number> {
  const index = new Map<string, number>();
  for (let i = 0; i < batch.length; i++) if (roundOf[i] === round) index.set(batch[i]!.contact.email, i);
  return index;
}

/** Which round each row of a batch goes in: the n-th occurrence of an email in round n. */
function splitRounds(batch: ContactToWrite[]): { roundOf: number[]; rounds: number } {
  const seen = new Map<string, number>();
  const roundOf: number[] = new Array(batch.length);
  let rounds = batch.length > 0 ? 1 : 0;
  for (let i = 0; i < batch.length; i++) {
    const { email } = batch[i]!.contact;
    const round = seen.get(email) ?? 0;
    seen.set(email, round + 1);
    roundOf[i] = round;
    if (round >= rounds) rounds = round + 1;
  }
  return { roundOf, rounds };
}

/** A staging table line, concatenated (no array of cells a row: a batch has thousands). */
function stagingLine(contact: Contact, ord: number, round: number): string {
  let line = `${ord}\t${round}`;
  for (const field of SYSTEM_FIELDS) {
    // Email stays as given (null only reaches here from a broken caller, and NOT NULL says so).
    line += `\t${copyCell(field.key === 'email' ? contact.email : fieldText(contact[field.key]))}`;
  }
  return `${line}\n`;
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
export function copyLineRow(error: unknown, batch: ContactToWrite[]): number | undefined {
  const where = (error as { where?: unknown } | undefined)?.where;
  const line = typeof where === 'string' ? /\bCOPY \S+, line (\d+)/.exec(where)?.[1] : undefined;
  return line === undefined ? undefined : batch[Number(line) - 1]?.row;
}
