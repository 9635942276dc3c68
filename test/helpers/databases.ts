// Throwaway contact databases for tests that run against every engine: a SQLite file in a
// scratch folder, or a PostgreSQL schema of its own (ci_<random>) in the test database.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

/** The test server (.ci/run starts it); TEST_POSTGRES_URL points elsewhere. */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type Row = Record<string, any>;

export interface TestDatabase {
  engine: 'sqlite' | 'postgres';
  /** The --database value that names it (PostgreSQL: with ?schema=). */
  url: string;
  /** PostgreSQL: the schema; SQLite: undefined. */
  schema?: string;
  /**
   * Rows of a query, made comparable across engines: timestamps as ISO strings, ids as
   * numbers, mapping as parsed JSON. `?` placeholders work on both.
   */
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs SQL statements (setup), outside any store. */
  exec(sql: string): Promise<void>;
  /** Tables present, sorted. */
  tables(): Promise<string[]>;
  /** Column names of a table, in order. */
  columns(table: string): Promise<string[]>;
  /** Whether anything was created yet (the SQLite file; the PostgreSQL schema). */
  exists(): Promise<boolean>;
  /**
   * Whether another connection is inside a write transaction on it right now (SQLite: holds
   * the write lock; PostgreSQL: holds a lock on one of the schema's tables).
   */
  inTransaction(): Promise<boolean>;
  drop(): Promise<void>;
}

export interface TestEngine {
  name: 'sqlite' | 'postgres';
  /** SQL for an auto-numbered primary key column `id`, for hand-made tables. */
  autoId: string;
  /** A new, empty database; `dir` is a scratch folder the caller removes. */
  create(dir: string, name?: string): TestDatabase;
}

export const SQLITE: TestEngine = {
  name: 'sqlite',
  autoId: 'id INTEGER PRIMARY KEY',
  create(dir, name = 'contacts') {
    const file = path.join(dir, `${name}.db`);
    const read = <T>(fn: (db: Database.Database) => T): T => {
      const db = new Database(file, { readonly: true });
      try {
        return fn(db);
      } finally {
        db.close();
      }
    };
    return {
      engine: 'sqlite',
      url: `sqlite:${file}`,
      async query(sql, params = []) {
        return read((db) => (db.prepare(sql).all(...params) as Row[]).map(normalize));
      },
      async exec(sql) {
        const db = new Database(file);
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
      async tables() {
        if (!fs.existsSync(file)) return [];
        return read((db) =>
          (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Row[]).map((r) => r.name),
        );
      },
      async columns(table) {
        return read((db) => (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Row[]).map((r) => r.name));
      },
      async exists() {
        return fs.existsSync(file);
      },
      async inTransaction() {
        if (!fs.existsSync(file)) return false;
        const db = new Database(file, { timeout: 0 });
        try {
          db.exec('BEGIN IMMEDIATE');
          db.exec('ROLLBACK');
          return false;
        } catch (error) {
          if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
          throw error;
        } finally {
          db.close();
        }
      },
      async drop() {
        for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
      },
    };
  },
};

export const POSTGRES: TestEngine = {
  name: 'postgres',
  autoId: 'id BIGSERIAL PRIMARY KEY',
  create() {
    const schema = `ci_${crypto.randomBytes(6).toString('hex')}`;
    let client: pg.Client | undefined;
    // Unqualified names resolve in the test's own schema, so SQL reads the same on both engines.
    const connect = async (): Promise<pg.Client> => {
      if (!client) {
        client = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
        client.on('error', () => undefined);
        await client.connect();
      }
      return client;
    };
    return {
      engine: 'postgres',
      url: `${POSTGRES_URL}?schema=${schema}`,
      schema,
      async query(sql, params = []) {
        let n = 0;
        const result = await (await connect()).query(sql.replace(/\?/g, () => `$${++n}`), params);
        return result.rows.map(normalize);
      },
      async exec(sql) {
        const c = await connect();
        await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await c.query(sql);
      },
      async tables() {
        const result = await (await connect()).query(
          'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
          [schema],
        );
        return result.rows.map((r) => r.name);
      },
      async columns(table) {
        const result = await (await connect()).query(
          'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
          [schema, table],
        );
        return result.rows.map((r) => r.name);
      },
      async exists() {
        const result = await (await connect()).query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
        return result.rowCount === 1;
      },
      async inTransaction() {
        // Table locks last until the end of a transaction; advisory locks (no relation) do not count.
        const result = await (await connect()).query(
          `SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND l.pid <> pg_backend_pid() LIMIT 1`,
          [schema],
        );
        return result.rowCount === 1;
      },
      async drop() {
        const c = await connect();
        try {
          await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          client = undefined;
          await c.end();
        }
      },
    };
  },
};

export const ENGINES: readonly TestEngine[] = [SQLITE, POSTGRES];

/** One row made engine-neutral (see TestDatabase.query). */
export function normalize(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Date) out[key] = value.toISOString();
    else if (key === 'id' && typeof value === 'string' && /^\d+$/.test(value)) out[key] = Number(value);
    else if (key === 'mapping' && typeof value === 'string') out[key] = JSON.parse(value);
    else out[key] = value;
  }
  return out;
}

/** Rows without what differs between any two runs (ids, timestamps, import ids). */
export function comparable(rows: Row[]): Row[] {
  return rows.map(({ id: _id, created_at: _c, updated_at: _u, import_id: _i, ...rest }) => rest);
}
