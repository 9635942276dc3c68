import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/errors.js';
import { readRecords } from '../../../src/records/read-records.js';
import { caught, collect, streamOf } from './records-test-helpers.js';

/** A CSV of `rows` contacts produced lazily, in chunks of one line, counting what was pulled. */
function lazyCsv(rows: number): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  function* lines(): Generator<Buffer> {
    yield Buffer.from('email,name\n');
    for (let i = 1; i <= rows; i++) {
      pulled = i;
      yield Buffer.from(`user${i}@example.com,User ${i}\n`);
    }
  }
  return { stream: Readable.from(lines()), pulled: () => pulled };
}

describe('readRecords', () => {
  it('resolves with the columns before the rows are read, and pulls rows on demand', async () => {
    const { stream, pulled } = lazyCsv(100_000);
    const source = await readRecords(stream, { kind: 'csv', fileName: 'big.csv' });
    expect(source.columns).toEqual(['email', 'name']);
    // The head sample is read up front, but nowhere near the whole file.
    expect(pulled()).toBeLessThan(50_000);
    const before = source.bytesRead();
    expect(before).toBeGreaterThan(0);

    let seen = 0;
    for await (const record of source.records) {
      seen++;
      if (record.row === 40_000) break;
    }
    expect(seen).toBe(40_000);
    expect(pulled()).toBeLessThan(70_000);
    expect(source.bytesRead()).toBeGreaterThanOrEqual(before);
    // Breaking out of the loop releases the input.
    await new Promise((resolve) => setImmediate(resolve));
    expect(stream.destroyed).toBe(true);
  });

  it('counts every byte once the records are read', async () => {
    const csv = Buffer.from('\ufeffemail,name\r\na@b.c,Ann\r\nb@c.d,Bob\r\n');
    const source = await readRecords(streamOf(csv, 3), { kind: 'csv', fileName: 'a.csv' });
    await collect(source.records);
    expect(source.bytesRead()).toBe(csv.length);
  });

  // Streams read ahead, so a failure may surface from readRecords or from the row loop.
  const readFully = async (stream: Readable, fileName: string, encoding?: string): Promise<void> => {
    await collect((await readRecords(stream, { kind: 'csv', fileName, encoding })).records);
  };

  it('turns an input stream failure into an IO ImportError', async () => {
    function* failing(): Generator<Buffer> {
      yield Buffer.from('email,name\n');
      yield Buffer.from('a@b.c,Ann\n'.repeat(10));
      throw new Error('EIO: disk went away');
    }
    const error = (await caught(() => readFully(Readable.from(failing()), 'a.csv'))) as ImportError;
    expect(error).toBeInstanceOf(ImportError);
    expect(error.code).toBe('IO');
    expect(error.message).toContain('disk went away');
    expect(error.place.file).toBe('a.csv');
  });

  it('reports a failure after the head sample as IO too', async () => {
    let step = 0;
    const stream = new Readable({
      read() {
        step++;
        if (step === 1) this.push(Buffer.from('email\n' + 'a@b.c\n'.repeat(20_000)));
        else if (step === 2) this.push(Buffer.from('b@c.d\n'));
        else this.destroy(new Error('connection reset'));
      },
    });
    // A known encoding needs only a 64 KiB head sample.
    const error = (await caught(() => readFully(stream, 's3.csv', 'utf-8'))) as ImportError;
    expect(error).toBeInstanceOf(ImportError);
    expect(error.code).toBe('IO');
    expect(error.message).toContain('connection reset');
  });

  it('keeps an ImportError from the input as it is', async () => {
    const stream = new Readable({
      read() {
        this.destroy(new ImportError('TOO_LARGE', 'a.csv is larger than 10 MB'));
      },
    });
    const error = (await caught(() => readRecords(stream, { kind: 'csv', fileName: 'a.csv' }))) as ImportError;
    expect(error.code).toBe('TOO_LARGE');
  });

  it('lets records be iterated only once', async () => {
    const source = await readRecords(streamOf('email\na@b.c\n'), { kind: 'csv', fileName: 'a.csv' });
    await collect(source.records);
    const error = (await caught(() => collect(source.records))) as ImportError;
    expect(error.code).toBe('INTERNAL');
  });

  it('destroys the input when it fails before the header', async () => {
    const stream = streamOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const error = (await caught(() => readRecords(stream, { kind: 'csv', fileName: 'a.csv' }))) as ImportError;
    expect(error.code).toBe('UNSUPPORTED_FILE');
    expect(stream.destroyed).toBe(true);
  });
});
