// The same file through the tools a hand-written loader would be compared with: the sqlite3
// shell's `.import` and psql's `\copy`. Each returns wall milliseconds, or undefined when the
// tool is not installed. With GNU time (/usr/bin/time) also their CPU time and peak RSS.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import pg from 'pg';

export function hasTool(name) {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
}

const GNU_TIME = '/usr/bin/time';
const gnuTime = fs.existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%U', 'true'], { stdio: 'ignore' }).status === 0;

/** Wall ms, and with GNU time CPU ms and peak RSS (MB), of one command. */
function timed(command, args) {
  const [file, argv] = gnuTime ? [GNU_TIME, ['-f', '@@%U %S %M', command, ...args]] : [command, args];
  const started = performance.now();
  const result = spawnSync(file, argv, { encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.error}`);
  const usage = /@@([\d.]+) ([\d.]+) (\d+)/.exec(result.stderr ?? '');
  if (!usage) return { ms };
  return { ms, cpuMs: (Number(usage[1]) + Number(usage[2])) * 1000, maxRssMb: Number(usage[3]) / 1024 };
}

/**
 * `sqlite3 fresh.db` with `.mode csv` and `.import file contacts` (the header names the columns).
 * With `indexed`, the table is made first (12 untyped columns) with an index on the email column,
 * as the tool's own table has: rows reach it in random email order, which is most of a real
 * load's cost. A plain index, not a unique one, so that the file's duplicates load too.
 */
export function sqliteImport(csv, db, { indexed = false } = {}) {
  fs.rmSync(db, { force: true });
  if (indexed) {
    const made = spawnSync('sqlite3', [db, `CREATE TABLE contacts (${columnList('')}); CREATE INDEX contacts_email ON contacts (c${emailColumn(csv) + 1})`], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`sqlite3 failed: ${made.stderr}`);
  }
  const measured = timed('sqlite3', [db, '-cmd', '.mode csv', indexed ? `.import --skip 1 ${csv} contacts` : `.import ${csv} contacts`]);
  fs.rmSync(db, { force: true });
  return measured;
}

/** `psql \copy` into a fresh plain table of 12 text columns in a scratch schema; `indexed`: with an index on the email column (see sqliteImport). */
export async function psqlCopy(csv, url, schema, { indexed = false } = {}) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    await client.query(`CREATE TABLE ${schema}.contacts (${columnList(' text')})`);
    if (indexed) await client.query(`CREATE INDEX ON ${schema}.contacts (c${emailColumn(csv) + 1})`);
    const copy = `\\copy ${schema}.contacts from '${csv.replace(/'/g, "''")}' with (format csv, header true)`;
    // psql's own CPU time says nothing of the server's work: wall time only.
    const { ms } = timed('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, '-c', copy]);
    return { ms };
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

const COLUMNS = 12;
const columnList = (type) => Array.from({ length: COLUMNS }, (_, i) => `c${i + 1}${type}`).join(', ');

/** The 0-based position of the file's email column, from its header (the generator's files have no quoted header). */
function emailColumn(csv) {
  const fd = fs.openSync(csv, 'r');
  try {
    const head = Buffer.alloc(4096);
    const header = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)).toString('utf8').split(/\r?\n/)[0];
    const at = header.split(',').findIndex((name) => /e-?mail/i.test(name));
    if (at === -1) throw new Error(`${csv} has no email column in its header`);
    return at;
  } finally {
    fs.closeSync(fd);
  }
}

/** True when PostgreSQL answers at `url` within a few seconds. */
export async function postgresReachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function dropSchema(url, schema) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
