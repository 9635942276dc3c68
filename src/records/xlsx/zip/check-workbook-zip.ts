// SheetJS inflates every part of an XLSX into memory and trusts the sizes the ZIP declares,
// so a crafted file can make it allocate gigabytes or spin for minutes (a zip bomb); the
// streaming reader trusts them less but shares the rules. Before either parses anything, the archive is checked here, in the manner of Apache POI's
// ZipSecureFile: a bounded number of parts, bounded declared sizes, no part that inflates
// more than 100-fold, and every part inflated once, as a stream that keeps nothing, to prove
// it is no bigger than it says. XML parts may not declare a DTD or entities: spreadsheet
// programs never write one, and SheetJS, which does not expand entities, would otherwise
// show `&xxe;` as text.

import { constants as bufferConstants } from 'node:buffer';
import { createInflateRaw } from 'node:zlib';
import { ImportError } from '../../../errors.js';
import { bufferAccess, type RandomAccess } from './random-access.js';
import { readZipEntries, ZipFormatError, type ZipEntry } from './read-zip-entries.js';

export const ZIP_LIMITS = {
  /** Excel writes a few dozen parts; 10,000 leaves room for thousands of sheets or images. */
  maxEntries: 10_000,
  /** All parts together, as declared: a 100 MB workbook of repetitive XML still fits. */
  maxTotalUncompressed: 2 * 1024 ** 3,
  /** One part must fit in one JavaScript string for SheetJS to read it. */
  maxEntryUncompressed: bufferConstants.MAX_STRING_LENGTH,
  /** POI's default: inflating more than 100-fold is a bomb, not a spreadsheet... */
  maxRatio: 100,
  /** ...for parts big enough to matter. */
  ratioCheckedAbove: 1024 * 1024,
};

const DTD_MARKERS = ['<!DOCTYPE', '<!ENTITY', '<!doctype', '<!entity'].map((marker) => Buffer.from(marker, 'latin1'));
const MARKER_OVERLAP = 8;

/**
 * Checks an XLSX (or ODS) archive before it is parsed and returns its parts; throws an
 * ImportError for the user.
 */
export async function checkWorkbookZip(input: Buffer | RandomAccess, file: string): Promise<ZipEntry[]> {
  const bytes = Buffer.isBuffer(input) ? bufferAccess(input) : input;
  let entries: ZipEntry[];
  try {
    entries = await readZipEntries(bytes, ZIP_LIMITS.maxEntries, (count) =>
      refused(file, 'TOO_LARGE', `it has ${count} parts; at most ${ZIP_LIMITS.maxEntries} are accepted`),
    );
  } catch (error) {
    if (error instanceof ZipFormatError) throw refused(file, 'UNREADABLE_FILE', error.message);
    throw error;
  }
  requireWorkbook(bytes, entries, file);

  let total = 0;
  for (const entry of entries) {
    if (entry.flags & 0x1) throw refused(file, 'UNREADABLE_FILE', 'it is encrypted (password-protected)');
    if (entry.method !== 0 && entry.method !== 8) {
      throw refused(file, 'UNREADABLE_FILE', `its part ${entry.name} uses an unsupported compression method (${entry.method})`);
    }
    const size = entry.uncompressedSize;
    total += size;
    if (size > ZIP_LIMITS.maxEntryUncompressed) {
      throw refused(file, 'TOO_LARGE', `its part ${entry.name} is ${mib(size)} MiB uncompressed, more than can be read in memory`);
    }
    if (total > ZIP_LIMITS.maxTotalUncompressed) {
      throw refused(file, 'TOO_LARGE', `its parts add up to more than ${mib(ZIP_LIMITS.maxTotalUncompressed)} MiB uncompressed`);
    }
    if (size > ZIP_LIMITS.ratioCheckedAbove && size > ZIP_LIMITS.maxRatio * entry.compressedSize) {
      throw refused(
        file,
        'UNREADABLE_FILE',
        `its part ${entry.name} would inflate ${Math.round(size / Math.max(1, entry.compressedSize))}-fold ` +
          `(${mib(size)} MiB), which is what a zip bomb does`,
      );
    }
    // SheetJS sizes its buffers from the local header; it must agree with the directory.
    const localSize = entry.localUncompressedSize;
    if ((localSize !== 0 || !(entry.flags & 0x8)) && localSize !== size) {
      throw refused(file, 'UNREADABLE_FILE', `its part ${entry.name} declares two different sizes`);
    }
    if (entry.method === 0 && entry.compressedSize !== size) {
      throw refused(file, 'UNREADABLE_FILE', `its part ${entry.name} declares two different sizes`);
    }
  }
  for (const entry of entries) await checkContent(bytes, entry, file);
  return entries;
}

