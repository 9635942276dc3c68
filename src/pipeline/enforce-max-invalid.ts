import type { MappingPlan } from '../contacts/compile-mapping.js';
import { ImportError } from '../errors.js';
import type { ProgressListener } from '../types.js';
import type { StoredAnalysis } from './stored-analysis.js';
import type { UploadRecord } from './upload-record.js';
import type { Context } from './context.js';
import { eachCheckedRow } from './each-checked-row.js';
import { openFileRecords } from './open-file-records.js';

export type MaxInvalid = { count: number } | { percent: number };

export interface MaxInvalidOptions {
  maxInvalid: MaxInvalid;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/** A validation pass before anything is written, so an abort leaves the database untouched. */
export async function enforceMaxInvalid(
  ctx: Context,
  upload: UploadRecord,
  analysis: StoredAnalysis,
  plan: MappingPlan,
  excluded: Set<number>,
  options: MaxInvalidOptions,
): Promise<void> {
  const limit = options.maxInvalid;
  const source = await openFileRecords(ctx, upload, { format: analysis.format });
  let invalid = 0;
  const considered = await eachCheckedRow(
    source.records,
    {
      plan,
      defaultCountry: ctx.config.defaultCountry,
      onInvalidValue: ctx.config.onInvalidValue,
      excluded,
      dedupe: false,
      signal: options.signal,
      interrupted: () => new ImportError('INTERRUPTED', 'import interrupted'),
    },
    {
      invalid() {
        invalid++;
      },
      tick(rows) {
        options.onProgress?.({ phase: 'validate', rows, bytes: source.bytesRead(), totalBytes: source.totalBytes });
      },
    },
  );
  const percent = considered === 0 ? 0 : (invalid / considered) * 100;
  const over = 'count' in limit ? invalid > limit.count : percent > limit.percent;
  if (over) {
    const allowed = 'count' in limit ? `${limit.count}` : `${limit.percent}%`;
    throw new ImportError(
      'MAX_INVALID',
      `${invalid} of ${considered} rows are invalid (${percent.toFixed(1)}%), more than the ${allowed} allowed; nothing was written`,
      {
        file: upload.fileName,
        hint: 'raise maxInvalid, or list them',
        options: ['maxInvalid'],
        next: { step: 'preview', fileId: upload.fileId, invalidOnly: true },
      },
    );
  }
}
