import { ImportError } from '../errors.js';
import { findImport, history, type DatabaseChoice } from './history.js';
import type { Context } from './context.js';
import { withLiveness, type ImportRunState } from './run-liveness.js';

export interface ImportStatus extends ImportRunState {
  /** Percent of the file's rows accounted for, 0–100. */
  progress: number;
}

/** How far the import of an importId (or the newest import of a fileId) has got, from the database. */
export async function importStatus(ctx: Context, id: string, options: DatabaseChoice = {}): Promise<ImportStatus> {
  const run = id.startsWith('import_') ? await findImport(ctx, id, options) : await latestImportOf(ctx, id, options);
  if (!run) {
    throw new ImportError('NOT_FOUND', `no import of ${id} is recorded in this database`, { options: ['database'], hint: 'pass the database the import went to' });
  }
  return statusOf(withLiveness(run));
}

/** The newest recorded import of a fileId, or null. */
export async function latestImportOf(ctx: Context, fileId: string, options: DatabaseChoice = {}): Promise<ImportStatus | null> {
  const runs = await history(ctx, { ...options, limit: 1000 });
  const run = runs.find((r) => r.fileId === fileId);
  return run ? statusOf(withLiveness(run)) : null;
}

function statusOf(run: ImportRunState): ImportStatus {
  const progress = run.status === 'completed' ? 100 : run.totalRows > 0 ? Math.min(99, Math.floor((run.rowsDone / run.totalRows) * 100)) : 0;
  return { ...run, progress };
}
