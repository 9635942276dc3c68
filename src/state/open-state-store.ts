import path from 'node:path';
import type { Config } from '../config.js';
import { ImportError } from '../errors.js';
import { FileStateStore } from './file-state-store.js';
import type { StateStore } from './state-store.js';

/** The state store the configuration selects: the home folder's state/, or Redis when REDIS_URL is set. */
export function openStateStore(config: Config): StateStore {
  if (config.state === 'redis') {
    throw new ImportError('NOT_CONFIGURED', 'Redis state is not available in this version', {
      hint: 'unset REDIS_URL or pass --state file',
    });
  }
  return new FileStateStore(path.join(config.home, 'state'));
}
