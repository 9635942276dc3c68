import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { ImportError } from '../errors.js';
import { ttlMilliseconds } from './check-ttl.js';
import { RedisConnection } from './redis-connection.js';
import { holderIsGone } from '../process-alive.js';
import { parseRedisUrl } from './redis-url.js';
import { sessionSiblings } from './session-keys.js';
import type { StateLock, StateStore } from './state-store.js';

export const DEFAULT_REDIS_PREFIX = 'contact-import:';

/**
 * Redis only allows 512 MB per string; the largest value a session has is the analysis with its
 * 1000 sample rows, which a file within the size limits keeps well below this.
 */
const MAX_VALUE_BYTES = 256 * 1024 * 1024;

// Set a value and extend (never shorten) the TTL of the session's other keys, atomically.
// KEYS[1] the key, KEYS[2..] its siblings; ARGV[1] the JSON, ARGV[2] the TTL in ms.
const SET_IN_SESSION = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local ttl = tonumber(ARGV[2])
for i = 2, #KEYS do
  local left = redis.call('PTTL', KEYS[i])
  if left >= 0 and left < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1`;

// Take the lock, or confirm we already have it: idempotent, so a retry after a lost reply
// does not mistake our own lock for someone else's. ARGV[1] token, ARGV[2] TTL in ms.
// Returns 1, or the other holder's token (so a dead holder can be recognised without a second read).
const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return holder`;

// Replace a dead holder's lock with ours, only if it is still exactly that holder's: between
// judging it dead and this call, it may have expired and been taken by a live process.
// ARGV[1] the dead holder's token, ARGV[2] ours, ARGV[3] TTL in ms.
const TAKE_OVER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

// The holder's token and its PTTL in one step ('' and -2 when free).
const READ_LOCK = `
local holder = redis.call('GET', KEYS[1])
if holder == false then return {'', -2} end
return {holder, redis.call('PTTL', KEYS[1])}`;

/** Tries to take a lock: the first attempt, plus retries after a takeover lost a race. */
const ACQUIRE_ATTEMPTS = 3;

// Only the holder may delete: compare and delete in one step.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface RedisStateStoreOptions {
  /** Put before every key, so several tools (or test runs) can share one Redis. */
  prefix?: string;
}

/**
 * State in Redis: each key a JSON string with a PX expiry, under a prefix. Locks are
 * `PX` keys holding `host:pid:random` (see acquireLock). See redis-connection.ts for how failures surface.
 */
export class RedisStateStore implements StateStore {
  readonly kind = 'redis' as const;
  readonly prefix: string;
  private readonly connection: RedisConnection;

  constructor(url: string, options: RedisStateStoreOptions = {}) {
    this.connection = new RedisConnection(parseRedisUrl(url));
    this.prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  }

  async get<T>(key: string): Promise<T | null> {
    const text = await this.connection.run(`read ${key}`, (redis) => redis.get(this.prefix + key), { retry: true });
    if (text === null) return null;
    try {
      return JSON.parse(text) as T;
    } catch {
      // Not ours (another program under the same prefix): as the file store does, read as missing.
      return null;
    }
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    const ttlMs = ttlMilliseconds(ttlSeconds);
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      throw new ImportError('INTERNAL', `cannot serialize state ${key}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (text === undefined) throw new ImportError('INTERNAL', `cannot serialize state ${key}: no JSON value`);
    const bytes = Buffer.byteLength(text);
    if (bytes > MAX_VALUE_BYTES) {
      throw new ImportError('TOO_LARGE', `state ${key} is ${Math.ceil(bytes / 1024 / 1024)} MB, more than Redis state keeps (${MAX_VALUE_BYTES / 1024 / 1024} MB)`, {
        hint: 'use state file for this file, or leave out very long columns',
        options: ['state'],
      });
    }
    const full = this.prefix + key;
    if (ttlMs === 0) {
      // Expires at once, as in the file store.
      await this.delete(key);
      return;
    }
    const siblings = sessionSiblings(key).map((sibling) => this.prefix + sibling);
    await this.connection.run(
      `write ${key}`,
      (redis) =>
        siblings.length === 0
          ? redis.set(full, text, 'PX', ttlMs)
          : redis.eval(SET_IN_SESSION, 1 + siblings.length, full, ...siblings, text, ttlMs),
      { retry: true, payloadBytes: bytes },
    );
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.connection.run(`delete ${keys.join(', ')}`, (redis) => redis.del(...keys.map((key) => this.prefix + key)), {
      retry: true,
    });
  }

  /**
   * A lock is a key holding `host:pid:random`. A holder on this host whose pid is gone (kill -9)
   * has its lock taken over at once instead of blocking every run until the TTL expires; a
   * holder on another host is only ever freed by the TTL.
   */
  async acquireLock(name: string, ttlSeconds: number): Promise<StateLock | null> {
    const ttlMs = Math.max(1, ttlMilliseconds(ttlSeconds));
    const key = this.prefix + name;
    const token = lockToken();
    let taken = false;
    for (let attempt = 0; attempt < ACQUIRE_ATTEMPTS && !taken; attempt++) {
      const answer = await this.connection.run(`take lock ${name}`, (redis) => redis.eval(ACQUIRE, 1, key, token, ttlMs), {
        retry: true,
      });
      if (answer === 1) taken = true;
      else if (typeof answer !== 'string' || !holderTokenIsDead(answer)) return null;
      else {
        // 0: the dead holder's lock expired, or another process took it over, meanwhile (or a
        // retried call already replaced it with ours): the next look tells which.
        const replaced = await this.connection.run(`take over lock ${name}`, (redis) => redis.eval(TAKE_OVER, 1, key, answer, token, ttlMs), {
          retry: true,
        });
        taken = replaced === 1;
      }
    }
    if (!taken) return null;
    return {
      name,
      refresh: async () => {
        // Same script: extends our lock, or takes it back if it expired and nobody else has it.
        const kept = await this.connection.run(`refresh lock ${name}`, (redis) => redis.eval(ACQUIRE, 1, key, token, ttlMs), {
          retry: true,
        });
        return kept === 1;
      },
      release: async () => {
        await this.connection.run(`release lock ${name}`, (redis) => redis.eval(RELEASE, 1, key, token), { retry: true });
      },
    };
  }

  /** When the holder loses the lock, or null when nobody holds it (a dead holder on this host included: the next acquire takes it). */
  async lockExpiresAt(name: string): Promise<number | null> {
    const key = this.prefix + name;
    const [holder, left] = (await this.connection.run(`read lock ${name}`, (redis) => redis.eval(READ_LOCK, 1, key), {
      retry: true,
    })) as [string, number];
    if (holder === '' || holderTokenIsDead(holder)) return null;
    return left >= 0 ? Date.now() + left : null;
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

/** `host:pid:random`: who holds a lock, so another process on the same host can tell it died. */
function lockToken(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(16).toString('hex')}`;
}

/** Whether a lock token names a process on this host that is no longer running. */
function holderTokenIsDead(token: string): boolean {
  const parts = token.split(':');
  if (parts.length < 3) return false; // an older random-only token: only its TTL frees it
  const pid = Number(parts[parts.length - 2]);
  const host = parts.slice(0, -2).join(':');
  if (!Number.isInteger(pid) || pid <= 0) return false;
  return holderIsGone(host, pid);
}
