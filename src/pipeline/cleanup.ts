import type { StoredFile } from '../files/file-store.js';
import { ImportError } from '../errors.js';
import { UPLOADS_PREFIX } from '../files/make-storage-key.js';
import { checkUploadStore } from './check-upload-store.js';
import type { Context } from './context.js';
import { deleteResult, oldResults } from './prune-results.js';
import { clearSession, requireUpload } from './session.js';
import { symlinkFree } from './symlink-free.js';

// Where `upload` puts files (makeStorageKey); cleanup never touches anything else.
export { UPLOADS_PREFIX };

export interface CleanupOptions {
  /** Report what would be deleted, delete nothing. */
  dryRun?: boolean;
}

export interface CleanupResult {
  /** Stored files removed (or, with dryRun, that would be). */
  deleted: Array<{ key: string; size?: number; lastModified?: string }>;
  /** Sessions whose state was cleared. */
  sessions: string[];
  /** Paths left alone because they are (or pass through) a symbolic link. */
  skipped?: string[];
  dryRun: boolean;
}

/** Deletes one session: its stored file (if it ever arrived) and its state. */
export async function cleanupUpload(ctx: Context, fileId: string, options: CleanupOptions = {}): Promise<CleanupResult> {
  const upload = await requireUpload(ctx, fileId);
  checkUploadStore(ctx, upload);
  const dryRun = Boolean(options.dryRun);
  const stat = await ctx.files.stat(upload.key);
  if (!dryRun) {
    if (stat) await ctx.files.delete(upload.key);
    await clearSession(ctx, fileId);
  }
  return { deleted: stat ? [{ key: upload.key, size: stat.size }] : [], sessions: [fileId], dryRun };
}

/**
 * Deletes every stored upload last modified more than `olderThanMs` ago, whichever session it
 * belonged to (sessions expire by TTL on their own; a file outlives them when a step failed or
 * `keepUpload` was used), and the report files under `<home>/results/` as old. On local storage
 * nothing is reached through a symbolic link: a symlinked `uploads/` is left alone (`skipped`).
 */
export async function cleanupOlderThan(ctx: Context, olderThanMs: number, options: CleanupOptions = {}): Promise<CleanupResult> {
  if (!Number.isFinite(olderThanMs) || olderThanMs < 0) {
    throw new ImportError('USAGE', 'the age must be a duration of 0 or more', { hint: 'give the age in milliseconds, e.g. 604800000 for 7 days' });
  }
  const dryRun = Boolean(options.dryRun);
  const cutoff = Date.now() - olderThanMs;
  const local = ctx.config.storage === 'local';
  const { home } = ctx.config;
  const skipped: string[] = [];
  const old: StoredFile[] = [];
  if (local && !(await symlinkFree(home, UPLOADS_PREFIX))) {
    skipped.push(UPLOADS_PREFIX);
  } else {
    // Listed in full before deleting: deleting while paging a listing can skip keys on some servers.
    for await (const file of ctx.files.list(UPLOADS_PREFIX)) {
      if (file.lastModified.getTime() > cutoff) continue;
      if (local && !(await symlinkFree(home, file.key))) skipped.push(file.key);
      else old.push(file);
    }
  }
  const results = await oldResults(home, cutoff);
  if (!dryRun) {
    for (const file of old) {
      // Checked again just before: a folder swapped for a link since the listing is not followed.
      if (local && !(await symlinkFree(home, file.key))) continue;
      await ctx.files.delete(file.key);
    }
    for (const file of results) await deleteResult(home, file);
  }
  return {
    deleted: [
      ...old.map((file) => ({ key: file.key, size: file.size, lastModified: file.lastModified.toISOString() })),
      ...results,
    ],
    sessions: [],
    ...(skipped.length > 0 ? { skipped } : {}),
    dryRun,
  };
}
