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
 * Encodes rows in COPY's text format: tab-separated, newline-terminated, NULL as \N, and
 * backslash, tab, newline and carriage return backslash-escaped, which is everything that
 * format gives a meaning to (a literal "\." is escaped too, so it never ends the data early).
 * Values must be valid Unicode without NUL (see textProblem): text format cannot carry NUL.
 */
export function encodeCopyText(rows: readonly (readonly CopyValue[])[]): string {
  const lines: string[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const cells: string[] = new Array(row.length);
    for (let c = 0; c < row.length; c++) {
      const value = row[c];
      if (value === null || value === undefined) cells[c] = '\\N';
      else {
        const text = typeof value === 'string' ? value : String(value);
        cells[c] = SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (ch) => ESCAPES[ch]!) : text;
      }
    }
    lines[r] = `${cells.join('\t')}\n`;
  }
  return lines.join('');
}

/**
 * Runs `sql` (a `COPY … FROM STDIN` statement) with `data` as its input and resolves with the
 * number of rows the server took. On any failure the COPY is aborted and the error rethrown.
 */
export async function copyRows(client: PgClient, sql: string, data: string): Promise<number> {
  const stream = (client as unknown as pg.ClientBase).query(copyFrom(sql));
  await pipeline(Readable.from([Buffer.from(data, 'utf8')]), stream);
  return stream.rowCount;
}
