import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { compileMapping } from '../contacts/compile-mapping.js';
import type { ContactStore, ContactToWrite, ImportCounts, ImportRun, ImportStatus, RunClaim, WrittenRow } from '../db/contact-store.js';
import { ImportError, toImportError } from '../errors.js';
import type { ImportResult, OnDuplicate, ProgressListener } from '../types.js';
import type { SourceRecord } from '../records/record-source.js';
import { checkOutputPaths } from './check-output-paths.js';
import type { Context } from './context.js';
import { eachCheckedRow, type ValidRow } from './each-checked-row.js';
import { enforceMaxInvalid, type MaxInvalid } from './enforce-max-invalid.js';
import { lockImport } from './import-lock.js';
import { ImportResults } from './import-results.js';
import { openFileRecords } from './open-file-records.js';
import { resumeKey } from './resume-key.js';
import { endSession } from './end-session.js';
import { findMapping, requireAnalysis, requireUpload } from './session.js';

export type { MaxInvalid } from './enforce-max-invalid.js';

export interface ImportOptions {
  /** Keep the stored file and its session after the import completes (default: delete both). */
  keepUpload?: boolean;
  /** Database URL; default the configuration's (DATABASE_URL or sqlite:contacts.db). */
  database?: string;
  table?: string;
  /** PostgreSQL schema for the tables (created if missing); default ?schema= in the URL, else the search_path. */
  schema?: string;
  /** Data rows (1-based, as preview numbers them) to leave out. */
  excludeRows?: Iterable<number>;
  onDuplicate?: OnDuplicate;
  /** Everything but the commit: counts are real, the database is left as it was. */
  dryRun?: boolean;
  /**
   * Path of a CSV of the rejected rows (original values, row number, fields, reasons); by
   * default `<home>/results/<importId>.rejected.csv`, written when a row is rejected.
   */
  errorsOut?: string;
  /** Path of a CSV of the imported rows with their contact ids. */
  importedOut?: string;
  /** Abort before writing anything when more rows than this are invalid. */
  maxInvalid?: MaxInvalid;
  batchSize?: number;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/**
 * Rows per transaction (and per checkpoint). PostgreSQL pays a round trip per statement, so
 * larger batches pay off there (1M rows: 26.4 s at 1000, 20.8 s at 5000, 24.2 s at 20000).
 * SQLite's emails reach the unique index in random order, so a commit writes nearly one index
 * page per row into the WAL until a batch outgrows the index: writing the 1M-row bench file's
 * contacts took 13.3 s CPU at 1000, 9.2 s at 10000 and 8.5 s at 20000 rows per batch; 10000
 * holds the write lock for a fraction of a second.
 */
const DEFAULT_BATCH_SIZE = { sqlite: 10_000, postgres: 5000 } as const;
/**
 * Rows kept between the event loop's turns while a batch is written (a power of two). Measured
 * at 1M rows into PostgreSQL: without them each of a batch's round trips waited ~10–20 ms for the
 * loop to check more rows, and the import took ≈20% longer.
 */
const TURN_EVERY = 128;

/**
 * Streams the file again, maps, validates, dedupes (in the file and against the table) and
 * writes the valid rows in batched transactions. The run is recorded in contact_imports, and
 * each batch commits together with the run's checkpoint (rows of the file accounted for, and
 * the counts so far): after a crash or Ctrl-C the same import resumes where its last batch
 * ended. The session is cleared when it completes (not after a dry run, so the real import can
 * follow).
 */
export async function importContacts(ctx: Context, fileId: string, options: ImportOptions = {}): Promise<ImportResult> {
  ctx.contacts.checkNames(options);
  await checkOutputPaths(ctx, options);
  // Taken before the session is read: an import that waited for another one then finds the
  // session it cleared (unknown fileId) instead of importing the same file a second time.
  const lock = await lockImport(ctx, fileId);
  try {
    return await importLocked(ctx, fileId, options);
  } finally {
    await lock.release();
  }
}

async function importLocked(ctx: Context, fileId: string, options: ImportOptions): Promise<ImportResult> {
  const upload = await requireUpload(ctx, fileId);
  const analysis = await requireAnalysis(ctx, fileId);
  const saved = await findMapping(ctx, fileId);
  if (!saved) {
    throw new ImportError('NO_MAPPING', `no column mapping saved for ${fileId}`, {
      hint: 'map its columns first (auto takes the suggested mapping)',
      options: ['auto'],
      next: { step: 'map', fileId },
    });
  }
  const plan = compileMapping(saved.mapping, analysis.columns);
  const excluded = new Set(options.excludeRows ?? []);
  const onDuplicate = options.onDuplicate ?? 'skip';

  if (options.maxInvalid) await enforceMaxInvalid(ctx, upload, analysis, plan, excluded, { ...options, maxInvalid: options.maxInvalid });

  const store = await ctx.contacts.open({
    database: options.database,
    table: options.table,
    schema: options.schema,
    dryRun: options.dryRun,
  });
  let claim: RunClaim;
  try {
    claim = await store.claimRun({
      importId: `import_${crypto.randomUUID()}`,
      fileId,
      fileName: upload.fileName,
      fileSha256: upload.sha256,
      totalRows: analysis.totalRows,
      mapping: plan.mapping,
      resumeKey: resumeKey({ mapping: plan.mapping, onDuplicate, excluded, defaultCountry: ctx.config.defaultCountry, onInvalidValue: ctx.config.onInvalidValue, maxRecordSize: ctx.config.maxRecordSize }),
    });
  } catch (error) {
    await store.close().catch(() => undefined);
    throw toImportError(error, `import of ${upload.fileName} failed`);
  }
  if (claim.kind === 'completed') {
    await store.close();
    await endSession(ctx, fileId, upload.key, options);
    return alreadyImported(claim.run, options.dryRun);
  }

  const { importId } = claim.run;
  const resumedFrom = claim.kind === 'resume' ? claim.run.rowsDone : 0;
  let counts: ImportCounts = claim.kind === 'resume' ? countsOf(claim.run) : zeroCounts();
  /** The counts as of the last batch committed (and its checkpoint). */
  let committed: ImportCounts = { ...counts };
  /** Waits for a batch still being written, so a failing run records and closes after it. */
  let stopWriting = async (): Promise<void> => undefined;
  let results: ImportResults | undefined;
  try {
    results = await ImportResults.open({
      columns: analysis.columns,
      errorsOut: options.errorsOut,
      importedOut: options.importedOut,
      resultsDir: path.join(ctx.config.home, 'results'),
      importId,
    });
    const rejects = results;
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE[store.engine];
    const source = await openFileRecords(ctx, upload, { format: analysis.format });
    // Rows the checkpoint already counted: their outcomes are looked up, not written again.
    const replay = new ReplayedRows(store, rejects, importId, onDuplicate, batchSize);
    let batch: PendingRow[] = [];
    let consumed = 0;
    // One batch is written while the next one is read and checked (the PostgreSQL server works
    // while we parse). Results-file lines of rows read meanwhile wait for its outcomes, so both
    // files stay in file order.
    let inFlight: InFlight | undefined;
    let deferred: (() => Promise<void>)[] = [];
    const emit = (line: () => Promise<void>): Promise<void> | undefined => {
      if (!inFlight) return line();
      deferred.push(line);
      // A failed batch stops the run now rather than when the next one is full.
      return inFlight.failed ? settle() : undefined;
    };

    /** Sends the batch being filled, once the one before it has committed. */
    const send = async (): Promise<void> => {
      await settle();
      // Replayed rows still waiting for their lookup go first (and never alongside a write).
      await replay.flush();
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      // The checkpoint covers the rows read so far, which end with this batch's last one.
      const before: ImportCounts = { ...counts };
      const sent: InFlight = {
        rows,
        before,
        writing: store.writeBatch(rows, { importId, onDuplicate, checkpoint: (written) => tally(before, written) }),
        failed: false,
      };
      sent.writing.catch(() => {
        sent.failed = true;
      });
      inFlight = sent;
    };

    /** Waits for the batch in flight, then writes its outcomes and the lines that waited for them. */
    const settle = async (): Promise<void> => {
      if (!inFlight) return;
      const { rows, before, writing } = inFlight;
      let written: WrittenRow[];
      try {
        written = await writing;
      } finally {
        inFlight = undefined;
      }
      committed = tally(before, written);
      counts = tally(counts, written);
      for (let i = 0; i < written.length; i++) {
        const { outcome, id } = written[i]!;
        const { row, values } = rows[i]!;
        if (outcome === 'existing') await rejects.reject(row, values, ['email'], [ALREADY_IN_DATABASE]);
        else await rejects.written(row, values, id, outcome);
      }
      const lines = deferred;
      deferred = [];
      for (const line of lines) await line();
      if (options.signal?.aborted) {
        throw new ImportError('INTERRUPTED', `import interrupted after ${committed.totalRows} of ${analysis.totalRows} rows (${committed.imported + committed.updated} contacts committed)`, {
          hint: `the same import resumes from row ${committed.totalRows + 1} (${importId} is recorded as interrupted)`,
          next: { step: 'import' },
        });
      }
      options.onProgress?.({ phase: 'import', rows: committed.totalRows, bytes: source.bytesRead(), totalBytes: source.totalBytes });
    };
    stopWriting = async () => {
      await inFlight?.writing.catch(() => undefined);
    };

    // Rows before the checkpoint are checked again (so dedupe sees them) but not counted again.
    let replaying = false;
    const keep = (record: SourceRecord, checked: ValidRow): Promise<void> | undefined => {
      const pending = { row: record.row, values: record.values, contact: checked.contact };
      if (replaying) return replayed(pending);
      batch.push(pending);
      if (batch.length >= batchSize) return send();
      if (inFlight?.failed) return settle();
      // While a batch is written, the database's answers (PostgreSQL's replies, the SQLite
      // writer thread's) wait for this loop to give the event loop a turn: without one, each of
      // a batch's round trips waits for a long stretch of rows to be checked first.
      return inFlight && (batch.length & (TURN_EVERY - 1)) === 0 ? nextTurn() : undefined;
    };
    const replayed = async (pending: PendingRow): Promise<void> => {
      await replay.add(pending);
      if (consumed === resumedFrom) await replay.flush();
    };
    await eachCheckedRow(source.records, { plan, defaultCountry: ctx.config.defaultCountry, onInvalidValue: ctx.config.onInvalidValue, excluded }, {
      read() {
        replaying = consumed < resumedFrom;
        consumed++;
        if (!replaying) counts.totalRows++;
      },
      excluded() {
        if (!replaying) counts.excluded++;
      },
      invalid(record, checked) {
        if (!replaying) counts.invalid++;
        return emit(() => rejects.reject(record.row, record.values, checked.errorFields, checked.errors));
      },
      duplicate(record, checked, firstRow) {
        if (!replaying) counts.duplicates++;
        return emit(() => rejects.reject(record.row, record.values, ['email'], [`duplicate of row ${firstRow} (same email ${checked.contact.email})`]));
      },
      valid(record, checked) {
        if (checked.warnings && !replaying) rejects.warn(record.row, checked.warnings);
        if (checked.blanked) {
          // The blanked values are reported whether or not this run wrote the row (a resumed
          // run writes the whole results file again).
          const blanked = checked.blanked;
          const wait = emit(() => rejects.blank(record.row, record.values, blanked));
          return wait ? wait.then(() => keep(record, checked)) : keep(record, checked);
        }
        return keep(record, checked);
      },
    });
    await send();
    await settle();

    counts.skipped = counts.invalid + counts.duplicates + counts.excluded;
    await store.finishImport(importId, 'completed', counts);
    const files = await results.commit();
    results = undefined;
    await store.close();
    // Best-effort: the rows are committed and recorded as completed. Failing now because the
    // state (Redis, say) is unreachable would mark a finished import as failed; the session then
    // simply expires, and re-running it finds the completed run.
    await endSession(ctx, fileId, upload.key, options);
    return {
      success: true,
      importId,
      ...counts,
      errors: rejects.errors,
      ...(rejects.blankedCount > 0 ? { blankedValues: rejects.blankedCount, blanked: rejects.blanked } : {}),
      ...(rejects.warnings.length > 0 ? { warnings: rejects.warnings } : {}),
      ...files,
      ...(claim.kind === 'resume' ? { resumedFrom } : {}),
      ...(options.dryRun ? { dryRun: true } : {}),
    };
  } catch (error) {
    const failure = toImportError(error, `import of ${upload.fileName} failed`);
    const status: ImportStatus = failure.code === 'INTERRUPTED' ? 'interrupted' : 'failed';
    await stopWriting();
    // Only what the last checkpoint covers is recorded: rows read since then are read again.
    await store.finishImport(importId, status, await committedCounts(store, importId, committed)).catch(() => undefined);
    await results?.discard();
    await store.close().catch(() => undefined);
    throw failure;
  }
}

const ALREADY_IN_DATABASE = 'already in the database (onDuplicate skip)';

/** A row on its way to the database, with its original values kept for the results files. */
interface PendingRow extends ContactToWrite {
  values: string[];
}

/** A batch sent to the database: its rows, the counts its checkpoint adds its outcomes to, and the write. */
interface InFlight {
  rows: PendingRow[];
  before: ImportCounts;
  writing: Promise<WrittenRow[]>;
  /** Set as soon as the write fails, so the run stops at the next row. */
  failed: boolean;
}

/**
 * Valid rows before a resumed run's checkpoint: they were written (or found already there) by
 * the run that was cut off. Their outcome is read back from the table, in batches, so the
 * results files cover every row exactly as a run that was never cut off would.
 */
class ReplayedRows {
  private pending: PendingRow[] = [];

