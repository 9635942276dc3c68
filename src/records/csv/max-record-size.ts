// The CSV record-size limit (maxRecordSize): a record whose fields hold more bytes is one
// invalid row, its fields never kept (see csv-tokenizer.ts), and the rest of the file is read.

import { ImportError } from '../../errors.js';

/** The default maxRecordSize, in bytes (characters, for text decoded from another encoding). */
export const MAX_RECORD_BYTES = 1024 * 1024;
/** The largest limit: a record is kept as strings, and V8's longest string is about 512 Mi characters. */
export const MAX_RECORD_SIZE_LIMIT = 256 * 1024 * 1024;

/** A library caller's maxRecordSize, checked; the default when absent. */
export function maxRecordSize(value: number | undefined): number {
  if (value === undefined) return MAX_RECORD_BYTES;
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_RECORD_SIZE_LIMIT) {
    throw new ImportError('USAGE', `maxRecordSize must be a whole number of bytes from 1 to ${MAX_RECORD_SIZE_LIMIT} (256 MiB), got ${value}`, {
      hint: 'set maxRecordSize to a size in bytes, e.g. 2097152 for 2 MiB',
      options: ['maxRecordSize'],
    });
  }
  return value;
}

/** Bytes as the README writes sizes: 1 MiB, 512 KiB, 1000 bytes. */
export function formatRecordSize(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** The problem a too-large record's row carries. */
export function recordTooLarge(limit: number): string {
  return `record is larger than the ${formatRecordSize(limit)} limit (maxRecordSize)`;
}
