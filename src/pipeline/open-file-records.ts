import { fileTooLarge, ImportError } from '../errors.js';
import type { FileFormat, UploadRecord } from '../types.js';
import { readRecords } from '../records/read-records.js';
import type { RecordSource } from '../records/record-source.js';
import type { Context } from './context.js';

export interface OpenRecordsOptions {
  format?: FileFormat;
  sheet?: string;
  encoding?: string;
  delimiter?: string;
}

/** Opens an uploaded file as a record stream; its size is checked before any byte is read. */
export async function openFileRecords(
  ctx: Context,
  upload: UploadRecord,
  options: OpenRecordsOptions = {},
): Promise<RecordSource & { totalBytes: number }> {
  const stat = await ctx.files.stat(upload.key);
  if (!stat) {
    throw new ImportError('NOT_FOUND', `the uploaded file for ${upload.fileId} is missing (${upload.key})`, {
      hint: 'it may have been cleaned up; upload the file again',
    });
  }
  if (stat.size > ctx.config.maxFileSizeBytes) {
    throw fileTooLarge(upload.fileName, ctx.config.maxFileSizeBytes);
  }
  const input = await ctx.files.open(upload.key);
  const source = await readRecords(input, {
    kind: upload.kind,
    fileName: upload.fileName,
    maxRows: ctx.config.maxRows,
    ...options,
  });
  return Object.assign(source, { totalBytes: stat.size });
}
