// PostgreSQL-only behaviour: schemas and search_path, adopting hand-made tables, values the
// server cannot store, and what the user sees when the server is unreachable or goes away.
// The engine-neutral behaviour is in contact-store.test.ts.
import net from 'node:net';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import type { ContactStore, ContactToWrite } from '../../src/db/contact-store.js';
import type { EngineContactStore } from '../../src/db/engine-contact-store.js';
import { openContactStore, type OpenStoreOptions } from '../../src/db/open-contact-store.js';
import { POSTGRES_SCHEMA_VERSION, postgresSchemaVersion } from '../../src/db/postgres/postgres-schema.js';
import type { Contact } from '../../src/contacts/fields.js';
import { POSTGRES, POSTGRES_URL, type TestDatabase } from '../helpers/databases.js';
import { rejectionOf } from '../helpers/import-error.js';

let db: TestDatabase;
const open: ContactStore[] = [];
const extraSchemas: string[] = [];

beforeEach(() => {
  db = POSTGRES.create('');
});

afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  for (const schema of extraSchemas.splice(0)) await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db.drop();
});

async function openStore(url = db.url, options: OpenStoreOptions = {}): Promise<ContactStore> {
  const store = await openContactStore(url, options);
  open.push(store);
  return store;
}

function batch(...contacts: Contact[]): ContactToWrite[] {
  return contacts.map((contact, i) => ({ row: i + 10, contact }));
}


