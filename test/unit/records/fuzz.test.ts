// Random and mutated CSV/XLSX/XLS bytes through readRecords: whatever the input, the reader
// either yields well-formed records or throws an ImportError, in bounded time and memory.
// Seeded, so a failure names a case that can be replayed (FUZZ_SEED=… to explore others).

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/errors.js';
import { detectFileKind } from '../../../src/records/detect/detect-file-kind.js';
import type { FileKind } from '../../../src/records/file-format.js';
import { collect, streamOf } from './records-test-helpers.js';
import { readRecords } from '../../../src/records/read-records.js';
import { prng } from '../../helpers/prng.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20240601);
const CASES = 360;
/** A single case slower than this counts as a hang. */
const CASE_LIMIT_MS = 5000;

const REAL_WORLD = path.resolve(import.meta.dirname, '../../../fixtures/real-world');
const corpus = fs
  .readdirSync(REAL_WORLD)
  .sort()
  .map((name) => ({ name, bytes: fs.readFileSync(path.join(REAL_WORLD, name)) }))
  .filter(({ bytes }) => bytes.length > 0);
const workbooks = corpus.filter(({ name }) => /^contacts\.xlsx?$|huge-dimension/.test(name));

// Pieces that stress a CSV parser: delimiters, quotes, line endings, BOMs, controls,
// multi-byte characters, invalid UTF-8, a sep= line, long runs.
const PIECES: Array<string | Buffer> = [
  ',', ';', '\t', '|', '"', '""', '\r\n', '\n', '\r', ' ', 'a', 'Email', 'x@y.z', 'é', '😀', '€',
  '\x00', '\x07', '\x1b[1m', '\x0b', 'sep=;\n', '=SUM(A1)', '__proto__',
  Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xff, 0xfe]), Buffer.from([0xe9]), Buffer.from([0xc3]),
  Buffer.from([0x80]), Buffer.from([0xf0, 0x9f]),
];

function randomCsv(random: () => number): Buffer {
  const parts: Buffer[] = [];
  const count = Math.floor(random() * 200);
  for (let i = 0; i < count; i++) {
    const piece = PIECES[Math.floor(random() * PIECES.length)]!;
    const repeat = random() < 0.05 ? Math.floor(random() * 2000) : 1;
    const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
    for (let r = 0; r < repeat; r++) parts.push(bytes);
  }
  return Buffer.concat(parts);
}

function mutate(bytes: Buffer, random: () => number): Buffer {
  let out = Buffer.from(bytes);
  const edits = 1 + Math.floor(random() * 8);
  for (let i = 0; i < edits && out.length > 0; i++) {
    const at = Math.floor(random() * out.length);
    const choice = random();
    if (choice < 0.4) out[at] = Math.floor(random() * 256);
    else if (choice < 0.55) out = out.subarray(0, at); // truncate
    else if (choice < 0.7) out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + Math.floor(random() * 64))]);
    else if (choice < 0.85) {
      const piece = PIECES[Math.floor(random() * PIECES.length)]!;
      out = Buffer.concat([out.subarray(0, at), Buffer.from(piece), out.subarray(at)]);
    } else {
      const length = Math.floor(random() * 256);
      out = Buffer.concat([out.subarray(0, at), out.subarray(at, at + length), out.subarray(at)]);
    }
  }
  return out;
}

interface Outcome {
  ok: boolean;
  rows: number;
}

/** Reads `bytes` as upload then analyze would; checks every record's shape. */
async function readCase(bytes: Buffer, chunk: number): Promise<Outcome> {
  let kind: FileKind;
  try {
    kind = bytes.length === 0 ? 'csv' : detectFileKind(bytes.subarray(0, 8192), 'fuzz');
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return { ok: false, rows: 0 };
  }
  try {
    const source = await readRecords(streamOf(bytes, chunk), { kind, fileName: 'fuzz', maxRows: 100_000 });
    const { columns } = source;
    expect(columns.length).toBeGreaterThan(0);
    expect(new Set(columns).size).toBe(columns.length);
    for (const column of columns) expect(column.trim()).not.toBe('');
    const records = await collect(source.records);
    let lastLine = 0;
    records.forEach((record, i) => {
      expect(record.row).toBe(i + 1);
      expect(record.values).toHaveLength(columns.length);
      for (const value of record.values) expect(typeof value).toBe('string');
      expect(record.line).toBeGreaterThan(lastLine);
      lastLine = record.line;
      if (record.problems) expect(record.problems.length).toBeGreaterThan(0);
    });
    for (const warning of source.warnings()) expect(typeof warning).toBe('string');
    return { ok: true, rows: records.length };
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    expect(error.message).not.toBe('');
    expect(error.exitCode).toBeGreaterThan(0);
    return { ok: false, rows: 0 };
  }
}

describe('readRecords under fuzzing', () => {
  it(`reads ${CASES} random and mutated files (seed ${SEED}) without crashing, hanging or misshaping`, { timeout: 120_000 }, async () => {
    const random = prng(SEED);
    const heapBefore = process.memoryUsage().heapUsed;
    let slowest = 0;
    let read = 0;
    for (let i = 0; i < CASES; i++) {
      const kind = i % 4;
      const base =
        kind === 0
          ? randomCsv(random)
          : kind === 3
            ? workbooks[Math.floor(random() * workbooks.length)]!.bytes
            : corpus[Math.floor(random() * corpus.length)]!.bytes;
      const bytes = kind === 0 ? base : mutate(base, random);
      const chunk = 1 + Math.floor(random() * 4096);
      const started = performance.now();
      let outcome: Outcome;
      try {
        outcome = await readCase(bytes, chunk);
      } catch (error) {
        throw new Error(`case ${i} (seed ${SEED}, chunk ${chunk}, ${bytes.length} bytes: ${bytes.subarray(0, 60).toString('hex')}…) failed: ${String(error)}`, { cause: error });
      }
      const elapsed = performance.now() - started;
      slowest = Math.max(slowest, elapsed);
      expect(elapsed, `case ${i}`).toBeLessThan(CASE_LIMIT_MS);
      if (outcome.ok) read++;
    }
    // Both outcomes happen: the fuzzing reaches the parsers, not only the front door.
    expect(read).toBeGreaterThan(CASES / 10);
    expect(read).toBeLessThan(CASES);
    const grown = process.memoryUsage().heapUsed - heapBefore;
    expect(grown).toBeLessThan(256 * 1024 * 1024);
    expect(slowest).toBeLessThan(CASE_LIMIT_MS);
  });
});
