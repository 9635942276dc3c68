import { fileTooLarge, ImportError } from '../errors.js';
import type { FileFormat } from '../records/file-format.js';
import type { UploadRecord } from './upload-record.js';
import { readRecords } from '../records/read-records.js';
import type { RecordSource } from '../records/record-source.js';
import { checkUploadStore } from './check-upload-store.js';
import type { Context } from './context.js';
import { unguardResultsFile } from './results-file-input.js';
import { settleUpload } from './settle-upload.js';

export interface OpenRecordsOptions {
  format?: FileFormat;
  sheet?: string;
  encoding?: string;
  delimiter?: string;
  headerRow?: number;
}

/** Opens an uploaded file as a record stream; its size is checked before any byte is read. */
export async function openFileRecords(
  ctx: Context,
  upload: UploadRecord,
  options: OpenRecordsOptions = {},
): Promise<RecordSource & { totalBytes: number }> {
  checkUploadStore(ctx, upload);
  const stat = await ctx.files.stat(upload.key);
  if (!stat) {
    if (upload.kind === 'pending') throw notArrived(upload);
    throw new ImportError('NOT_FOUND', `the uploaded file for ${upload.fileId} is missing (${upload.key})`, {
      hint: 'it may have been cleaned up; upload the file again',
    });
  }
  if (stat.size > ctx.config.maxFileSizeBytes) {
    throw fileTooLarge(upload.fileName, ctx.config.maxFileSizeBytes);
  }
  let input = await ctx.files.open(upload.key);
  let kind = upload.kind;
  // The kind is decided once and kept in the upload record; a presigned upload, or a record
  // written before the kind was kept, has it decided now (and saved) from the first bytes.
  if (kind === undefined || kind === 'pending') ({ kind, input } = await settleUpload(ctx, upload, input, stat.size));
  const source = await readRecords(input, {
    kind,
    kindDetected: true,
    fileName: upload.fileName,
    maxRows: ctx.config.maxRows,
    maxRecordSize: ctx.config.maxRecordSize,
    xlsxLimits: ctx.config.xlsxLimits,
    ...options,
  });
  return unguardResultsFile(Object.assign(source, { totalBytes: stat.size }));
}

/** A presigned upload whose PUT has not happened (or not finished: S3 shows an object only once complete). */
function notArrived(upload: UploadRecord): ImportError {
  const until = upload.expiresAt ? ` before ${upload.expiresAt}` : '';
  const type = upload.contentType ? ` with Content-Type: ${upload.contentType}` : '';
  return new ImportError('NOT_FOUND', `the upload for ${upload.fileId} has not arrived yet (nothing at ${upload.key})`, {
    hint: `PUT the file to the presigned URL${type}${until}, then run this again`,
  });
}
