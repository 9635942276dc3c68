import type { ImportRun } from '../contact-store.js';
import { runIdentity } from '../decide-claim.js';
import type { RunLock, RunLocks } from '../engine.js';
import type { PgClient } from './pg-client.js';
import { runLockKey } from './run-lock-key.js';

const LOCK_POLL_MS = 50;

/**
 * Session-level advisory locks, one per file and contacts table: the session that claims a
 * run holds its lock until it ends, so a run is live exactly while its lock is held.
 */
export class PostgresRunLocks implements RunLocks {
  constructor(
    private readonly client: PgClient,
    private readonly schema: () => string,
  ) {}

  async take(table: string, identity: string, waitMs = 0): Promise<RunLock | undefined> {
    const key = this.key(table, identity);
    if (!(await this.tryLock(key, waitMs))) return undefined;
    return { release: () => this.unlock(key) };
  }

  async isLive(run: ImportRun, table: string, held: string): Promise<boolean> {
    const identity = runIdentity(run);
    // This session holds `held`; a run recorded under the other identity (upload vs bytes) is
    // alive while some session holds its lock. Taken and given back at once when free (advisory
    // locks count per session, so this never frees a lock this session already holds).
    if (identity === held) return false;
    const key = this.key(table, identity);
    if (!(await this.tryLock(key, 0))) return true;
    await this.unlock(key);
    return false;
  }

  private key(table: string, identity: string): string {
    return runLockKey(`contact-import:run:${this.schema()}.${table}:${identity}`);
  }

  /** Polls for up to `waitMs`; false when another session keeps the lock. */
  private async tryLock(key: string, waitMs: number): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const result = await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key]);
      if (result.rows[0]!.ok) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }

  private async unlock(key: string): Promise<void> {
    await this.client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
  }
}
