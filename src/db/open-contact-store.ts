import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ImportError } from '../errors.js';
import type { ContactStore, ContactStoreOptions } from './contact-store.js';
import { EngineContactStore } from './engine-contact-store.js';
import type { Engine, EngineFactory } from './engine.js';
import type { PgPool } from './postgres/pg-client.js';
import { redactDatabaseUrl } from './redact-database-url.js';
import type { SqliteDatabase } from './sqlite/sqlite-database.js';
import { SqliteEngine } from './sqlite/sqlite-engine.js';

export { redactDatabaseUrl };

/**
 * Where contacts go: a database URL (see parseDatabaseUrl), a better-sqlite3 Database or a
 * pg.Pool the caller owns (borrowed for each step, never closed), or a function that makes the
 * engine of a step from its options (closed after the step).
 */
export type DatabaseSource = string | SqliteDatabase | PgPool | EngineFactory;

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
 *   PostgresEngine.open for the parts it fills from PG* variables, and ?schema=).
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

export type OpenStoreOptions = ContactStoreOptions;

/**
 * Opens the contacts store a source names, with its schema created or migrated (for
 * PostgreSQL, options.schema names the schema; SQLite has none).
 * The caller owns the store and must close() it (a dry run rolls back on close).
 */
export async function openContactStore(source: DatabaseSource, options: OpenStoreOptions = {}): Promise<ContactStore> {
  const store = new EngineContactStore(await openEngine(source, options));
  try {
    await store.ensureSchema();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

/** The store, or undefined for a SQLite file that does not exist (reading must not create it). */
export async function openExistingContactStore(source: DatabaseSource, options: OpenStoreOptions = {}): Promise<ContactStore | undefined> {
  if (typeof source === 'string') {
    const target = parseDatabaseUrl(source);
    if (target.engine === 'sqlite' && target.path !== ':memory:' && !existsSync(target.path)) return undefined;
  }
  return openContactStore(source, options);
}

/** A source for messages: the SQLite path or the URL without its password. */
export function describeDatabase(source: DatabaseSource): string {
  if (typeof source !== 'string') return 'the database';
  const target = parseDatabaseUrl(source);
  return target.engine === 'sqlite' ? target.path : redactDatabaseUrl(source);
}

async function openEngine(source: DatabaseSource, options: OpenStoreOptions): Promise<Engine> {
  if (typeof source === 'function') return source(options);
  const target = typeof source === 'string' ? parseDatabaseUrl(source) : undefined;
  const sqlite = typeof source === 'string' ? target!.engine === 'sqlite' : 'pragma' in source;
  if (sqlite && options.schema !== undefined) {
    throw new ImportError('USAGE', '--schema applies to PostgreSQL only', {
      hint: 'leave out schema for a SQLite database, or use a postgres:// URL',
      options: ['schema'],
    });
  }
  if (target?.engine === 'sqlite') return SqliteEngine.open(target.path, options);
  if (sqlite) return SqliteEngine.open(source as SqliteDatabase, options);
  // Loaded on demand: SQLite users never pay for the PostgreSQL driver.
  const { PostgresEngine } = await import('./postgres/postgres-engine.js');
  return PostgresEngine.open(target?.engine === 'postgres' ? target.url : (source as PgPool), options);
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
