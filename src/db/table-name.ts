import { ImportError } from '../errors.js';

/**
 * The tool's own tables (contact_imports, contact_import_changes, contact_import_migrations, the
 * staging table) and their indexes all start with this; a contacts table may not, on any engine.
 */
const RESERVED_PREFIX = 'contact_import';

/**
 * Validates a contacts table name as a plain SQL identifier. Table names cannot be bound as
 * parameters, so only names that are safe to splice into SQL (and quoted anyway) get through.
 */
export function checkTableName(name: string): string {
  const hint = identifierHint('table', 'contacts');
  checkIdentifier(name, 'table', hint);
  // Identifiers are case-insensitive in SQLite (and unquoted ones in PostgreSQL).
  const lower = name.toLowerCase();
  if (lower.startsWith(RESERVED_PREFIX)) {
    throw new ImportError('USAGE', `table name "${name}" is reserved for contact-import's own records`, {
      hint: `give table a name that does not start with ${RESERVED_PREFIX}, e.g. contacts`,
      options: ['table'],
    });
  }
  if (lower.startsWith('sqlite_')) {
    throw new ImportError('USAGE', `table name "${name}" is reserved by the database`, hint);
  }
  return name;
}

/**
 * Validates a PostgreSQL schema name (--schema, ?schema=) the same way as a table name. The
 * pg_ prefix and information_schema belong to the server.
 */
export function checkSchemaName(name: string): string {
  const hint = identifierHint('schema', 'crm');
  checkIdentifier(name, 'schema', hint);
  const lower = name.toLowerCase();
  if (lower.startsWith('pg_') || lower === 'information_schema') {
    throw new ImportError('USAGE', `schema name "${name}" is reserved by PostgreSQL`, hint);
  }
  return name;
}

type Hint = { hint: string; options: string[] };

function identifierHint(option: 'table' | 'schema', example: string): Hint {
  return { hint: `give ${option} a name of letters, digits and underscores, starting with a letter, e.g. ${example}`, options: [option] };
}

/** A plain SQL identifier: names cannot be bound as parameters, so only safe ones get through. */
function checkIdentifier(name: string, what: 'table' | 'schema', hint: Hint): void {
  if (typeof name === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) return;
  const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 80)) : String(name);
  throw new ImportError('USAGE', `invalid ${what} name ${shown}`, hint);
}

/** Quotes an identifier for SQL (standard double quotes, inner quotes doubled). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
