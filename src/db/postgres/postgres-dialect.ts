import type { SqlDialect } from '../engine.js';
import { quoteIdent } from '../table-name.js';

/** PostgreSQL's spellings for the import-run record. */
export const POSTGRES_DIALECT: SqlDialect = {
  distinct: (a, b) => `${a} IS DISTINCT FROM ${b}`,
  // An adopted contacts table may keep its timestamps as text.
  time: (column) => `${column}::timestamptz`,
  oneOf: (column) => `${column} = ANY(?::text[])`,
  list: (values) => values,
  forUpdate: ' FOR UPDATE',
  noLimit: null,
  // jsonb_populate_record gives each value back the type of its column, whatever it is.
  restore: (t, changes, columns) =>
    `UPDATE ${t} AS t SET ${columns.map((column) => `${quoteIdent(column)} = b.${quoteIdent(column)}`).join(', ')}
     FROM ${changes} AS c, jsonb_populate_record(NULL::${t}, c.before) AS b
     WHERE c.import_id = ? AND t.id = c.contact_id AND ${POSTGRES_DIALECT.distinct('t.import_id', '?')}`,
};

/** `?` placeholders as PostgreSQL's `$1, $2, …` (the statements have no `?` inside quotes). */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  let quoted = false;
  let out = '';
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  return out;
}
