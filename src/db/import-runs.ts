import { ImportError } from '../errors.js';
import type { ImportCounts } from '../types.js';
import { BEFORE_IMAGE_COLUMNS } from './before-image.js';
import type { ImportRun, ImportRunStart, ImportStatus, RunClaim, UndoOptions, UndoResult } from './contact-store.js';
import { decideClaim, runIdentity } from './decide-claim.js';
import type { Engine, RunLock } from './engine.js';
import { importRunFromRow } from './import-run-from-row.js';
import { currentOwner, ownerIsAlive } from './run-owner.js';
import {
  alreadyUndoneError,
  importNotFoundError,
  notRunningError,
  runLockedError,
  undoConflictError,
  undoLockedError,
} from './run-errors.js';

/**
 * How long a claim or an undo waits for a run's lock when its holder is known to be going away:
 * its process died (on this host) or its run is no longer 'running'. The database session of a
 * killed process ends once the server notices, at the latest when its statement ends. A live
 * holder is refused at once.
 */
export const GOING_HOLDER_WAIT_MS = 10_000;

/**
 * The import-run record in contact_imports, the same on every engine: claim (new, resume or
 * already completed), checkpoint, finish, history and undo. The engine supplies transactions,
 * locks and the SQL spellings that differ.
 */
export class ImportRuns {
  constructor(private readonly engine: Engine) {}

  private get imports(): string {
    return this.engine.qualified('contact_imports');
  }

  /**
   * Starts or resumes a run, atomically. LOCKED while another live process imports the same
   * file (same bytes, else same upload) into the same table; USAGE when an unfinished run of
   * it has another resumeKey.
   */
  async claim(start: ImportRunStart): Promise<RunClaim> {
    const { engine } = this;
    const identity = runIdentity(start);
    let lock: RunLock | undefined;
    try {
      lock = await engine.locks.take(engine.table, identity);
      if (!lock) {
        const holder = await this.runningMatch(start);
        if (!holder || !ownerIsAlive(holder.owner, holder.heartbeatAt)) lock = await engine.locks.take(engine.table, identity, GOING_HOLDER_WAIT_MS);
        if (!lock) throw runLockedError(start.fileName, engine.table, holder ?? (await this.runningMatch(start)));
      }
      const claim = await engine.transaction(async (): Promise<RunClaim> => {
        const matches = await this.matching(start, engine.dialect.forUpdate);
        const live = new Set<string>();
        for (const run of matches) {
          if (run.status === 'running' && (await engine.locks.isLive(run, engine.table, identity))) live.add(run.importId);
        }
        const decision = decideClaim(matches, start, engine.table, (run) => live.has(run.importId));
        if (decision.kind === 'completed') return decision;
        const now = new Date().toISOString();
        if (decision.kind === 'resume') {
          await engine.run(
            `UPDATE ${this.imports} SET status = 'running', owner = ?, heartbeat_at = ?, finished_at = NULL,
               file_id = ?, file_name = ?, file_sha256 = COALESCE(file_sha256, ?)
             WHERE id = ?`,
            [currentOwner(), now, start.fileId, start.fileName, start.fileSha256 ?? null, decision.run.importId],
          );
          return { kind: 'resume', run: (await this.get(decision.run.importId))! };
        }
        await engine.run(
          `INSERT INTO ${this.imports} (id, file_id, file_name, status, started_at, finished_at, total_rows,
             imported, updated, skipped, invalid, duplicates, excluded, mapping,
             table_name, file_sha256, resume_key, rows_done, owner, heartbeat_at, undone_at)
           VALUES (?, ?, ?, 'running', ?, NULL, ?, 0, 0, 0, 0, 0, 0, ?, ?, ?, ?, 0, ?, ?, NULL)`,
          [
            start.importId, start.fileId, start.fileName, now, start.totalRows, JSON.stringify(start.mapping),
            engine.table, start.fileSha256 ?? null, start.resumeKey, currentOwner(), now,
          ],
        );
        return { kind: 'new', run: (await this.get(start.importId))! };
      });
      lock = undefined; // kept for as long as the engine is open
      return claim;
    } catch (error) {
      await lock?.release().catch(() => undefined);
      throw engine.failure(`cannot record import ${start.importId} in contact_imports`, error);
    }
  }

  /** Records a run's checkpoint inside the transaction of the batch it covers. */
  async checkpoint(importId: string, counts: ImportCounts, now: string): Promise<void> {
    const changes = await this.engine.run(
      `UPDATE ${this.imports} SET rows_done = ?, imported = ?, updated = ?, skipped = ?, invalid = ?,
         duplicates = ?, excluded = ?, heartbeat_at = ?
       WHERE id = ? AND status = 'running'`,
      [counts.totalRows, ...countValues(counts), now, importId],
    );
    if (changes === 0) throw notRunningError(importId);
  }

