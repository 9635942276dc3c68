import type { ImportRun, UndoResult } from '../db/contact-store.js';
import { ImportError } from '../errors.js';
import type { Context } from './context.js';
import { withLiveness, type ImportRunState } from './run-liveness.js';

export interface DatabaseChoice {
  /** Database URL; default the configuration's (DATABASE_URL or sqlite:contacts.db). */
  database?: string;
  table?: string;
  /** PostgreSQL schema holding the tables. */
  schema?: string;
}

export interface HistoryOptions extends DatabaseChoice {
  /** Newest runs to list (default 20). */
  limit?: number;
}

/** Past imports recorded in the database, newest first. A SQLite file that does not exist has none. */
export async function history(ctx: Context, options: HistoryOptions = {}): Promise<ImportRunState[]> {
  const store = await ctx.contacts.openExisting(options);
  if (!store) return [];
  try {
    return (await store.listImports({ limit: options.limit ?? 20 })).map((run) => withLiveness(run));
  } finally {
    await store.close();
  }
}

export interface UndoImportOptions extends DatabaseChoice {
  /** Undo even when contacts the import wrote were changed afterwards. */
  force?: boolean;
}

/** The run an undo would act on, to show before asking (NOT_FOUND when unknown). */
export async function findImport(ctx: Context, importId: string, options: DatabaseChoice = {}): Promise<ImportRun> {
  const store = await ctx.contacts.openExisting(options);
  try {
    const run = await store?.getImport(importId);
    if (!run) throw unknownImport(ctx, importId, options);
    return run;
  } finally {
    await store?.close();
  }
}

/**
 * Deletes the contacts an import created and restores the ones it updated, in one
 * transaction; the run is then recorded as 'undone'.
 */
export async function undoImport(ctx: Context, importId: string, options: UndoImportOptions = {}): Promise<UndoResult> {
  const store = await ctx.contacts.openExisting(options);
  if (!store) throw unknownImport(ctx, importId, options);
  try {
    return await store.undoImport(importId, { force: options.force });
  } finally {
    await store.close();
  }
}

function unknownImport(ctx: Context, importId: string, options: DatabaseChoice): ImportError {
  return new ImportError('NOT_FOUND', `no import ${importId} in ${ctx.contacts.describe(options)}`, {
    hint: 'list the imports in the same database',
    options: ['database'],
    next: { step: 'history' },
  });
}
