import type { RecordSource, SourceRecord } from './record-source.js';

/** Records gathered into a batch, for a source that gives them one at a time. */
const GATHERED = 256;

/**
 * A source's records a batch at a time: its own batches where the reader has them (CSV), else
 * its records gathered GATHERED at a time (a spreadsheet's rows come one by one anyway).
 */
export function recordBatches(source: Pick<RecordSource, 'records' | 'batches'>): AsyncIterable<SourceRecord[]> {
  return source.batches ?? gather(source.records);
}

async function* gather(records: AsyncIterable<SourceRecord>): AsyncGenerator<SourceRecord[]> {
  let batch: SourceRecord[] = [];
  for await (const record of records) {
    batch.push(record);
    if (batch.length === GATHERED) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
