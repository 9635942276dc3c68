import { describe, expect, it } from 'vitest';
import { compileMapping } from '../../../src/contacts/compile-mapping.js';
import { ImportError } from '../../../src/errors.js';
import type { SinkNeeds } from '../../../src/pipeline/check-batch.js';
import type { CheckedRow } from '../../../src/pipeline/check-record.js';
import { CheckThread } from '../../../src/pipeline/check-thread.js';
import { eachCheckedRow, type OutcomeSink, type ResultSink, type RowSink } from '../../../src/pipeline/each-checked-row.js';
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

describe.each([false, true])('eachCheckedRow (thread: %s)', (thread) => {
  const rows = [
    ['Ana@Example.com', 'Ana'],
    ['not-an-email', 'Bob'],
    ['ana@example.com ', 'Ana again'],
    ['cy@example.com', 'Cy'],
    ['dee@example.com', 'Dee'],
  ];

  it('hands each row to the sink by what became of it: valid, invalid, duplicate of the first, excluded', async () => {
    const { seen, sink } = recorder();
    const checked = await eachCheckedRow(recordsOf(rows, { 5: ['too many fields'] }), { plan, thread, defaultCountry: 'US', excluded: new Set([4]) }, sink);
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
    await eachCheckedRow(recordsOf(rows), { plan, thread, defaultCountry: 'US', dedupe: false }, sink);
    expect(seen).toContain('valid 3 ana@example.com');
  });

  it('waits for a sink that returns a promise before the next row', async () => {
    const order: string[] = [];
    await eachCheckedRow(recordsOf(rows.slice(0, 2)), { plan, thread, defaultCountry: 'US' }, {
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
    await eachCheckedRow(recordsOf(rows), { plan, thread, defaultCountry: 'US' }, { ...sink, full: () => ++n >= 2 });
    expect(seen.filter((s) => s.startsWith('read'))).toEqual(['read 1', 'read 2']);
  });

  it('ticks every 1024 checked rows and throws the interruption once the signal is aborted', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => [`u${i}@example.com`, 'U']);
    const ticks: number[] = [];
    await eachCheckedRow(recordsOf(many), { plan, thread, defaultCountry: 'US' }, { tick: (n) => void ticks.push(n) });
    expect(ticks).toEqual([1024, 2048]);

    const controller = new AbortController();
    controller.abort();
    const failure = await eachCheckedRow(
      recordsOf(many),
      { plan, thread, defaultCountry: 'US', signal: controller.signal, interrupted: () => new ImportError('INTERRUPTED', 'stopped') },
      {},
    ).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'INTERRUPTED', message: 'stopped' });
  });
});

