import { compileMapping } from '../contacts/compile-mapping.js';
import { ImportError } from '../errors.js';
import type { PreviewResult, PreviewRow } from '../types.js';
import { MAX_PREVIEW_PAGE_SIZE, PREVIEW_PAGE_SIZE } from '../types.js';
import type { CheckedRow } from './check-record.js';
import type { Context } from './context.js';
import { eachCheckedRow, type RowSink } from './each-checked-row.js';
import { openFileRecords } from './open-file-records.js';
import { findMapping, requireAnalysis, requireUpload } from './session.js';

export interface PreviewOptions {
  /** 1-based. */
  page?: number;
  pageSize?: number;
  /** Only rows an import would reject: invalid ones and duplicates of an earlier row. */
  invalidOnly?: boolean;
}

export interface PreviewOutcome extends PreviewResult {
  /** Whether the rows were mapped with the saved mapping or, for want of one, the suggested one. */
  mappingSource: 'saved' | 'suggested';
}

/**
 * One page of mapped rows, streamed from the file itself (not a stored sample), so every row
 * of the file can be previewed. Rows are numbered as in the file; duplicates of an earlier
 * valid row carry `_duplicateOf`.
 */
export async function preview(ctx: Context, fileId: string, options: PreviewOptions = {}): Promise<PreviewOutcome> {
  const page = options.page ?? 1;
  const pageSize = options.pageSize ?? PREVIEW_PAGE_SIZE;
  if (!Number.isInteger(page) || page < 1) {
    throw new ImportError('USAGE', `the page must be a whole number from 1, got ${page}`, { hint: 'set page to 1 or more', options: ['page'] });
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PREVIEW_PAGE_SIZE) {
    throw new ImportError('USAGE', `the page size must be a whole number from 1 to ${MAX_PREVIEW_PAGE_SIZE}, got ${pageSize}`, {
      hint: `set pageSize from 1 to ${MAX_PREVIEW_PAGE_SIZE}`,
      options: ['pageSize'],
    });
  }
  const upload = await requireUpload(ctx, fileId);
  const analysis = await requireAnalysis(ctx, fileId);
  const saved = await findMapping(ctx, fileId);
  const plan = saved
    ? compileMapping(saved.mapping, analysis.columns)
    : compileMapping(analysis.suggestedMapping, analysis.columns, { requireFields: false });

  const source = await openFileRecords(ctx, upload, { format: analysis.format });
  const first = (page - 1) * pageSize;
  const rows: PreviewRow[] = [];
  let matching = 0;
  const collect = (checked: CheckedRow, duplicateOf?: number): void => {
    if (matching >= first && matching < first + pageSize) rows.push(toPreviewRow(checked, plan.entries, duplicateOf));
    matching++;
  };
  // Rejected rows, as import rejects them: invalid ones, and duplicates of an earlier row.
  const sink: RowSink = {
    invalid: (_record, checked) => collect(checked),
    duplicate: (_record, checked, firstRow) => collect(checked, firstRow),
  };
  if (!options.invalidOnly) {
    sink.valid = (_record, checked) => collect(checked);
    // Without a filter the total is known from the analysis: stop once the page is full.
    sink.full = () => matching >= first + pageSize;
  }
  await eachCheckedRow(source.records, { plan, defaultCountry: ctx.config.defaultCountry, onInvalidValue: ctx.config.onInvalidValue }, sink);
  const total = options.invalidOnly ? matching : analysis.totalRows;
  return { rows, total, page, pageSize, mappingSource: saved ? 'saved' : 'suggested' };
}

function toPreviewRow(
  checked: CheckedRow,
  entries: ReadonlyArray<{ field: string }>,
  duplicateOf: number | undefined,
): PreviewRow {
  const row: PreviewRow = { _rowIndex: checked.row, _isValid: checked.contact !== null, _errors: checked.errors };
  if (duplicateOf !== undefined) row._duplicateOf = duplicateOf;
  const warnings = [...(checked.warnings ?? []), ...(checked.blanked ?? []).map((b) => `${b.message}: imported without it`)];
  if (warnings.length > 0) row._warnings = warnings;
  const values = (checked.contact ?? checked.fields) as Record<string, string | undefined>;
  for (const { field } of entries) {
    if (field === 'fullName') for (const part of ['firstName', 'lastName']) row[part] = values[part] ?? '';
    else row[field] = values[field] ?? '';
  }
  return row;
}
