import type { SqlDialect } from '../engine.js';
import { quoteIdent } from '../table-name.js';

/** SQLite's spellings for the import-run record. */
export const SQLITE_DIALECT: SqlDialect = {
  distinct: (a, b) => `${a} IS NOT ${b}`,
  time: (column) => column,
  oneOf: (column) => `${column} IN (SELECT value FROM json_each(?))`,
  list: (values) => JSON.stringify(values),
  forUpdate: '',
  noLimit: -1,
  restore: (t, changes, columns) =>
    `UPDATE ${t} AS t SET ${columns.map((column) => `${quoteIdent(column)} = json_extract(c.before, '$.${column}')`).join(', ')}
     FROM ${changes} AS c
     WHERE c.import_id = ? AND c.contact_id = t.id AND ${SQLITE_DIALECT.distinct('t.import_id', '?')}`,
};