describe('eachCheckedRow on a checking thread', () => {
  const columns = ['Email', 'First', 'Phone', 'Country', 'Notes'];
  const wide = compileMapping({ Email: 'email', First: 'firstName', Phone: 'phone', Country: 'country' }, columns);
  const PHONES = ['(212) 555-0143', '+44 20 7946 0958', '030 1234567', 'call me', '', '#N/A', '+1 415 555 2671 x12', '0612345678'];
  const COUNTRIES = ['US', 'Germany', 'FR', '', 'Österreich', 'United Kingdom'];
  /** Rows of every kind: valid, invalid email or phone, duplicates in other case, unicode, error cells, structural problems. */
  function* mixed(count: number): Generator<SourceRecord> {
    for (let row = 1; row <= count; row++) {
      const email = row % 17 === 0 ? 'not an email' : `User${row % 1500}@Example.com`;
      const values = [email, row % 23 === 0 ? '' : `Zoë ${row} 株式会社`, PHONES[row % PHONES.length]!, COUNTRIES[row % COUNTRIES.length]!, `note ${row}`];
      const record: SourceRecord = { row, line: row + 1, values };
      if (row % 97 === 0) record.problems = ['row has 6 fields, the header 5'];
      if (row % 89 === 0) record.cellErrors = [{ column: 2, message: `cell C${row + 1} has the error #REF!` }];
      yield record;
    }
  }
  async function* recordsFrom(rows: Iterable<SourceRecord>): AsyncGenerator<SourceRecord> {
    yield* rows;
  }
  /** Everything the sink is given, in order. */
  async function run(thread: boolean, options: { needs?: SinkNeeds; excluded?: Set<number>; dedupe?: boolean } = {}): Promise<unknown[]> {
    const seen: unknown[] = [];
    const loop = { plan: wide, defaultCountry: 'US' as const, thread, excluded: options.excluded, dedupe: options.dedupe };
    const sink = {
      read: (r: SourceRecord) => void seen.push(['read', r.row]),
      excluded: (r: SourceRecord) => void seen.push(['excluded', r.row]),
      invalid: (r: SourceRecord, c: unknown) => void seen.push(['invalid', r.row, c]),
      duplicate: (r: SourceRecord, c: unknown, first: number) => void seen.push(['duplicate', r.row, c, first]),
      valid: (r: SourceRecord, c: unknown) => void seen.push(['valid', r.row, c]),
      tick: (n: number) => void seen.push(['tick', n]),
    };
    const records = recordsFrom(mixed(7321));
    const checked =
      options.needs === 'outcomes'
        ? await eachCheckedRow(records, loop, sink as OutcomeSink, 'outcomes')
        : options.needs === 'results'
          ? await eachCheckedRow(records, loop, sink as ResultSink, 'results')
          : await eachCheckedRow(records, loop, sink as RowSink);
    seen.push(['checked', checked]);
    return seen;
  }
  /** The inline run's calls with each checked row changed by `change`. */
  async function inlineWith(change: (checked: CheckedRow) => unknown): Promise<unknown[]> {
    return (await run(false)).map((call) => {
      const [kind, row, checked, ...rest] = call as [string, number, CheckedRow, ...unknown[]];
      return ['invalid', 'valid', 'duplicate'].includes(kind) ? [kind, row, change(checked), ...rest] : call;
    });
  }

  it('hands the sink exactly what checking on the calling thread does, in the same order', async () => {
    const inline = await run(false);
    expect(inline.filter((s) => (s as unknown[])[0] === 'duplicate').length).toBeGreaterThan(1000);
    expect(await run(true)).toEqual(inline);
    const excluded = new Set([5, 999, 1000, 1001, 4000]);
    expect(await run(true, { excluded, dedupe: false })).toEqual(await run(false, { excluded, dedupe: false }));
  });

  it('gives a result sink the same rows without their raw values, and an outcome sink only the outcomes', async () => {
    // Batches checked on the calling thread (while the other was busy) keep their raw values: a
    // result sink may be given more than it needs, never less.
    const strip = (calls: unknown[]): unknown[] =>
      calls.map((call) => (call as unknown[]).map((part) => (part && typeof part === 'object' && 'errors' in part ? { ...part, fields: undefined } : part)));
    const results = await run(true, { needs: 'results' });
    expect(results.some((call) => { const c = (call as unknown[])[2]; return c && typeof c === 'object' && !('fields' in c); })).toBe(true);
    expect(strip(results)).toEqual(strip(await run(false)));
    expect(await run(true, { needs: 'outcomes' })).toEqual(await inlineWith(() => undefined));
  });

  it('stops the thread when the sink fails', async () => {
    const failure = await eachCheckedRow(recordsFrom(mixed(5000)), { plan: wide, defaultCountry: 'US', thread: true }, {
      valid: (r) => {
        if (r.row > 1200) throw new ImportError('IO', 'disk full');
      },
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'IO', message: 'disk full' });
  });

  it('fails every check with an INTERNAL error once the thread dies', async () => {
    const thread = new CheckThread({ entries: wide.entries, rules: { defaultCountry: 'US' }, needs: 'outcomes' });
    // Lengths past the end of the text: the thread cannot unpack the batch and throws.
    const broken = { rows: Int32Array.of(1), texts: [], lengths: new Uint32Array(4).fill(3), extras: [] };
    thread.send(broken);
    thread.send(broken);
    await expect(thread.next()).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/row-checking thread failed/) });
    await expect(thread.next()).rejects.toMatchObject({ code: 'INTERNAL' });
    await thread.close();
  });

  it('answers a wait for a thread that was stopped with an INTERNAL error, not a hang', async () => {
    const thread = new CheckThread({ entries: wide.entries, rules: { defaultCountry: 'US' }, needs: 'outcomes' });
    const waiting = thread.next();
    await thread.close();
    await expect(waiting).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
