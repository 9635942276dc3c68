import { fileURLToPath } from 'node:url';
import { ImportError } from '../errors.js';
import type { ContactStore, ContactStoreOptions } from './contact-store.js';
import { redactDatabaseUrl } from './redact-database-url.js';
import { SqliteContactStore } from './sqlite-contact-store.js';

export { redactDatabaseUrl };

/** Where a database URL points. */
export type DatabaseTarget = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string };

const SQLITE_EXTENSION = /\.(db|sqlite3?)$/i;

/**
 * Reads a database URL. Accepted forms:
 * - `sqlite:contacts.db`, `sqlite:data/c.db` — a path relative to the current folder;
 *   `sqlite:/abs/c.db` — an absolute path.
 * - `sqlite://data/c.db` (relative) and `sqlite:///abs/c.db` (absolute): everything after
 *   `sqlite://` is the path, taken literally (unlike SQLAlchemy, where `///` means relative).
 * - `sqlite::memory:` — a private in-memory database (tests, experiments).
 * - `file:c.db` (relative, literal) and `file:///abs/c.db` (a standard file URL, %-decoded).
 * - a bare path ending in `.db`, `.sqlite` or `.sqlite3`, relative to the current folder.
 * - `postgres://…` / `postgresql://…` — PostgreSQL, handed to node-postgres (see
 *   PostgresContactStore.open for the parts it fills from PG* variables, and ?schema=).
 * SQLite query strings are not interpreted: a `?` is part of the path.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const trimmed = typeof url === 'string' ? url.trim() : '';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(trimmed)?.[1]?.toLowerCase();
  // One letter before the colon is a Windows drive (C:\x.db), not a scheme.
  if (scheme !== undefined && scheme.length > 1) {
    const rest = trimmed.slice(scheme.length + 1);
    if (scheme === 'postgres' || scheme === 'postgresql') return { engine: 'postgres', url: trimmed };
    if (scheme === 'sqlite') {
      const file = rest.startsWith('//') ? rest.slice(2) : rest;
      return sqlitePath(file, url);
    }
    if (scheme === 'file') {
      if (rest.startsWith('//')) {
        try {
          return sqlitePath(fileURLToPath(trimmed), url);
        } catch (error) {
          throw unsupported(url, error instanceof Error ? `: ${error.message}` : '');
        }
      }
      return sqlitePath(rest, url);
    }
    throw unsupported(url);
  }
  if (trimmed !== '' && SQLITE_EXTENSION.test(trimmed)) return sqlitePath(trimmed, url);
  throw unsupported(url);
}

/**
 * Opens the contacts store a database URL names, with its schema created or migrated (for
 * PostgreSQL, options.schema names the schema; SQLite has none).
 * The caller owns the store and must close() it (a dry run rolls back on close).
 */
export async function openContactStore(url: string, options: ContactStoreOptions = {}): Promise<ContactStore> {
  const target = parseDatabaseUrl(url);
  if (target.engine === 'sqlite' && options.schema !== undefined) {
    throw new ImportError('USAGE', '--schema applies to PostgreSQL only', {
      hint: 'leave out --schema for a SQLite database, or pass a postgres:// URL',
    });
  }
  // Loaded on demand: SQLite users never pay for the PostgreSQL driver.
  const store =
    target.engine === 'postgres'
      ? await (await import('./postgres-contact-store.js')).PostgresContactStore.open(target.url, options)
      : SqliteContactStore.open(target.path, options);
  try {
    await store.ensureSchema();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

function sqlitePath(file: string, url: string): DatabaseTarget {
  if (file === ':memory:') return { engine: 'sqlite', path: ':memory:' };
  if (file === '' || file.includes('\0')) throw unsupported(url, ': it names no file');
  return { engine: 'sqlite', path: file };
}

function unsupported(url: string, detail = ''): ImportError {
  const shown = redactDatabaseUrl(typeof url === 'string' ? url : String(url)).slice(0, 200);
  return new ImportError('USAGE', `unsupported database URL "${shown}"${detail}`, {
    hint: 'use sqlite:path.db or postgres://…',
  });
}
