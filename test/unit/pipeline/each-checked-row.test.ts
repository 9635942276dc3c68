import { describe, expect, it } from 'vitest';
import { compileMapping } from '../../../src/contacts/compile-mapping.js';
import { ImportError } from '../../../src/errors.js';
import { eachCheckedRow, type RowSink } from '../../../src/pipeline/each-checked-row.js';
import type { SourceRecord } from '../../../src/records/record-source.js';

const COLUMNS = ['Email', 'First'];
const plan = compileMapping({ Email: 'email', First: 'firstName' }, COLUMNS);

async function* recordsOf(rows: string[][], problems: Record<number, string[]> = {}): AsyncGenerator<SourceRecord> {
  let row = 0;
  for (const values of rows) {
    row++;
    yield { row, line: row + 1, values, ...(problems[row] ? { problems: problems[row] } : {}) };
  }
}

/** A sink that writes down what became of each row, in order. */
function recorder(): { seen: string[]; sink: RowSink } {
  const seen: string[] = [];
  return {
    seen,
    sink: {
      read: (r) => void seen.push(`read ${r.row}`),
      excluded: (r) => void seen.push(`excluded ${r.row}`),
      invalid: (r, c) => void seen.push(`invalid ${r.row}: ${c.errors.join('; ')}`),
      duplicate: (r, c, first) => void seen.push(`duplicate ${r.row} of ${first} (${c.contact.email})`),
      valid: (r, c) => void seen.push(`valid ${r.row} ${c.contact.email}`),
    },
  };
}

describe('eachCheckedRow', () => {
  const rows = [
    ['Ana@Example.com', 'Ana'],
    ['not-an-email', 'Bob'],
    ['ana@example.com ', 'Ana again'],
    ['cy@example.com', 'Cy'],
    ['dee@example.com', 'Dee'],
  ];

  it('hands each row to the sink by what became of it: valid, invalid, duplicate of the first, excluded', async () => {
    const { seen, sink } = recorder();
    const checked = await eachCheckedRow(recordsOf(rows, { 5: ['too many fields'] }), { plan, defaultCountry: 'US', excluded: new Set([4]) }, sink);
    expect(checked).toBe(4);
    expect(seen.filter((s) => !s.startsWith('read'))).toEqual([
      'valid 1 ana@example.com',
      expect.stringMatching(/^invalid 2: .*email/i),
      'duplicate 3 of 1 (ana@example.com)',
      'excluded 4',
      'invalid 5: too many fields',
    ]);
    expect(seen.filter((s) => s.startsWith('read'))).toHaveLength(5);
  });

  it('without dedupe every valid row is valid', async () => {
    const { seen, sink } = recorder();
    await eachCheckedRow(recordsOf(rows), { plan, defaultCountry: 'US', dedupe: false }, sink);
    expect(seen).toContain('valid 3 ana@example.com');
  });

  it('waits for a sink that returns a promise before the next row', async () => {
    const order: string[] = [];
    await eachCheckedRow(recordsOf(rows.slice(0, 2)), { plan, defaultCountry: 'US' }, {
      read: (r) => void order.push(`read ${r.row}`),
      valid: async (r) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(`written ${r.row}`);
      },
    });
    expect(order).toEqual(['read 1', 'written 1', 'read 2']);
  });

  it('stops when the sink is full', async () => {
    const { seen, sink } = recorder();
    let n = 0;
    await eachCheckedRow(recordsOf(rows), { plan, defaultCountry: 'US' }, { ...sink, full: () => ++n >= 2 });
    expect(seen.filter((s) => s.startsWith('read'))).toEqual(['read 1', 'read 2']);
  });

  it('ticks every 1024 checked rows and throws the interruption once the signal is aborted', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => [`u${i}@example.com`, 'U']);
    const ticks: number[] = [];
    await eachCheckedRow(recordsOf(many), { plan, defaultCountry: 'US' }, { tick: (n) => void ticks.push(n) });
    expect(ticks).toEqual([1024, 2048]);

    const controller = new AbortController();
    controller.abort();
    const failure = await eachCheckedRow(
      recordsOf(many),
      { plan, defaultCountry: 'US', signal: controller.signal, interrupted: () => new ImportError('INTERRUPTED', 'stopped') },
      {},
    ).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'INTERRUPTED', message: 'stopped' });
  });
});
