import { ImportError } from '../errors.js';
import type { Context } from './context.js';

/**
 * How long an import's lock outlives a holder that stopped refreshing it: a crashed import
 * blocks the next one for at most this long (the file store also frees it as soon as the
 * holder's pid is gone).
 */
export const IMPORT_LOCK_TTL_SECONDS = 60;

export interface ImportLock {
  release(): Promise<void>;
}

/**
 * One import per fileId at a time, across every process that shares the state. The lock is
 * refreshed on a timer rather than per batch so that the --max-invalid pass and slow reads are
 * covered too. Refreshing and releasing are best-effort: by then the import may have committed
 * rows, and failing it because Redis hiccupped would report a half-true result; a lock that
 * could not be refreshed or released simply expires. The database's unique email is what keeps
 * each contact once even then; the lock keeps two runs from racing and double-reporting.
 */
export async function lockImport(ctx: Context, fileId: string): Promise<ImportLock> {
  const name = `lock:import:${fileId}`;
  const lock = await ctx.state.acquireLock(name, IMPORT_LOCK_TTL_SECONDS);
  if (!lock) throw await lockedError(ctx, name, fileId);
  let refreshing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    refreshing = lock.refresh().catch(() => undefined);
  }, (IMPORT_LOCK_TTL_SECONDS * 1000) / 3);
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      // A refresh still under way could otherwise take the lock back after it was released.
      await refreshing;
      await lock.release().catch(() => undefined);
    },
  };
}

async function lockedError(ctx: Context, name: string, fileId: string): Promise<ImportError> {
  const expiresAt = await ctx.state.lockExpiresAt(name).catch(() => null);
  const expiry =
    expiresAt === null
      ? 'it has just finished; run the import again'
      : `if that process has died, the lock expires at ${new Date(expiresAt).toISOString()} (in ${Math.max(1, Math.ceil((expiresAt - Date.now()) / 1000))} s)`;
  return new ImportError('LOCKED', `another import of ${fileId} is running`, {
    hint: `wait for it to finish; ${expiry}`,
  });
}
