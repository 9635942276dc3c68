import { describe, expect, it } from 'vitest';
import { recordBatches } from '../../../src/records/record-batches.js';
import { readRecords } from '../../../src/records/read-records.js';
import type { SourceRecord } from '../../../src/records/record-source.js';
import { collect, streamOf } from './records-test-helpers.js';

// Blank lines, a line blank once its control characters go, a record too large to keep,
// invalid UTF-8, a quoted line break, a short row: everything the reader turns lines into.
const TEXT = Buffer.concat([
  Buffer.from('email,name,city\na@x.io,Ann,Oslo\n\n   \n\x1b[31m,\x07,\n"b@x.io","Bo\nB",Rome\n'),
  Buffer.from('c@x.io,Cé'),
  Buffer.from([0xe9]),
  Buffer.from(`,Paris\nd@x.io,${'z'.repeat(300)},Nice\ne@x.io\n`),
]);

async function open(chunk: number | undefined) {
  return readRecords(streamOf(TEXT, chunk), { kind: 'csv', fileName: 'c.csv', maxRecordSize: 200 });
}

describe('records a batch at a time', () => {
  it.each([undefined, 1, 5, 64])('are the same records, with the same warnings, as one at a time (chunks of %s)', async (chunk) => {
    const one = await open(chunk);
    const single = await collect(one.records);
    const batched = await open(chunk);
    expect(batched.batches).toBeDefined();
    const batches: SourceRecord[][] = [];
    for await (const batch of recordBatches(batched)) batches.push(batch);
    expect(batches.every((batch) => batch.length > 0)).toBe(true);
    expect(batches.flat()).toEqual(single);
    expect(single.map((r) => r.row)).toEqual([1, 2, 3, 4, 5]);
    expect(batched.warnings()).toEqual(one.warnings());
  });

  it('can be read once, either way', async () => {
    const source = await open(undefined);
    await collect(source.records);
    expect(() => source.batches![Symbol.asyncIterator]()).toThrow(/iterated twice/);
  });

  it("gathers a source's records that come one at a time", async () => {
    const records = Array.from({ length: 600 }, (_, i): SourceRecord => ({ row: i + 1, line: i + 2, values: [String(i)] }));
    async function* oneByOne() {
      yield* records;
    }
    const batches: SourceRecord[][] = [];
    for await (const batch of recordBatches({ records: oneByOne() })) batches.push(batch);
    expect(batches.map((b) => b.length)).toEqual([256, 256, 88]);
    expect(batches.flat()).toEqual(records);
  });
});
