import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { scanUtf8, Utf8Check } from '../../../../src/records/csv/utf8-check.js';

async function check(bytes: Buffer, chunk: number): Promise<{ out: Buffer; found: Array<{ offset: number; byte: number }> }> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  const checker = new Utf8Check();
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), checker, async (source: AsyncIterable<unknown>) => {
    for await (const piece of source) out.push(piece as Buffer);
  });
  return { out: Buffer.concat(out), found: checker.takeBefore(Infinity) };
}

describe('Utf8Check', () => {
  const text = Buffer.concat([
    Buffer.from('José,Zoë 😀\n'),
    Buffer.from([0xe9]), // windows-1252 é
    Buffer.from(',ok\n'),
    Buffer.from([0xe2, 0x82]), // € cut short
    Buffer.from('x\n'),
    Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate
    Buffer.from('\n'),
    Buffer.from([0xf0, 0x9f]), // cut off by the end of the file
  ]);

  it.each([1, 2, 3, 5, 1000])('passes bytes through and finds each bad sequence (chunks of %s)', async (chunk) => {
    const { out, found } = await check(text, chunk);
    expect(out.equals(text)).toBe(true);
    const start = Buffer.byteLength('José,Zoë 😀\n');
    expect(found).toEqual([
      { offset: start, byte: 0xe9 },
      { offset: start + 5, byte: 0xe2 },
      { offset: start + 9, byte: 0xed },
      { offset: start + 10, byte: 0xa0 },
      { offset: start + 11, byte: 0x80 },
      { offset: text.length - 2, byte: 0xf0 },
    ]);
  });

  it('finds a bad byte after the first MiB', async () => {
    const clean = Buffer.from('a@b.c,Zoë\n'.repeat(120_000));
    const bytes = Buffer.concat([clean, Buffer.from([0xff]), Buffer.from('\n')]);
    const { found } = await check(bytes, 64 * 1024);
    expect(found).toEqual([{ offset: clean.length, byte: 0xff }]);
  });

  it('hands out findings by position, once', async () => {
    const checker = new Utf8Check();
    checker.end(Buffer.from([0x61, 0xff, 0x61, 0xfe]));
    for await (const _ of checker) void _;
    expect(checker.takeBefore(2)).toEqual([{ offset: 1, byte: 0xff }]);
    expect(checker.takeBefore(2)).toEqual([]);
    expect(checker.takeBefore(10)).toEqual([{ offset: 3, byte: 0xfe }]);
  });
});

describe('scanUtf8', () => {
  it('counts valid multi-byte characters and rejects overlongs', () => {
    const found: Array<{ offset: number; byte: number }> = [];
    expect(scanUtf8(Buffer.from('aé€😀'), 0, found)).toBe(3);
    expect(found).toEqual([]);
    expect(scanUtf8(Buffer.from([0xc0, 0xaf, 0xe0, 0x80, 0xaf]), 10, found)).toBe(0);
    expect(found.map((f) => f.offset)).toEqual([10, 11, 12, 13, 14]);
  });
});
