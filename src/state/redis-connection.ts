import type { Redis } from 'ioredis';
import { ImportError } from '../errors.js';
import type { RedisTarget } from './redis-url.js';

// One ioredis connection for a CLI run or a library Context, tuned so that a missing, locked or
// vanished Redis is one clear error within 10 seconds, never a hang and never a retry storm:
//
// - no offline queue and no background reconnects (retryStrategy null): a command either goes
//   out on a ready connection or fails. The connection is opened on first use and reopened on
//   the next command after a drop, with one quick retry for a refused or reset connection;
// - every connect and command has a deadline enforced here (ioredis's connectTimeout only covers
//   the TCP handshake, and its commandTimeout cannot grow with the payload);
// - after a failure that looks like an outage, commands fail at once for a short while, so the
//   best-effort clean-up writes after an error do not each wait out their own timeout.
//
// Worst case for one operation: a refused connect, the retry's connect timing out (3 s) — or a
// connect followed by a command that never answers (3 s + 5 s).

const CONNECT_TIMEOUT_MS = 3_000;
const COMMAND_TIMEOUT_MS = 5_000;
/** Extra time per MiB sent, for the one large value a session has (the analysis). */
const MS_PER_MIB = 100;
const RETRY_DELAY_MS = 250;
const OUTAGE_MEMORY_MS = 3_000;
const QUIT_TIMEOUT_MS = 1_000;

type FailureKind = 'auth' | 'unreachable' | 'timeout' | 'refused';

class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms / 1000} s`);
  }
}

export interface RunOptions {
  /** Safe to send again after a dropped connection (reads, plain writes, idempotent scripts). */
  retry?: boolean;
  /** Bytes sent with the command, for its deadline. */
  payloadBytes?: number;
}

export class RedisConnection {
  private client?: Redis;
  private connecting?: Promise<Redis>;
  private lastError?: Error;
  private outage?: { until: number; error: ImportError };
  private closed = false;

  constructor(private readonly target: RedisTarget) {}

  /** Runs one operation on a ready connection; every failure is an ImportError ('IO'). */
  async run<T>(what: string, op: (client: Redis) => Promise<T>, options: RunOptions = {}): Promise<T> {
    if (this.closed) throw new ImportError('INTERNAL', `Redis state used after close (${what})`);
    if (this.outage && this.outage.until > Date.now()) throw this.outage.error;
    const deadline = COMMAND_TIMEOUT_MS + Math.ceil(((options.payloadBytes ?? 0) / 1024 / 1024) * MS_PER_MIB);
    for (let attempt = 1; ; attempt++) {
      let client: Redis;
      try {
        client = await this.connect();
      } catch (error) {
        const kind = classify(error);
        if (kind === 'unreachable' && attempt === 1) {
          await sleep(RETRY_DELAY_MS);
          continue;
        }
        throw this.fail(kind, error, what);
      }
      try {
        return await withDeadline(op(client), deadline, () => client.disconnect());
      } catch (error) {
        const kind = classify(error);
        if (kind === 'unreachable' && attempt === 1 && options.retry) {
          await sleep(RETRY_DELAY_MS);
          continue;
        }
        throw this.fail(kind, error, what);
      }
    }
  }

  /** Quits politely when connected, and drops the socket if Redis does not answer at once. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    if (!client) return;
    if (client.status !== 'ready') {
      client.disconnect();
      return;
    }
    try {
      await withDeadline(client.quit(), QUIT_TIMEOUT_MS, () => undefined);
    } catch {
      // Quitting is a courtesy; the socket goes either way.
    } finally {
      client.disconnect();
    }
  }

  private connect(): Promise<Redis> {
    if (this.client?.status === 'ready') return Promise.resolve(this.client);
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<Redis> {
    const client = this.client ?? (await this.create());
    this.lastError = undefined;
    try {
      // A connection that dropped ends in 'end' (no background reconnects), from which connect() starts afresh.
      if (client.status !== 'wait' && client.status !== 'end') await disconnected(client);
      await withDeadline(client.connect(), CONNECT_TIMEOUT_MS + 500, () => client.disconnect());
      return client;
    } catch (error) {
      // ioredis rejects with "Connection is closed."; the reason came as an 'error' event.
      throw error instanceof DeadlineExceeded ? error : (this.lastError ?? error);
    }
  }

  private async create(): Promise<Redis> {
    // Loaded on first use: commands that never touch Redis state do not pay for it.
    const { Redis } = await import('ioredis');
    const client = new Redis(this.target.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      connectTimeout: CONNECT_TIMEOUT_MS,
      autoResubscribe: false,
      autoResendUnfulfilledCommands: false,
      connectionName: 'contact-import',
    });
    // With a listener ioredis reports connection errors here instead of printing them.
    client.on('error', (error: Error) => {
      this.lastError = error;
    });
    this.client = client;
    return client;
  }

  private fail(kind: FailureKind, error: unknown, what: string): ImportError {
    const { where, redact } = this.target;
    const reason = redact(error instanceof DeadlineExceeded ? error.message : describe(error));
    let failure: ImportError;
    switch (kind) {
      case 'auth':
        failure = new ImportError('IO', `Redis at ${where} refused the credentials: ${reason}`, {
          hint: 'check the user name and password in REDIS_URL (redis://user:password@host:port/db)',
        });
        break;
      case 'refused':
        return new ImportError('IO', `Redis at ${where} refused to ${what}: ${reason}`, {
          hint: 'check the server (memory, read-only replica, ACL permissions for this user)',
        });
      case 'timeout':
      case 'unreachable':
        failure = new ImportError('IO', `cannot reach Redis at ${where}: ${reason} (${what})`, {
          hint: 'check that Redis is running and REDIS_URL is right, or unset REDIS_URL to keep state in the home folder',
        });
        break;
    }
    // The driver's error is not kept as the cause: it may carry the AUTH command's arguments.
    this.outage = { until: Date.now() + OUTAGE_MEMORY_MS, error: failure };
    return failure;
  }
}

function classify(error: unknown): FailureKind {
  if (error instanceof DeadlineExceeded) return 'timeout';
  const message = describe(error);
  if (/NOAUTH|WRONGPASS|invalid password|invalid username-password|AUTH failed/i.test(message)) return 'auth';
  if ((error as { name?: string } | undefined)?.name === 'ReplyError') return 'refused';
  return 'unreachable';
}

function describe(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  // What ioredis says when the socket went away under a command: say that instead.
  if (/Stream isn't writeable|Connection is closed/i.test(text)) return 'the connection was closed before Redis answered';
  return text || 'unknown error';
}

/** Settles with the promise, or rejects with DeadlineExceeded (after calling onTimeout) when it takes too long. */
function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new DeadlineExceeded(ms));
      onTimeout();
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Drops a half-open connection and waits (briefly) until ioredis has let go of it. */
function disconnected(client: Redis): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, 1_000);
    function done(): void {
      clearTimeout(timer);
      client.off('end', done);
      resolve();
    }
    client.once('end', done);
    client.disconnect();
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