/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('schemas', () => {
  it('uses PostgreSQL types: identity id, timestamptz, jsonb mapping', async () => {
    await openStore();
    const types = await db.query(
      `SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns
       WHERE table_schema = ? AND column_name IN ('id', 'email', 'created_at', 'started_at', 'mapping', 'imported') ORDER BY 1, 2`,
      [db.schema],
    );
    expect(types).toEqual([
      { table_name: 'contact_imports', column_name: 'id', data_type: 'text', is_identity: 'NO' },
      { table_name: 'contact_imports', column_name: 'imported', data_type: 'integer', is_identity: 'NO' },
      { table_name: 'contact_imports', column_name: 'mapping', data_type: 'jsonb', is_identity: 'NO' },
      { table_name: 'contact_imports', column_name: 'started_at', data_type: 'timestamp with time zone', is_identity: 'NO' },
      { table_name: 'contacts', column_name: 'created_at', data_type: 'timestamp with time zone', is_identity: 'NO' },
      { table_name: 'contacts', column_name: 'email', data_type: 'text', is_identity: 'NO' },
      { table_name: 'contacts', column_name: 'id', data_type: 'bigint', is_identity: 'YES' },
    ]);
    const unique = await db.query(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = ? AND tablename = 'contacts' AND indexdef LIKE 'CREATE UNIQUE INDEX%(email)'`,
      [db.schema],
    );
    expect(unique).toHaveLength(1);
  });

  it('records the version, and needs no DDL once the schema is up to date', async () => {
    await (await openStore()).close();
    const store = (await openStore()) as EngineContactStore;
    expect(store.schema).toBe(db.schema);
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      expect(await postgresSchemaVersion(client, db.schema!, 'contacts')).toBe(POSTGRES_SCHEMA_VERSION);
      expect(await postgresSchemaVersion(client, db.schema!, 'other')).toBe(0);
      expect(await postgresSchemaVersion(client, 'no_such_schema', 'contacts')).toBe(0);
    } finally {
      await client.end();
    }
    // A role that may only read and write rows (no CREATE anywhere) can import into it.
    const role = `${db.schema}_writer`;
    await db.exec(`CREATE ROLE ${role} LOGIN;
      GRANT USAGE ON SCHEMA ${db.schema} TO ${role};
      GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA ${db.schema} TO ${role};`);
    try {
      const url = db.url.replace('postgres://postgres@', `postgres://${role}@`);
      const limited = await openContactStore(url, {});
      expect((await limited.writeBatch(batch({ email: 'w@x.co', firstName: 'W' }), { importId: 'i', onDuplicate: 'update' })).map((w) => w.outcome)).toEqual(['inserted']);
      await limited.close();
    } finally {
      await db.exec(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });

  it('takes the schema from --schema over ?schema=, folding names to lower case', async () => {
    const other = `${db.schema}_b`;
    extraSchemas.push(other);
    const store = (await openStore(db.url, { schema: other.toUpperCase(), table: 'People' })) as EngineContactStore;
    expect(store.schema).toBe(other);
    expect(store.table).toBe('people');
    await store.writeBatch(batch({ email: 'a@x.co', firstName: 'A' }), { importId: 'i', onDuplicate: 'skip' });
    expect(await db.query(`SELECT email FROM ${other}.people`)).toEqual([{ email: 'a@x.co' }]);
    expect(await db.exists()).toBe(false);
  });

  it('follows the search_path when no schema is named (options=-c search_path=… in the URL)', async () => {
    await db.exec('SELECT 1'); // creates the test schema
    const url = `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=no_such_schema,${db.schema}`)}`;
    const store = (await openStore(url)) as EngineContactStore;
    expect(store.schema).toBe(db.schema);
    expect(await db.tables()).toEqual(['contact_import_changes', 'contact_import_migrations', 'contact_imports', 'contacts']);
  });

  it('asks for a schema when the search_path names no existing schema', async () => {
    const url = `${POSTGRES_URL}?options=${encodeURIComponent('-c search_path=no_such_schema')}`;
    const error = await rejectionOf(openStore(url));
    expect(error.code).toBe('USAGE');
    expect(error.message).toMatch(/search_path "no_such_schema" names no existing schema/);
    expect(error.hint).toMatch(/^set schema to the one to use/);
    expect(error.options).toEqual(['schema']);
  });

  it('borrows a client from a pg.Pool it is handed, giving it back on close', async () => {
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    try {
      const store = await openContactStore(pool, { schema: db.schema });
      expect((await store.writeBatch(batch({ email: 'p@x.co', firstName: 'P' }), { importId: 'i', onDuplicate: 'skip' })).map((w) => w.outcome)).toEqual(['inserted']);
      await store.close();
      // The pool's one client is free again.
      const again = await openContactStore(pool, { schema: db.schema, dryRun: true });
      expect(await again.findContacts(['p@x.co'])).toEqual(new Map([['p@x.co', { id: 1, importId: 'i' }]]));
      await again.close();
      expect(pool.totalCount).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it('rejects invalid schema names', async () => {
    await expect(openStore(db.url, { schema: 'a-b' })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(openStore(`${POSTGRES_URL}?schema=pg_catalog`)).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('lets concurrent first runs create the same schema', async () => {
    const stores = await Promise.all(Array.from({ length: 4 }, () => openStore()));
    expect(stores).toHaveLength(4);
    expect(await db.query('SELECT version FROM contact_import_migrations ORDER BY version')).toEqual([{ version: 1 }, { version: 2 }]);
  });
});

describe('adopting existing tables', () => {
  const columns = `email TEXT, first_name TEXT, last_name TEXT, phone TEXT, company TEXT, title TEXT, address TEXT,
    city TEXT, state TEXT, country TEXT, zip_code TEXT, notes TEXT, import_id TEXT, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ`;

  it.each([
    ['no unique index on email', `id BIGSERIAL PRIMARY KEY, ${columns}`, /has no unique index on email/],
    ['a partial unique index only', `id BIGSERIAL PRIMARY KEY, ${columns}; CREATE UNIQUE INDEX ON contacts (email) WHERE email <> ''`, /has no unique index on email/],
    ['an id without a default', `id BIGINT PRIMARY KEY, ${columns.replace('email TEXT', 'email TEXT UNIQUE')}`, /\(id has no default\)/],
    ['a column of another kind', `id BIGSERIAL PRIMARY KEY, ${columns.replace('phone TEXT', 'phone BIGINT').replace('email TEXT', 'email TEXT UNIQUE')}`, /\(phone is bigint\)/],
    ['a required column it cannot fill', `id BIGSERIAL PRIMARY KEY, ${columns.replace('email TEXT', 'email TEXT UNIQUE')}, owner TEXT NOT NULL`, /\(owner is NOT NULL without a default\)/],
  ])('refuses a table with %s', async (_what, ddl, message) => {
    await db.exec(`CREATE TABLE contacts (${ddl.split(';')[0]});${ddl.split(';').slice(1).join(';')}`);
    const error = await rejectionOf(openStore());
    expect(error.code).toBe('USAGE');
    expect(error.message).toMatch(message);
    expect(error.hint).toBeTruthy();
  });

  it('adopts one with a unique email and text timestamps', async () => {
    await db.exec(`CREATE TABLE contacts (id SERIAL PRIMARY KEY, ${columns.replace('email TEXT', 'email VARCHAR(200) UNIQUE').replace(/TIMESTAMPTZ/g, 'TEXT')}, extra TEXT DEFAULT 'x')`);
    const store = await openStore();
    expect((await store.writeBatch(batch({ email: 'a@x.co', firstName: 'A' }), { importId: 'i', onDuplicate: 'update' })).map((w) => w.outcome)).toEqual(['inserted']);
    expect((await store.writeBatch(batch({ email: 'a@x.co', firstName: 'B' }), { importId: 'i', onDuplicate: 'update' })).map((w) => w.outcome)).toEqual(['updated']);
    const [row] = await db.query('SELECT first_name, extra, created_at FROM contacts');
    expect(row).toMatchObject({ first_name: 'B', extra: 'x' });
    expect(typeof row!.created_at).toBe('string');
  });
});

describe('values PostgreSQL cannot store', () => {
  it.each([
    ['a NUL character', { notes: 'a\u0000b' }, 'Notes contains a NUL character, which PostgreSQL cannot store'],
    ['a lone surrogate', { city: 'x\uD800' }, 'City contains invalid Unicode, which PostgreSQL cannot store'],
    // Checked a line at a time: the tab between them keeps two halves in two values from pairing up.
    ['halves of a surrogate pair in two values', { city: 'x\uD83D', state: '\uDE42y' }, 'City contains invalid Unicode, which PostgreSQL cannot store'],
    ['a lone low surrogate in the last value', { notes: '\uDE42' }, 'Notes contains invalid Unicode, which PostgreSQL cannot store'],
  ])('refuses %s before sending anything, naming the row', async (_what, fields, message) => {
    const store = await openStore();
    const bad = batch({ email: 'ok@x.co', firstName: 'Ok' }, { email: 'bad@x.co', firstName: 'Bad', ...fields });
    const error = await rejectionOf(store.writeBatch(bad, { importId: 'i', onDuplicate: 'skip' }));
    expect(error.code).toBe('USAGE');
    expect(error.message).toBe(message);
    expect(error.place.row).toBe(11);
    expect(await db.query('SELECT * FROM contacts')).toEqual([]);
    expect((await store.writeBatch(batch({ email: 'ok@x.co', firstName: 'Ok' }), { importId: 'i', onDuplicate: 'skip' })).map((w) => w.outcome)).toEqual(['inserted']);
  });
});

describe('connection problems', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('reports a refused connection in one line, without the password', async () => {
    const port = await closedPort();
    const started = Date.now();
    const error = await rejectionOf(openStore(`postgres://admin:topsecret@127.0.0.1:${port}/crm`));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error.code).toBe('IO');
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(`cannot connect to PostgreSQL at admin@127.0.0.1:${port}/crm: connection refused`);
    expect(error.hint).toMatch(/server is running.*PGHOST, PGPORT/);
    expect(error.options).toEqual(['database']);
    expect(error.describe()).not.toContain('topsecret');
    expect(error.describe()).not.toContain('\n');
  });

  it('gives up on a server that never answers after PGCONNECT_TIMEOUT (read by the configuration)', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const connectTimeoutMs = resolveConfig({ env: { PGCONNECT_TIMEOUT: '1' } }).postgresConnectTimeoutMs;
    expect(connectTimeoutMs).toBe(1000);
    try {
      const started = Date.now();
      const error = await rejectionOf(openStore(`postgres://postgres@127.0.0.1:${port}/test`, { connectTimeoutMs }));
      expect(Date.now() - started).toBeLessThan(4000);
      expect(error.code).toBe('IO');
      expect(error.message).toMatch(/no answer from the server in time$/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  // The test server trusts local connections, so a wrong password cannot be produced here;
  // a missing database and a missing role take the same path (a FATAL at startup).
  it('reports a missing database with what to do', async () => {
    const error = await rejectionOf(openStore(POSTGRES_URL.replace(/\/test$/, '/no_such_db_ci')));
    expect(error.code).toBe('IO');
    expect(error.message).toMatch(/^cannot connect to PostgreSQL at postgres@127\.0\.0\.1:5432\/no_such_db_ci: database "no_such_db_ci" does not exist$/);
    expect(error.hint).toMatch(/createdb/);
  });

  it('reports a missing role as an authentication problem', async () => {
    const error = await rejectionOf(openStore(POSTGRES_URL.replace('postgres://postgres@', 'postgres://nobody_ci:pw@')));
    expect(error.code).toBe('IO');
    expect(error.message).toMatch(/role "nobody_ci" does not exist/);
    expect(error.hint).toMatch(/PGUSER \/ PGPASSWORD/);
    expect(error.describe()).not.toContain(':pw');
  });

  it('fills what the URL leaves out from PG* variables', async () => {
    const url = new URL(POSTGRES_URL);
    Object.assign(process.env, { PGHOST: url.hostname, PGPORT: url.port || '5432', PGUSER: decodeURIComponent(url.username), PGDATABASE: url.pathname.slice(1) });
    const store = (await openStore(`postgres://?schema=${db.schema}`)) as EngineContactStore;
    expect(store.where).toBe(`${process.env.PGUSER}@${url.hostname}:${url.port || '5432'}/${url.pathname.slice(1)}`);
    expect(await db.exists()).toBe(true);
  });

  it('rejects a malformed URL as a usage error, without the password', async () => {
    const error = await rejectionOf(openStore('postgres://u:hunter2@[::1/db'));
    expect(error.code).toBe('USAGE');
    expect(error.describe()).not.toContain('hunter2');
  });

  it.each([
    ['statementTimeoutMs', { statementTimeoutMs: 300 }, /canceling statement due to statement timeout$/, /PG_STATEMENT_TIMEOUT_MS/],
    ['lockTimeoutMs', { lockTimeoutMs: 300, statementTimeoutMs: 60_000 }, /canceling statement due to lock timeout$/, /PG_LOCK_TIMEOUT_MS/],
  ] as const)('bounds a statement that waits for another session by the session\'s %s, and says which setting', async (_name, timeouts, message, hint) => {
    const store = await openStore(db.url, timeouts);
    await store.claimRun({ importId: 'slow', fileId: 'f', fileName: 'c.csv', totalRows: 1, mapping: {}, resumeKey: 'k' });
    // Another session keeps the contacts table locked, as a long migration or a stuck transaction would.
    const other = new pg.Client({ connectionString: POSTGRES_URL });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`LOCK TABLE ${db.schema}.contacts IN ACCESS EXCLUSIVE MODE`);
      const started = Date.now();
      const error = await rejectionOf(store.writeBatch(batch({ email: 'a@x.co', firstName: 'A' }), { importId: 'slow', onDuplicate: 'skip' }));
      expect(Date.now() - started).toBeLessThan(3000);
      expect(error.code).toBe('IO');
      expect(error.message).toMatch(message);
      expect(error.hint).toMatch(hint);
      expect(error.hint).toMatch(/run the same import again/);
    } finally {
      await other.end();
    }
    // The connection is still good: the run can be recorded and the next batch written.
    expect(await store.writeBatch(batch({ email: 'a@x.co', firstName: 'A' }), { importId: 'slow', onDuplicate: 'skip' })).toMatchObject([{ outcome: 'inserted' }]);
  });

  it('fails fast and clearly when the server goes away mid-import, keeping committed batches', async () => {
    // Named, so the test can find its backend and terminate it as an administrator would.
    const store = await openStore(`${db.url}&application_name=${db.schema}`);
    await store.claimRun({ importId: 'gone', fileId: 'f', fileName: 'c.csv', totalRows: 2, mapping: {}, resumeKey: 'k' });
    await store.writeBatch(batch({ email: 'a@x.co', firstName: 'A' }), { importId: 'gone', onDuplicate: 'skip' });
    const killed = await db.query(
      'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = ?',
      [db.schema],
    );
    expect(killed).toEqual([{ ok: true }]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const error = await rejectionOf(store.writeBatch(batch({ email: 'b@x.co', firstName: 'B' }), { importId: 'gone', onDuplicate: 'skip' }));
    expect(error.code).toBe('IO');
    expect(error.message).toMatch(/connection/i);
    expect(error.hint).toMatch(/run the same import again/);
    // finishImport cannot record the failure without a connection: the run stays 'running'.
    await expect(store.finishImport('gone', 'failed', { totalRows: 2, imported: 1, updated: 0, skipped: 0, invalid: 0, duplicates: 0, excluded: 0 })).rejects.toMatchObject({ code: 'IO' });
    await store.close();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await db.query('SELECT email FROM contacts')).toEqual([{ email: 'a@x.co' }]);
    expect(await db.query('SELECT status FROM contact_imports')).toEqual([{ status: 'running' }]);
  });
});
