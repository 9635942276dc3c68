import path from 'node:path';
import type { Config } from '../config.js';
import { ImportError } from '../errors.js';
import { FileStateStore } from './file-state-store.js';
import { RedisStateStore } from './redis-state-store.js';
import type { StateStore } from './state-store.js';

/**
 * The state store the configuration selects: the home folder's state/, or Redis when REDIS_URL
 * is set (or --state redis). Nothing connects yet: Redis is reached on the first read or write.
 */
export function openStateStore(config: Config): StateStore {
  if (config.state === 'redis') {
    if (!config.redisUrl) {
      throw new ImportError('NOT_CONFIGURED', 'Redis state needs REDIS_URL', {
        hint: 'set REDIS_URL=redis://host:6379 (rediss:// for TLS), or pass state file',
        options: ['state'],
      });
    }
    return new RedisStateStore(config.redisUrl, { prefix: config.redisPrefix });
  }
  return new FileStateStore(path.join(config.home, 'state'));
}
