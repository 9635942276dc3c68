// A ZIP archive's table of contents, read from its central directory without inflating
// anything, so a workbook can be judged (what it contains, how big it claims to be) before
// SheetJS is let loose on it. Only what XLSX files use is supported: one disk, stored or
// deflated entries, ZIP64 size fields.

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
 * Lists the entries of the ZIP in `bytes`. The count the directory declares is checked
 * against `maxEntries` before any entry is read (throwing what `tooMany` makes). Throws
 * ZipFormatError when the archive is truncated or inconsistent.
 */
export function readZipDirectory(bytes: Buffer, maxEntries: number, tooMany: (count: number) => Error): ZipEntry[] {
  const end = findEndOfDirectory(bytes);
  const disk = bytes.readUInt16LE(end + 4);
  const directoryDisk = bytes.readUInt16LE(end + 6);
  const entriesOnDisk = bytes.readUInt16LE(end + 8);
  const count = bytes.readUInt16LE(end + 10);
  const directorySize = bytes.readUInt32LE(end + 12);
  const directoryOffset = bytes.readUInt32LE(end + 16);
  if (count === 0xffff || directorySize === U32_MAX || directoryOffset === U32_MAX) {
    throw new ZipFormatError('it uses a ZIP64 directory, which no workbook of this size needs');
  }
  if (disk !== 0 || directoryDisk !== 0 || entriesOnDisk !== count) {
    throw new ZipFormatError('it is a multi-part (spanned) ZIP archive');
  }
  if (count > maxEntries) throw tooMany(count);
  if (directoryOffset + directorySize > end) throw new ZipFormatError('its ZIP directory is out of bounds');

  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    need(bytes, at, 46);
    if (bytes.readUInt32LE(at) !== CENTRAL) throw new ZipFormatError('its ZIP directory is damaged');
    const flags = bytes.readUInt16LE(at + 8);
    const method = bytes.readUInt16LE(at + 10);
    let compressedSize = bytes.readUInt32LE(at + 20);
    let uncompressedSize = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    let localOffset = bytes.readUInt32LE(at + 42);
    need(bytes, at + 46, nameLength + extraLength + commentLength);
    const name = bytes.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    const zip64 = zip64Fields(bytes, at + 46 + nameLength, extraLength);
    // ZIP64 fields appear only for the values that overflowed, in this order.
    if (uncompressedSize === U32_MAX) uncompressedSize = zip64.shift() ?? overflow();
    if (compressedSize === U32_MAX) compressedSize = zip64.shift() ?? overflow();
    if (localOffset === U32_MAX) localOffset = zip64.shift() ?? overflow();
    at += 46 + nameLength + extraLength + commentLength;

    need(bytes, localOffset, 30);
    if (bytes.readUInt32LE(localOffset) !== LOCAL) throw new ZipFormatError(`its entry ${name} is damaged`);
    let localCompressedSize = bytes.readUInt32LE(localOffset + 18);
    let localUncompressedSize = bytes.readUInt32LE(localOffset + 22);
    const localNameLength = bytes.readUInt16LE(localOffset + 26);
    const localExtraLength = bytes.readUInt16LE(localOffset + 28);
    need(bytes, localOffset + 30, localNameLength + localExtraLength);
    const localZip64 = zip64Fields(bytes, localOffset + 30 + localNameLength, localExtraLength);
    if (localUncompressedSize === U32_MAX) localUncompressedSize = localZip64.shift() ?? overflow();
    if (localCompressedSize === U32_MAX) localCompressedSize = localZip64.shift() ?? overflow();
    const dataOffset = localOffset + 30 + localNameLength + localExtraLength;
    // The data must be there: a truncated download ends before it.
    need(bytes, dataOffset, compressedSize);
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

function findEndOfDirectory(bytes: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535.
  const last = bytes.length - 22;
  const first = Math.max(0, last - 0xffff);
  for (let at = last; at >= first; at--) {
    if (bytes.readUInt32LE(at) === EOCD) return at;
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

function need(bytes: Buffer, start: number, length: number): void {
  if (start < 0 || length < 0 || start + length > bytes.length) {
    throw new ZipFormatError('it is truncated or damaged (a ZIP entry runs past the end of the file)');
  }
}

function overflow(): never {
  throw new ZipFormatError('its ZIP directory is damaged (a ZIP64 size is missing)');
}
