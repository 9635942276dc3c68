import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { PgClient } from './pg-client.js';

export type CopyValue = string | number | null | undefined;

const SPECIAL = /[\\\n\r\t]/;
const SPECIAL_ALL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * One value in COPY's text format: NULL as \N, and backslash, tab, newline and carriage
 * return backslash-escaped, which is everything that format gives a meaning to (a literal
 * "\." is escaped too, so it never ends the data early). Values must be valid Unicode without
 * NUL (see textProblem): text format cannot carry NUL. A line is its cells joined by tabs and
 * ended by a newline (the batch writer builds them into a CopyBuffer).
 */
export function copyCell(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  const text = typeof value === 'string' ? value : String(value);
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (ch) => ESCAPES[ch]!) : text;
}

/**
 * Runs `sql` (a `COPY … FROM STDIN` statement) with `data` as its input and resolves with the
 * number of rows the server took. On any failure the COPY is aborted and the error rethrown.
 */
export async function copyRows(client: PgClient, sql: string, data: Buffer): Promise<number> {
  const stream = (client as unknown as pg.ClientBase).query(copyFrom(sql));
  await pipeline(Readable.from([data]), stream);
  return stream.rowCount;
}
