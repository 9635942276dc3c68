import { Readable } from 'node:stream';
import { readRecords } from '../../../src/records/read-records.js';
import type { ReadOptions, RecordSource, SourceRecord } from '../../../src/records/record-source.js';

/** The bytes as one chunk, or split every `chunkSize` bytes to catch boundary bugs. */
export function streamOf(bytes: Buffer | string, chunkSize?: number): Readable {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  if (chunkSize === undefined) return Readable.from([buffer]);
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += chunkSize) chunks.push(buffer.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

export async function collect(records: AsyncIterable<SourceRecord>): Promise<SourceRecord[]> {
  const all: SourceRecord[] = [];
  for await (const record of records) all.push(record);
  return all;
}

export interface ReadResult extends Omit<RecordSource, 'records'> {
  records: SourceRecord[];
}

/** Reads everything; `chunkSize` splits the input into chunks of that many bytes. */
export async function readAll(
  bytes: Buffer | string,
  options: Partial<ReadOptions> = {},
  chunkSize?: number,
): Promise<ReadResult> {
  const source = await readRecords(streamOf(bytes, chunkSize), {
    kind: 'csv',
    fileName: 'contacts.csv',
    ...options,
  });
  return { ...source, records: await collect(source.records) };
}

/** Values of every record. */
export const valuesOf = (result: ReadResult): string[][] => result.records.map((r) => r.values);

/** Runs `fn` and returns what it threw (fails if it did not throw). */
export async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
