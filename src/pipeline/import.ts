import { compileMapping, type MappingPlan } from '../contacts/compile-mapping.js';
import type { ContactToWrite, ImportCounts, ImportStatus } from '../db/contact-store.js';
import { openContactStore } from '../db/open-contact-store.js';
import { ImportError, toImportError } from '../errors.js';
import { ErrorReport } from '../report/error-report.js';
import type { ImportResult, OnDuplicate, ProgressListener, RowError, StoredAnalysis, UploadRecord } from '../types.js';
import { checkRecord } from './check-record.js';
import type { Context } from './context.js';
import { DuplicateTracker } from './duplicate-tracker.js';
import { lockImport } from './import-lock.js';
import { openFileRecords } from './open-file-records.js';
import { clearSession, findMapping, requireAnalysis, requireUpload } from './session.js';

export type MaxInvalid = { count: number } | { percent: number };

export interface ImportOptions {
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
  /** Path of a CSV of the rejected rows (original values, row number, reasons). */
  errorsOut?: string;
  /** Abort before writing anything when more rows than this are invalid. */
  maxInvalid?: MaxInvalid;
  batchSize?: number;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

const DEFAULT_BATCH_SIZE = 1000;
const MAX_REPORTED_ERRORS = 100;

/**
 * Streams the file again, maps, validates, dedupes (in the file and against the table) and
 * writes the valid rows in batched transactions. The run is recorded in contact_imports; the
 * session is cleared when it completes (not after a dry run, so the real import can follow).
 */
export async function importContacts(ctx: Context, fileId: string, options: ImportOptions = {}): Promise<ImportResult> {
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
      hint: `run contact-import map --file-id ${fileId} (or --auto)`,
    });
  }
  const plan = compileMapping(saved.mapping, analysis.columns);
  const excluded = new Set(options.excludeRows ?? []);
  const onDuplicate = options.onDuplicate ?? 'skip';

  if (options.maxInvalid) await enforceMaxInvalid(ctx, upload, analysis, plan, excluded, options);

  const store = await openContactStore(options.database ?? ctx.config.databaseUrl, {
    table: options.table ?? ctx.config.table,
    schema: options.schema,
    dryRun: options.dryRun,
  });
  let importId = `import_${crypto.randomUUID()}`;
  const counts: ImportCounts = { totalRows: 0, imported: 0, updated: 0, skipped: 0, invalid: 0, duplicates: 0, excluded: 0 };
  const errors: RowError[] = [];
  let report: ErrorReport | undefined;
  let started = false;
  try {
    // Minimal adaptation to the claimRun contract (store-8); the lead's rewrite resumes runs.
    const claim = await store.claimRun({
      importId,
      fileId,
      fileName: upload.fileName,
      totalRows: analysis.totalRows,
      mapping: plan.mapping,
      resumeKey: JSON.stringify([plan.mapping, onDuplicate, [...excluded].sort((a, b) => a - b), ctx.config.defaultCountry]),
    });
    importId = claim.run.importId;
    started = true;
    if (options.errorsOut) report = await ErrorReport.open(options.errorsOut, analysis.columns);

    const reject = async (row: number, values: string[], reasons: string[]): Promise<void> => {
      if (errors.length < MAX_REPORTED_ERRORS) errors.push({ row, message: reasons.join('; ') });
      await report?.add(row, values, reasons);
    };
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const duplicates = new DuplicateTracker();
    const source = await openFileRecords(ctx, upload, { format: analysis.format });
    let batch: ContactToWrite[] = [];
    let batchValues: string[][] = [];

    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const outcomes = await store.writeBatch(batch, { importId, onDuplicate });
      for (let i = 0; i < outcomes.length; i++) {
        const outcome = outcomes[i]!.outcome;
        if (outcome === 'inserted') counts.imported++;
        else if (outcome === 'updated') counts.updated++;
        else {
          counts.duplicates++;
          await reject(batch[i].row, batchValues[i], ['already in the database (--on-duplicate skip)']);
        }
      }
      batch = [];
      batchValues = [];
      if (options.signal?.aborted) {
        throw new ImportError('INTERRUPTED', `import interrupted after ${counts.imported + counts.updated} contacts were committed`, {
          hint: `run the same import again to finish: contacts already imported are found and skipped (${importId} is recorded as interrupted)`,
        });
      }
      options.onProgress?.({ phase: 'import', rows: counts.totalRows, bytes: source.bytesRead(), totalBytes: source.totalBytes });
    };

    for await (const record of source.records) {
      counts.totalRows++;
      if (excluded.has(record.row)) {
        counts.excluded++;
        continue;
      }
      const checked = checkRecord(record, plan, ctx.config.defaultCountry);
      if (!checked.contact) {
        counts.invalid++;
        await reject(record.row, record.values, checked.errors);
        continue;
      }
      const firstRow = duplicates.check(checked.contact.email, record.row);
      if (firstRow !== undefined) {
        counts.duplicates++;
        await reject(record.row, record.values, [`duplicate of row ${firstRow} (same email ${checked.contact.email})`]);
        continue;
      }
      batch.push({ row: record.row, contact: checked.contact });
      batchValues.push(record.values);
      if (batch.length >= batchSize) await flush();
    }
    await flush();

    counts.skipped = counts.invalid + counts.duplicates + counts.excluded;
    await store.finishImport(importId, 'completed', counts);
    const errorReport = report ? await report.commit() : null;
    report = undefined;
    await store.close();
    // Best-effort: the rows are committed and recorded as completed. Failing now because the
    // state (Redis, say) is unreachable would mark a finished import as failed; the session then
    // simply expires, and re-running it would skip every contact as already imported.
    if (!options.dryRun) await clearSession(ctx, fileId).catch(() => undefined);
    return { success: true, importId, ...counts, errors, errorReport, ...(options.dryRun ? { dryRun: true } : {}) };
  } catch (error) {
    const failure = toImportError(error, `import of ${upload.fileName} failed`);
    counts.skipped = counts.invalid + counts.duplicates + counts.excluded;
    const status: ImportStatus = failure.code === 'INTERRUPTED' ? 'interrupted' : 'failed';
    if (started) await store.finishImport(importId, status, counts).catch(() => undefined);
    await report?.discard().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw failure;
  }
}

