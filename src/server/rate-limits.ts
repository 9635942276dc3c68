import rateLimitPlugin from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Config, ServerConfig } from '../config.js';
import { ImportError } from '../errors.js';

/** The seed's limits, per client and hour. */
const LIMITS = { upload: 10, import: 5 } as const;

/** A route's rate-limit settings (ignored when rate limiting is off). */
export function rateLimit(config: ServerConfig, kind: keyof typeof LIMITS) {
  return config.rateLimiting ? { rateLimit: { max: LIMITS[kind], timeWindow: '1 hour', groupId: kind } } : {};
}

/**
 * Registers @fastify/rate-limit for the routes that ask for it, counting in Redis when
 * REDIS_URL is set so that several servers share the counts. Returns what to close.
 */
export async function registerRateLimits(app: FastifyInstance, server: ServerConfig, config: Config): Promise<() => Promise<void>> {
  if (!server.rateLimiting) return async () => undefined;
  const redis = config.redisUrl ? new Redis(config.redisUrl, { connectTimeout: 2000, maxRetriesPerRequest: 1, lazyConnect: true }) : undefined;
  redis?.on('error', () => undefined);
  await app.register(rateLimitPlugin, {
    global: false,
    ...(redis ? { redis, nameSpace: `${config.redisPrefix}rate-limit:` } : {}),
    errorResponseBuilder: (_request, context) =>
      new ImportError('RATE_LIMITED', `rate limit exceeded: at most ${context.max} of these requests per hour`, {
        hint: `try again in ${context.after}`,
      }),
  });
  return async () => {
    redis?.disconnect();
  };
}
