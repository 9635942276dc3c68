import { ImportError, isImportError } from '../../errors.js';

type Hint = { hint: string; options?: string[] };

/** A better-sqlite3 failure as ImportError('IO'), with what to do about its SQLITE_* code. */
export function sqliteFailure(what: string, error: unknown, fallback: Hint): ImportError {
  if (isImportError(error)) return error;
  return new ImportError('IO', `${what}: ${error instanceof Error ? error.message : String(error)}`, { ...sqliteHint(error, fallback), cause: error });
}

function sqliteHint(error: unknown, fallback: Hint): Hint {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return { hint: 'another process is using the database; try again when it has finished' };
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return { hint: 'the file is not a usable SQLite file; choose another database', options: ['database'] };
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    return { hint: 'check that the database file and its folder are writable' };
  }
  if (code === 'SQLITE_FULL') return { hint: 'the disk is full; free some space and run the import again' };
  return fallback;
}