/** A validation pass before anything is written, so an abort leaves the database untouched. */
async function enforceMaxInvalid(
  ctx: Context,
  upload: UploadRecord,
  analysis: StoredAnalysis,
  plan: MappingPlan,
  excluded: Set<number>,
  options: ImportOptions,
): Promise<void> {
  const limit = options.maxInvalid!;
  const source = await openFileRecords(ctx, upload, { format: analysis.format });
  let considered = 0;
  let invalid = 0;
  for await (const record of source.records) {
    if (excluded.has(record.row)) continue;
    considered++;
    if (!checkRecord(record, plan, ctx.config.defaultCountry).contact) invalid++;
    if ((considered & 1023) === 0) {
      if (options.signal?.aborted) throw new ImportError('INTERRUPTED', 'import interrupted');
      options.onProgress?.({ phase: 'validate', rows: considered, bytes: source.bytesRead(), totalBytes: source.totalBytes });
    }
  }
  const percent = considered === 0 ? 0 : (invalid / considered) * 100;
  const over = 'count' in limit ? invalid > limit.count : percent > limit.percent;
  if (over) {
    const allowed = 'count' in limit ? `${limit.count}` : `${limit.percent}%`;
    throw new ImportError(
      'MAX_INVALID',
      `${invalid} of ${considered} rows are invalid (${percent.toFixed(1)}%), more than --max-invalid ${allowed}; nothing was written`,
      { file: upload.fileName, hint: `list them with contact-import preview --file-id ${upload.fileId} --invalid-only` },
    );
  }
}