  /** Records the final status and counts of a run (rowsDone = counts.totalRows). */
  async finish(importId: string, status: ImportStatus, counts: ImportCounts): Promise<void> {
    let changes: number;
    try {
      const now = new Date().toISOString();
      // total_rows stays the file's row count unless the run read the whole file.
      changes = await this.engine.run(
        `UPDATE ${this.imports} SET status = ?, finished_at = ?, heartbeat_at = ?, rows_done = ?,
           total_rows = CASE WHEN ? = 'completed' THEN ? ELSE total_rows END,
           imported = ?, updated = ?, skipped = ?, invalid = ?, duplicates = ?, excluded = ?
         WHERE id = ?`,
        [status, now, now, counts.totalRows, status, counts.totalRows, ...countValues(counts), importId],
      );
    } catch (error) {
      throw this.engine.failure(`cannot record the end of import ${importId} in contact_imports`, error);
    }
    if (changes === 0) throw new ImportError('INTERNAL', `import ${importId} was finished but never started`);
  }

  /** Runs, newest first. */
  async list(limit?: number): Promise<ImportRun[]> {
    const rows = await this.engine.all(`SELECT * FROM ${this.imports} ORDER BY started_at DESC, id DESC LIMIT ?`, [
      limit ?? this.engine.dialect.noLimit,
    ]);
    return rows.map(importRunFromRow);
  }

  async get(importId: string, lock = ''): Promise<ImportRun | null> {
    const [row] = await this.engine.all(`SELECT * FROM ${this.imports} WHERE id = ?${lock}`, [importId]);
    return row ? importRunFromRow(row) : null;
  }

  /**
   * Deletes the contacts a run created and restores the ones it updated, in one transaction,
   * then marks it 'undone'. NOT_FOUND for an unknown id, USAGE when already undone, LOCKED
   * while it runs, CONFLICT when contacts it wrote changed since (unless force).
   */
  async undo(importId: string, options: UndoOptions = {}): Promise<UndoResult> {
    const { engine } = this;
    let lock: RunLock | undefined;
    try {
      return await engine.transaction(async () => {
        // The row lock orders undo and claim (which reads its matches the same way) on this run.
        const run = await this.get(importId, engine.dialect.forUpdate);
        if (!run) throw importNotFoundError(importId, `${engine.qualified('contact_imports', false)} of ${engine.where}`);
        if (run.status === 'undone') throw alreadyUndoneError(run);
        const table = engine.tableName(run.table ?? engine.table);
        if (run.status === 'running') {
          const identity = runIdentity(run);
          lock = await engine.locks.take(table, identity, ownerIsAlive(run.owner, run.heartbeatAt) ? 0 : GOING_HOLDER_WAIT_MS);
          if (!lock || (await engine.locks.isLive(run, table, identity))) throw undoLockedError(run);
        }
        const result: UndoResult = { importId, table, deleted: 0, restored: 0, conflicts: 0 };
        const changes = engine.qualified('contact_import_changes');
        if (await engine.tableExists(table)) {
          const t = engine.qualified(table);
          result.conflicts = await this.conflicts(importId, t, changes);
          if (result.conflicts > 0 && !options.force) throw undoConflictError(run, result.conflicts);
          result.restored = await engine.run(engine.dialect.restore(t, changes, BEFORE_IMAGE_COLUMNS), [importId, importId]);
          result.deleted = await engine.run(`DELETE FROM ${t} WHERE import_id = ?`, [importId]);
        }
        await engine.run(`DELETE FROM ${changes} WHERE import_id = ?`, [importId]);
        await engine.run(`UPDATE ${this.imports} SET status = 'undone', undone_at = ? WHERE id = ?`, [new Date().toISOString(), importId]);
        return result;
      });
    } catch (error) {
      throw engine.failure(`cannot undo import ${importId} in ${engine.where}`, error);
    } finally {
      await lock?.release().catch(() => undefined);
    }
  }

  /** Contacts the run created or updated that were written again after it. */
  private async conflicts(importId: string, t: string, changes: string): Promise<number> {
    const { distinct, time } = this.engine.dialect;
    const [row] = await this.engine.all(
      `SELECT count(*) AS n FROM (
         SELECT t.id FROM ${t} AS t LEFT JOIN ${changes} AS c ON c.import_id = ? AND c.contact_id = t.id
         WHERE t.import_id = ? AND ${distinct(time('t.updated_at'), `COALESCE(c.after_updated_at, ${time('t.created_at')})`)}
         UNION ALL
         SELECT t.id FROM ${changes} AS c JOIN ${t} AS t ON t.id = c.contact_id
         WHERE c.import_id = ? AND ${distinct('t.import_id', '?')} AND ${distinct(time('t.updated_at'), 'c.after_updated_at')}
       ) AS changed`,
      [importId, importId, importId, importId],
    );
    return Number(row!.n);
  }

  private async runningMatch(start: ImportRunStart): Promise<ImportRun | undefined> {
    return (await this.matching(start)).find((run) => run.status === 'running');
  }

  /** Runs of the same file in this table that claim weighs (all but undone ones), newest first. */
  private async matching(start: ImportRunStart, lock = ''): Promise<ImportRun[]> {
    const rows = await this.engine.all(
      `SELECT * FROM ${this.imports}
       WHERE lower(table_name) = lower(?) AND (file_id = ? OR (file_sha256 IS NOT NULL AND file_sha256 = ?))
         AND status <> 'undone'
       ORDER BY started_at DESC, id DESC${lock}`,
      [this.engine.table, start.fileId, start.fileSha256 ?? null],
    );
    return rows.map(importRunFromRow);
  }
}

function countValues(counts: ImportCounts): number[] {
  return [counts.imported, counts.updated, counts.skipped, counts.invalid, counts.duplicates, counts.excluded];
}
