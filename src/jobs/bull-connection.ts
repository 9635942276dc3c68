import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { ImportError } from '../errors.js';
import { parseRedisUrl, type RedisTarget } from '../state/redis-url.js';

/**
 * The Redis connection a BullMQ queue or worker uses: the same REDIS_URL (checked the same way,
 * so a typo is a usage error and no message echoes the password) as the state store. Not the
 * state store's fail-fast RedisConnection: BullMQ's blocking commands and lock renewals need a
 * connection that waits and reconnects (maxRetriesPerRequest null), so the callers put their
 * own deadlines on what a person waits for.
 */
export function bullConnection(config: Config, role: 'queue' | 'worker'): { redis: Redis; target: RedisTarget } {
  if (!config.redisUrl) {
    throw new ImportError('NOT_CONFIGURED', 'the BullMQ job queue needs REDIS_URL', { hint: 'set REDIS_URL=redis://host:6379 (rediss:// for TLS)' });
  }
  const target = parseRedisUrl(config.redisUrl);
  const redis = new Redis(target.url, {
    maxRetriesPerRequest: null,
    connectionName: `contact-import-${role}`,
    // A producer (a CLI run, the server) gives up on a Redis that stays away; a worker keeps trying.
    retryStrategy: role === 'queue' ? (times) => (times > 5 ? null : Math.min(times * 200, 1000)) : (times) => Math.min(times * 500, 5000),
  });
  // Reported where it matters (a command's failure); without a listener ioredis prints them.
  redis.on('error', () => undefined);
  return { redis, target };
}

/** How long a person waits for the queue to answer before it is a clear failure. */
export const QUEUE_DEADLINE_MS = 10_000;

/** Runs a queue operation with a deadline; any failure is an ImportError ('IO') naming Redis. */
export async function queueCall<T>(target: RedisTarget, what: string, op: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      op(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${QUEUE_DEADLINE_MS / 1000} s`)), QUEUE_DEADLINE_MS);
      }),
    ]);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const reason = target.redact(error instanceof Error ? error.message : String(error));
    throw new ImportError('IO', `job queue on Redis at ${target.where}: cannot ${what}: ${reason}`, {
      hint: 'check that Redis is running and REDIS_URL is right, or set JOB_QUEUE=local to run jobs in this process',
    });
  } finally {
    clearTimeout(timer);
  }
}
