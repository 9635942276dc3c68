// The messages a run gives when it cannot be claimed or undone, the same on every engine.
import { ImportError } from '../errors.js';
import type { ImportRun } from './contact-store.js';

/** Another live process is importing the same file into the same table. */
export function runLockedError(fileName: string, table: string, running?: ImportRun): ImportError {
  const detail = running ? ` (${running.importId}, started ${running.startedAt}, process ${running.owner ?? 'unknown'})` : '';
  return new ImportError('LOCKED', `another import of ${fileName} into ${table} is running${detail}`, {
    hint: 'wait for it to finish; if it was stopped, run the import again to resume it',
  });
}

/** An unfinished run of the same file was started with other options. */
export function resumeMismatchError(run: ImportRun, fileName: string): ImportError {
  return new ImportError('USAGE', `import ${run.importId} of ${fileName} stopped after ${run.rowsDone} of ${run.totalRows} rows with other options`, {
    hint: 'run it again with the same mapping, onDuplicate, excludeRows and defaultCountry to finish it, or undo it first',
    options: ['onDuplicate', 'excludeRows', 'defaultCountry'],
    next: { step: 'undo', importId: run.importId },
  });
}

export function importNotFoundError(importId: string, where: string): ImportError {
  return new ImportError('NOT_FOUND', `no import ${importId} in ${where}`, { hint: 'list the imports', next: { step: 'history' } });
}

export function alreadyUndoneError(run: ImportRun): ImportError {
  return new ImportError('USAGE', `import ${run.importId} was already undone (${run.undoneAt ?? 'at an unknown time'})`, {
    hint: 'nothing left to undo',
    next: { step: 'history' },
  });
}

/** The run to undo is still being written by a live process. */
export function undoLockedError(run: ImportRun): ImportError {
  const owner = run.owner ? ` by process ${run.owner}` : '';
  const beat = run.heartbeatAt ? `, last checkpoint ${run.heartbeatAt}` : '';
  return new ImportError('LOCKED', `import ${run.importId} is running${owner}${beat}`, {
    hint: 'wait for it to finish (or stop it), then undo it again',
    next: { step: 'undo', importId: run.importId },
  });
}

/** Contacts the run wrote were changed since; undo would discard those changes. */
export function undoConflictError(run: ImportRun, conflicts: number): ImportError {
  const what = conflicts === 1 ? '1 contact it wrote was' : `${conflicts} contacts it wrote were`;
  return new ImportError('CONFLICT', `cannot undo import ${run.importId}: ${what} changed after it`, {
    hint: 'use force to undo anyway, or undo the later imports first',
    options: ['force'],
    next: { step: 'history' },
  });
}

/** A checkpoint for a run that is not (or no longer) 'running': it was finished or undone meanwhile. */
export function notRunningError(importId: string): ImportError {
  return new ImportError('INTERNAL', `import ${importId} is not running in contact_imports, so its checkpoint cannot be recorded`, {
    hint: 'it was finished or undone meanwhile',
    next: { step: 'history' },
  });
}
