import type { Context } from './context.js';
import { clearSession } from './session.js';

/**
 * After an import completed: the stored copy of the file and its session are removed, so no copy
 * of a contact list stays behind. With `keepUpload` both stay until the session's TTL, so the same
 * file can be imported into another database. Best-effort: the rows are already committed.
 */
export async function endSession(ctx: Context, fileId: string, key: string, options: { dryRun?: boolean; keepUpload?: boolean }): Promise<void> {
  if (options.dryRun || options.keepUpload) return;
  await ctx.files.delete(key).catch(() => undefined);
  await clearSession(ctx, fileId).catch(() => undefined);
}