/** Only the directory is needed to tell a workbook from a Word document or a plain archive. */
function requireWorkbook(bytes: RandomAccess, entries: readonly ZipEntry[], file: string): void {
  const names = new Set(entries.map((entry) => entry.name));
  const ooxml = names.has('[Content_Types].xml');
  if (ooxml && entries.some((entry) => /(^|\/)workbook\.(xml|bin)$/i.test(entry.name))) return;
  if (names.has('content.xml') && isOdsSpreadsheet(bytes, entries)) return;
  let what = 'a ZIP archive';
  if (ooxml && [...names].some((name) => name.startsWith('word/'))) what = 'a Word document';
  else if (ooxml && [...names].some((name) => name.startsWith('ppt/'))) what = 'a PowerPoint presentation';
  else if (names.has('mimetype')) what = 'an OpenDocument file that is not a spreadsheet';
  throw new ImportError('UNSUPPORTED_FILE', `${file} is not a spreadsheet (looks like ${what})`, {
    file,
    hint: 'upload a CSV, TSV, XLSX or XLS file',
  });
}

/** OpenDocument names its type in a `mimetype` part, stored uncompressed. */
function isOdsSpreadsheet(bytes: RandomAccess, entries: readonly ZipEntry[]): boolean {
  const mimetype = entries.find((entry) => entry.name === 'mimetype');
  if (mimetype === undefined || mimetype.method !== 0 || mimetype.compressedSize > 100) return false;
  const type = bytes.read(mimetype.dataOffset, mimetype.compressedSize).toString('latin1');
  return type.startsWith('application/vnd.oasis.opendocument.spreadsheet');
}

/** Inflates one part without keeping it: its real size and, for XML, no DTD. */
async function checkContent(bytes: RandomAccess, entry: ZipEntry, file: string): Promise<void> {
  const isXml = /\.(xml|rels|vml)$/i.test(entry.name);
  const stored = entry.method === 0;
  if (stored && !isXml) return;
  let inflated = 0;
  let carry = Buffer.alloc(0);
  await new Promise<void>((resolve, reject) => {
    const raw = bytes.stream(entry.dataOffset, entry.compressedSize);
    const inflate = stored ? raw : raw.pipe(createInflateRaw({ chunkSize: 256 * 1024 }));
    let failed = false;
    const fail = (error: ImportError): void => {
      if (failed) return;
      failed = true;
      raw.destroy();
      inflate.destroy();
      reject(error);
    };
    inflate.on('data', (chunk: Buffer) => {
      if (failed) return;
      inflated += chunk.length;
      if (!stored && inflated > entry.uncompressedSize) {
        fail(refused(file, 'UNREADABLE_FILE', `its part ${entry.name} inflates to more than the ${entry.uncompressedSize} bytes it declares`));
        return;
      }
      if (isXml) {
        const window = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
        if (hasDtd(window)) fail(dtd(file, entry.name));
        carry = Buffer.from(window.subarray(Math.max(0, window.length - MARKER_OVERLAP)));
      }
    });
    raw.on('error', () => fail(refused(file, 'UNREADABLE_FILE', `its part ${entry.name} could not be read`)));
    inflate.on('error', () => fail(refused(file, 'UNREADABLE_FILE', `its part ${entry.name} is damaged`)));
    inflate.on('end', () => {
      if (failed) return;
      if (!stored && inflated !== entry.uncompressedSize) {
        fail(refused(file, 'UNREADABLE_FILE', `its part ${entry.name} is damaged (its size does not match)`));
      } else resolve();
    });
  });
}

function hasDtd(data: Buffer): boolean {
  return DTD_MARKERS.some((marker) => data.includes(marker));
}

function dtd(file: string, part: string): ImportError {
  return refused(file, 'UNREADABLE_FILE', `its part ${part} declares a DTD or XML entities, which spreadsheet programs never write`);
}

function refused(file: string, code: 'UNREADABLE_FILE' | 'TOO_LARGE', reason: string): ImportError {
  return new ImportError(code, `${file} could not be read as XLSX: ${reason}`, {
    file,
    hint:
      code === 'TOO_LARGE'
        ? 'export the sheet as CSV, or split the workbook'
        : 'open it in Excel or LibreOffice and save it again, or export the sheet as CSV',
  });
}

const mib = (bytes: number): string => (bytes / 1024 ** 2).toFixed(0);
