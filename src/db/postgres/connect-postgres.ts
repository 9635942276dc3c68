import { ImportError } from '../../errors.js';
import { redactDatabaseUrl } from '../redact-database-url.js';
import { BoundedClient, noAnswerMs } from './bounded-client.js';
import type { PgClient, PgPool } from './pg-client.js';
import { postgresFailure } from './postgres-failure.js';
import { parsePostgresUrl } from './postgres-url.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 60_000;
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;
/** An idle connection is probed after this long, so a server that vanished is noticed even between statements. */
const KEEPALIVE_DELAY_MS = 10_000;

/** How long to wait for PostgreSQL, in milliseconds (see ContactStoreOptions). */
export interface PostgresTimeouts {
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
}

/**
 * A postgres:// URL, a pool (pg.Pool or one shaped like it) to borrow a client from, or a
 * function that makes a new, unconnected client, which the engine connects and ends.
 */
export type PostgresSource = string | PgPool | (() => PgClient | Promise<PgClient>);

export interface PostgresConnection {
  client: PgClient;
  /** user@host:port/database, for messages: never the URL, which may hold a password. */
  where: string;
  /** From the URL's `?schema=`. */
  schema?: string;
}

/**
 * Connects (within connectTimeoutMs, default 5 s) to what a source names. A connection made from
 * a URL bounds every round trip: the session's statement_timeout and lock_timeout, a client-side
 * deadline a little longer for a server that does not answer at all (BoundedClient), and TCP
 * keepalive. A pool or a client handed in keeps its owner's settings.
 */
export async function connectPostgres(source: PostgresSource, timeouts: PostgresTimeouts = {}): Promise<PostgresConnection> {
  const { connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS, statementTimeoutMs = DEFAULT_STATEMENT_TIMEOUT_MS, lockTimeoutMs = DEFAULT_LOCK_TIMEOUT_MS } = timeouts;
  if (typeof source === 'object') {
    const client = await source.connect().catch((error: unknown) => {
      throw postgresFailure(error, 'cannot connect to PostgreSQL through the pool');
    });
    return { client, where: whereOf(client) };
  }
  let schema: string | undefined;
  let client: PgClient;
  if (typeof source === 'string') {
    const target = parsePostgresUrl(source);
    schema = target.schema;
    try {
      client = new BoundedClient(
        {
          connectionString: target.connectionString,
          connectionTimeoutMillis: connectTimeoutMs,
          keepAlive: true,
          keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
          statement_timeout: statementTimeoutMs,
          lock_timeout: lockTimeoutMs,
          fallback_application_name: 'contact-import',
        },
        noAnswerMs(statementTimeoutMs),
      );
    } catch (error) {
      // Bad URL syntax, or an sslrootcert/sslcert file that cannot be read.
      throw new ImportError('USAGE', `invalid PostgreSQL URL "${redactDatabaseUrl(source).slice(0, 200)}": ${error instanceof Error ? error.message : String(error)}`, {
        hint: 'use postgres://user@host:5432/database (percent-encode special characters in the password)',
        cause: error,
      });
    }
  } else {
    client = await source();
  }
  const connection = { client, where: whereOf(client), schema };
  let lost: Error | undefined;
  // An idle connection that dies emits 'error'; unhandled, it would crash the process.
  client.on('error', (error) => {
    lost ??= error;
  });
  try {
    await client.connect?.();
  } catch (error) {
    await endQuietly(connection);
    throw postgresFailure(lost ?? error, `cannot connect to PostgreSQL at ${connection.where}`);
  }
  return connection;
}

/** Ends the connection (a pool's client goes back to its pool), bounded: a vanished server must not hold up the exit. */
export async function endQuietly(connection: PostgresConnection, lost?: Error): Promise<void> {
  const { client } = connection;
  if (client.release) {
    client.release(lost ?? false);
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.end?.().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 2000);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}

function whereOf(client: PgClient): string {
  return `${client.user ?? ''}@${client.host ?? ''}:${client.port ?? ''}/${client.database ?? ''}`;
}
