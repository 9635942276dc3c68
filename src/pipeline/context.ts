import { resolveConfig, type Config, type ConfigOptions } from '../config.js';
import { openFileStore } from '../files/open-file-store.js';
import type { FileStore } from '../files/file-store.js';
import { openStateStore } from '../state/open-state-store.js';
import type { StateStore } from '../state/state-store.js';

/** The configuration and the two stores every step uses; the contacts store is opened by import. */
export interface Context {
  config: Config;
  files: FileStore;
  state: StateStore;
  close(): Promise<void>;
}

export function openContext(options: ConfigOptions | Config = {}): Context {
  const config = isConfig(options) ? options : resolveConfig(options);
  const files = openFileStore(config);
  const state = openStateStore(config);
  return {
    config,
    files,
    state,
    async close() {
      await Promise.allSettled([files.close(), state.close()]);
    },
  };
}

function isConfig(options: ConfigOptions | Config): options is Config {
  return 'maxFileSizeBytes' in options;
}
