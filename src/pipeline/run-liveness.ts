import type { ImportRun } from '../db/contact-store.js';
import { ownerIsAlive } from '../db/run-owner.js';

/** A recorded run, with whether it is a 'running' one whose process is gone. */
export interface ImportRunState extends ImportRun {
  /**
   * Recorded as running, but its process is gone (killed, the machine restarted): it is waiting
   * to be resumed by running the same import again. Decided here, once, for every caller.
   */
  stopped: boolean;
}

export function withLiveness(run: ImportRun, now = Date.now()): ImportRunState {
  return { ...run, stopped: run.status === 'running' && !ownerIsAlive(run.owner, run.heartbeatAt, now) };
}
