import type { ServerConfig } from '../config.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { Context } from '../pipeline/context.js';

/** What every route group is given: the library's context, the job runner, the server settings. */
export interface ServerDeps {
  ctx: Context;
  jobs: JobRunner;
  config: ServerConfig;
  /** Aborted when the server starts shutting down: long requests (a sync import) stop at their next checkpoint. */
  shutdown: AbortSignal;
}
