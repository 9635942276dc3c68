// A ZIP archive's table of contents, read from its central directory without inflating
// anything, so a workbook can be judged (what it contains, how big it claims to be) before
// any part of it is parsed. Only what XLSX files use is supported: one disk, stored or
// deflated entries, ZIP64 size fields.

import type { RandomAccess } from './random-access.js';

export interface ZipEntry {
  name: string;
  /** General purpose flags (bit 0: encrypted; bit 3: sizes in a data descriptor). */
  flags: number;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Where the entry's data starts (after its local header). */
  dataOffset: number;
  /** The sizes the local header declares (0 when they are in a data descriptor). */
  localCompressedSize: number;
  localUncompressedSize: number;
}

/** Thrown for a structure that is not a readable ZIP; the caller words it for the user. */
export class ZipFormatError extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_EXTRA = 0x0001;
const U32_MAX = 0xffffffff;

/**
 * Lists the entries of the ZIP in `zip`. The count the directory declares is checked
 * against `maxEntries` before any entry is read (throwing what `tooMany` makes). Throws
 * ZipFormatError when the archive is truncated or inconsistent.
 */
export function readZipDirectory(zip: RandomAccess, maxEntries: number, tooMany: (count: number) => Error): ZipEntry[] {
  const [record, end] = findEndOfDirectory(zip);
  const disk = record.readUInt16LE(4);
  const directoryDisk = record.readUInt16LE(6);
  const entriesOnDisk = record.readUInt16LE(8);
  const count = record.readUInt16LE(10);
  const directorySize = record.readUInt32LE(12);
  const directoryOffset = record.readUInt32LE(16);
  if (count === 0xffff || directorySize === U32_MAX || directoryOffset === U32_MAX) {
    throw new ZipFormatError('it uses a ZIP64 directory, which no workbook of this size needs');
  }
  if (disk !== 0 || directoryDisk !== 0 || entriesOnDisk !== count) {
    throw new ZipFormatError('it is a multi-part (spanned) ZIP archive');
  }
  if (count > maxEntries) throw tooMany(count);
  if (directoryOffset + directorySize > end) throw new ZipFormatError('its ZIP directory is out of bounds');

  // Positions below are within the directory; it is read in one piece.
  const directory = zip.read(directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    need(directory.length, at, 46);
    if (directory.readUInt32LE(at) !== CENTRAL) throw new ZipFormatError('its ZIP directory is damaged');
    const flags = directory.readUInt16LE(at + 8);
    const method = directory.readUInt16LE(at + 10);
    let compressedSize = directory.readUInt32LE(at + 20);
    let uncompressedSize = directory.readUInt32LE(at + 24);
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    let localOffset = directory.readUInt32LE(at + 42);
    need(directory.length, at + 46, nameLength + extraLength + commentLength);
    const name = directory.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    const zip64 = zip64Fields(directory, at + 46 + nameLength, extraLength);
    // ZIP64 fields appear only for the values that overflowed, in this order.
    if (uncompressedSize === U32_MAX) uncompressedSize = zip64.shift() ?? overflow();
    if (compressedSize === U32_MAX) compressedSize = zip64.shift() ?? overflow();
    if (localOffset === U32_MAX) localOffset = zip64.shift() ?? overflow();
    at += 46 + nameLength + extraLength + commentLength;

    need(zip.size, localOffset, 30);
    const fixed = zip.read(localOffset, 30);
    if (fixed.readUInt32LE(0) !== LOCAL) throw new ZipFormatError(`its entry ${name} is damaged`);
    let localCompressedSize = fixed.readUInt32LE(18);
    let localUncompressedSize = fixed.readUInt32LE(22);
    const localNameLength = fixed.readUInt16LE(26);
    const localExtraLength = fixed.readUInt16LE(28);
    need(zip.size, localOffset + 30, localNameLength + localExtraLength);
    const localExtra = zip.read(localOffset + 30 + localNameLength, localExtraLength);
    const localZip64 = zip64Fields(localExtra, 0, localExtraLength);
    if (localUncompressedSize === U32_MAX) localUncompressedSize = localZip64.shift() ?? overflow();
    if (localCompressedSize === U32_MAX) localCompressedSize = localZip64.shift() ?? overflow();
    const dataOffset = localOffset + 30 + localNameLength + localExtraLength;
    // The data must be there: a truncated download ends before it.
    need(zip.size, dataOffset, compressedSize);
    entries.push({
      name,
      flags,
      method,
      compressedSize,
      uncompressedSize,
      dataOffset,
      localCompressedSize,
      localUncompressedSize,
    });
  }
  return entries;
}

/** The end-of-directory record (from its signature on) and where it starts. */
function findEndOfDirectory(zip: RandomAccess): [Buffer, number] {
  // The record is 22 bytes plus a comment of at most 65,535.
  const tailStart = Math.max(0, zip.size - 22 - 0xffff);
  const tail = zip.read(tailStart, zip.size - tailStart);
  for (let at = tail.length - 22; at >= 0; at--) {
    if (tail.readUInt32LE(at) === EOCD) return [tail.subarray(at), tailStart + at];
  }
  throw new ZipFormatError('it is truncated or damaged (the ZIP directory at its end is missing)');
}

function zip64Fields(bytes: Buffer, start: number, length: number): number[] {
  let at = start;
  while (at + 4 <= start + length) {
    const id = bytes.readUInt16LE(at);
    const size = bytes.readUInt16LE(at + 2);
    if (at + 4 + size > start + length) break;
    if (id === ZIP64_EXTRA) {
      const values: number[] = [];
      for (let i = 0; i + 8 <= size; i += 8) values.push(Number(bytes.readBigUInt64LE(at + 4 + i)));
      return values;
    }
    at += 4 + size;
  }
  return [];
}

function need(size: number, start: number, length: number): void {
  if (start < 0 || length < 0 || start + length > size) {
    throw new ZipFormatError('it is truncated or damaged (a ZIP entry runs past the end of the file)');
  }
}

function overflow(): never {
  throw new ZipFormatError('its ZIP directory is damaged (a ZIP64 size is missing)');
}
