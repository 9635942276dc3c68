import { describe, expect, it } from 'vitest';
import { compileMapping } from '../../../../src/contacts/compile-mapping.js';
import { packedPlan, RecordPacker, unpackRecords } from '../../../../src/pipeline/count-rows/packed-records.js';
import type { SourceRecord } from '../../../../src/records/record-source.js';

const columns = ['Notes', 'Email', 'Skipped', 'Name', 'Phone'];
const plan = compileMapping({ Email: 'email', Name: 'fullName', Phone: 'phone', Notes: 'notes' }, columns);

describe('packed records', () => {
  it('keep only the mapped values, in the packed plan’s order, exactly', () => {
    const records: SourceRecord[] = [
      { row: 1, line: 2, values: ['a note', 'ann@example.com', 'x', 'Ann Lee', '+1 202 555 0143'] },
      // Unicode, an empty value, a lone surrogate and an embedded newline survive as they are.
      { row: 2, line: 3, values: ['“quoted”\nnote', 'zoë@exämple.com', 'y', '', '\ud800'] },
      { row: 4, line: 9, values: ['', 'bad', 'z', 'Bo', ''], problems: ['the row has 6 fields, the header 5'] },
      {
        row: 5,
        line: 10,
        values: ['', 'c@example.com', '', 'Cy', ''],
        cellErrors: [
          { column: 2, message: 'cell C6 has the error #N/A' },
          { column: 4, message: 'cell E6 has the error #DIV/0!' },
        ],
      },
    ];
    const packer = new RecordPacker(plan, 8);
    for (const record of records) packer.add(record);
    expect(packer.size).toBe(4);
    const packed = structuredClone(packer.take());
    expect(packer.size).toBe(0);

    const kept = packedPlan(plan);
    expect(kept.entries.map((e) => [e.field, e.index])).toEqual([['notes', 0], ['email', 1], ['fullName', 2], ['phone', 3]]);
    const unpacked = unpackRecords(packed, kept.entries.length);
    expect(unpacked.map((r) => [r.row, r.line, r.values])).toEqual(
      records.map((r) => [r.row, r.line, plan.entries.map((e) => r.values[e.index])]),
    );
    expect(unpacked[1]!.values[3]).toBe('\ud800');
    expect(unpacked[2]!.problems).toEqual(records[2]!.problems);
    // The error cell in the skipped column is dropped (it is nothing); the phone's moves to its kept position.
    expect(unpacked[3]!.cellErrors).toEqual([{ column: 3, message: 'cell E6 has the error #DIV/0!' }]);
    expect(unpacked[0]).not.toHaveProperty('problems');
    expect(unpacked[0]).not.toHaveProperty('cellErrors');
  });

  it('are full at their capacity and count their text', () => {
    const packer = new RecordPacker(plan, 2);
    packer.add({ row: 1, line: 2, values: ['12345', 'a@b.co', '', 'N', ''] });
    expect(packer.full).toBe(false);
    expect(packer.chars).toBe(12);
    packer.add({ row: 2, line: 3, values: ['', '', '', '', ''] });
    expect(packer.full).toBe(true);
    expect(unpackRecords(packer.take(), 4)).toHaveLength(2);
    expect(packer.chars).toBe(0);
  });
});