  constructor(
    private readonly store: ContactStore,
    private readonly results: ImportResults,
    private readonly importId: string,
    private readonly onDuplicate: OnDuplicate,
    private readonly batchSize: number,
  ) {}

  async add(row: PendingRow): Promise<void> {
    // Only rejections (skip) and imported-row files need the table's answer.
    if (this.onDuplicate !== 'skip' && !this.results.wantsImported) return;
    this.pending.push(row);
    if (this.pending.length >= this.batchSize) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    const found = await this.store.findContacts(rows.map((r) => r.contact.email));
    for (const { row, values, contact } of rows) {
      const stored = found.get(contact.email);
      if (!stored) continue; // deleted since: nothing to say about it
      const ours = stored.importId === this.importId;
      if (ours) await this.results.written(row, values, stored.id, 'inserted');
      else if (this.onDuplicate === 'update') await this.results.written(row, values, stored.id, 'updated');
      else await this.results.reject(row, values, ['email'], [ALREADY_IN_DATABASE]);
    }
  }
}

/** The counts after a batch: pure, since a retried transaction calls it again. */
function tally(before: ImportCounts, written: WrittenRow[]): ImportCounts {
  const after = { ...before };
  for (const { outcome } of written) {
    if (outcome === 'inserted') after.imported++;
    else if (outcome === 'updated') after.updated++;
    else after.duplicates++;
  }
  after.skipped = after.invalid + after.duplicates + after.excluded;
  return after;
}

/** The checkpoint as last committed, so a failed run's record never counts rows it did not write. */
async function committedCounts(store: ContactStore, importId: string, fallback: ImportCounts): Promise<ImportCounts> {
  const run = await store.getImport(importId).catch(() => null);
  return run ? countsOf(run) : fallback;
}

function countsOf(run: ImportRun): ImportCounts {
  const { rowsDone, imported, updated, skipped, invalid, duplicates, excluded } = run;
  return { totalRows: rowsDone, imported, updated, skipped, invalid, duplicates, excluded };
}

function zeroCounts(): ImportCounts {
  return { totalRows: 0, imported: 0, updated: 0, skipped: 0, invalid: 0, duplicates: 0, excluded: 0 };
}

function alreadyImported(run: ImportRun, dryRun: boolean | undefined): ImportResult {
  return {
    success: true,
    importId: run.importId,
    ...countsOf(run),
    errors: [],
    errorReport: null,
    importedReport: null,
    alreadyImported: true,
    ...(dryRun ? { dryRun: true } : {}),
  };
}
