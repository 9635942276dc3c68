// A ZIP archive's table of contents, read by yauzl from its central directory without
// inflating anything, so a workbook can be judged (what it contains, how big it claims to be)
// before any part of it is parsed. Each entry also carries what its local header declares,
// which SheetJS trusts, and where its data starts, so a part can be read by position.

import yauzl from 'yauzl';
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

const U32_MAX = 0xffffffff;
const ZIP64_EXTRA = 0x0001;

// What this file uses of yauzl 3 beyond what @types/yauzl (written for yauzl 2) declares.
interface LocalFileHeader {
  compressedSize: number;
  uncompressedSize: number;
  extraField: Buffer;
  fileDataStart: number;
}
type ZipFile = yauzl.ZipFile & {
  readLocalFileHeader(entry: yauzl.Entry, options: { minimal: false }, done: (error: Error | null, header: LocalFileHeader) => void): void;
};
interface YauzlExtras {
  parseExtraFields(extra: Buffer): Array<{ id: number; data: Buffer }>;
}
type ReadDone = (error: Error | null, bytesRead?: number) => void;

/** yauzl's view of the bytes: positional reads straight from the Buffer or the spooled file. */
class Reader extends yauzl.RandomAccessReader {
  constructor(private readonly zip: RandomAccess) {
    super();
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, done: ReadDone): void {
    const bytes = this.zip.read(position, length);
    bytes.copy(buffer, offset);
    done(null, bytes.length);
  }

  override _readStreamForRange(start: number, end: number): never {
    void start;
    void end;
    throw new Error('read() is used instead');
  }
}

/**
 * Lists the entries of the ZIP in `zip`. The count the directory declares is checked against
 * `maxEntries` before any entry is read (throwing what `tooMany` makes). Throws ZipFormatError
 * when the archive is truncated or inconsistent.
 */
export async function readZipEntries(zip: RandomAccess, maxEntries: number, tooMany: (count: number) => Error): Promise<ZipEntry[]> {
  const archive = await new Promise<ZipFile>((resolve, reject) => {
    // Sizes are checked by the caller, names are only looked up: yauzl need not police them.
    const options = { lazyEntries: true, autoClose: false, validateEntrySizes: false, strictFileNames: false };
    yauzl.fromRandomAccessReader(new Reader(zip), zip.size, options, (error, file) =>
      error ? reject(damaged(error)) : resolve(file as ZipFile),
    );
  });
  try {
    if (archive.entryCount > maxEntries) throw tooMany(archive.entryCount);
    const entries: ZipEntry[] = [];
    for (let entry = await nextEntry(archive); entry !== undefined; entry = await nextEntry(archive)) {
      entries.push(await withLocalHeader(archive, entry, zip.size));
    }
    return entries;
  } finally {
    archive.close();
  }
}

function nextEntry(archive: ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const settle = (): void => {
      archive.removeListener('entry', onEntry).removeListener('end', onEnd).removeListener('error', onError);
    };
    const onEntry = (entry: yauzl.Entry): void => {
      settle();
      resolve(entry);
    };
    const onEnd = (): void => {
      settle();
      resolve(undefined);
    };
    const onError = (error: Error): void => {
      settle();
      reject(damaged(error));
    };
    archive.once('entry', onEntry).once('end', onEnd).once('error', onError);
    archive.readEntry();
  });
}

async function withLocalHeader(archive: ZipFile, entry: yauzl.Entry, size: number): Promise<ZipEntry> {
  const local = await new Promise<LocalFileHeader>((resolve, reject) =>
    archive.readLocalFileHeader(entry, { minimal: false }, (error, header) => (error ? reject(damaged(error)) : resolve(header))),
  );
  // ZIP64 fields appear only for the values that overflowed, uncompressed size first.
  const zip64 = local.uncompressedSize === U32_MAX || local.compressedSize === U32_MAX ? zip64Sizes(local.extraField) : [];
  const localUncompressedSize = local.uncompressedSize === U32_MAX ? (zip64.shift() ?? overflow()) : local.uncompressedSize;
  const localCompressedSize = local.compressedSize === U32_MAX ? (zip64.shift() ?? overflow()) : local.compressedSize;
  // The data must be there: a truncated download ends before it.
  if (local.fileDataStart + entry.compressedSize > size) {
    throw new ZipFormatError('it is truncated or damaged (a ZIP entry runs past the end of the file)');
  }
  return {
    name: entry.fileName,
    flags: entry.generalPurposeBitFlag,
    method: entry.compressionMethod,
    compressedSize: entry.compressedSize,
    uncompressedSize: entry.uncompressedSize,
    dataOffset: local.fileDataStart,
    localCompressedSize,
    localUncompressedSize,
  };
}

function zip64Sizes(extra: Buffer): number[] {
  try {
    const field = (yauzl as unknown as YauzlExtras).parseExtraFields(extra).find((f) => f.id === ZIP64_EXTRA);
    const values: number[] = [];
    for (let i = 0; field && i + 8 <= field.data.length; i += 8) values.push(Number(field.data.readBigUInt64LE(i)));
    return values;
  } catch {
    return [];
  }
}

function damaged(error: Error): ZipFormatError {
  return new ZipFormatError(`it is truncated or damaged (${error.message})`);
}

function overflow(): never {
  throw new ZipFormatError('its ZIP directory is damaged (a ZIP64 size is missing)');
}
