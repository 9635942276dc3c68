import { resolveConfig, type Config, type ConfigOptions } from '../config.js';
import { ContactDatabase } from '../db/contact-database.js';
import type { DatabaseSource } from '../db/open-contact-store.js';
import { openFileStore } from '../files/open-file-store.js';
import type { FileStore } from '../files/file-store.js';
import { openStateStore } from '../state/open-state-store.js';
import type { StateStore } from '../state/state-store.js';

/** The configuration and the three stores every step uses. */
export interface Context {
  config: Config;
  files: FileStore;
  state: StateStore;
  /** Where contacts go; each step that needs it opens its own store (nothing is opened before). */
  contacts: ContactDatabase;
  close(): Promise<void>;
}

export interface ContextOptions extends Omit<ConfigOptions, 'database'> {
  /**
   * A database URL (default DATABASE_URL, else sqlite:contacts.db), a better-sqlite3 Database
   * or pg.Pool you keep and close yourself, or a function that makes each step's engine.
   */
  database?: DatabaseSource;
}

export function openContext(options: ContextOptions | Config = {}): Context {
  const source = isConfig(options) ? undefined : options.database;
  const config = isConfig(options)
    ? options
    : resolveConfig({ ...options, database: typeof source === 'string' ? source : undefined });
  const files = openFileStore(config);
  const state = openStateStore(config);
  const contacts = new ContactDatabase(source === undefined || typeof source === 'string' ? config.databaseUrl : source, {
    table: config.table,
    connectTimeoutMs: config.postgresConnectTimeoutMs,
    statementTimeoutMs: config.postgresStatementTimeoutMs,
    lockTimeoutMs: config.postgresLockTimeoutMs,
  });
  return {
    config,
    files,
    state,
    contacts,
    async close() {
      await Promise.allSettled([files.close(), state.close()]);
    },
  };
}

function isConfig(options: ContextOptions | Config): options is Config {
  return 'maxFileSizeBytes' in options;
}
