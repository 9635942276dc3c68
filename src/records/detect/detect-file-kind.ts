// Users rename files, and browsers guess extensions, so the kind comes from the first bytes.
// Anything that is clearly some other format is refused with its likely name, which tells the
// user more than a parse error from reading a PNG as CSV would. Signatures a CSV header could
// plausibly start with (e.g. `MZ`, `RIFF`) are left to the NUL-byte check instead.

import type { Readable } from 'node:stream';
import { ImportError } from '../../errors.js';
import type { FileKind } from '../file-format.js';
import { ByteSource } from '../byte-source.js';

/** How many leading bytes detectFileKind wants to see. */
export const MAGIC_HEAD_BYTES = 8 * 1024;

interface Signature {
  /** null matches any byte. */
  bytes: ReadonlyArray<number | null>;
  /** Where the signature starts, default 0. */
  offset?: number;
  name: string;
}

const ascii = (text: string): number[] => [...text].map((ch) => ch.charCodeAt(0));

const SPREADSHEET_SIGNATURES: ReadonlyArray<{ bytes: readonly number[]; kind: FileKind }> = [
  // ZIP local file header: XLSX (and ODS, which SheetJS also reads).
  { bytes: [0x50, 0x4b, 0x03, 0x04], kind: 'xlsx' },
  // OLE2 compound file: legacy XLS.
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], kind: 'xls' },
];

const OTHER_SIGNATURES: readonly Signature[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], name: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], name: 'a JPEG image' },
  { bytes: ascii('GIF87a'), name: 'a GIF image' },
  { bytes: ascii('GIF89a'), name: 'a GIF image' },
  { bytes: [0x49, 0x49, 0x2a, 0x00], name: 'a TIFF image' },
  { bytes: [0x4d, 0x4d, 0x00, 0x2a], name: 'a TIFF image' },
  { bytes: ascii('WEBP'), offset: 8, name: 'a WebP image' },
  { bytes: ascii('WAVE'), offset: 8, name: 'a WAV audio file' },
  { bytes: ascii('ftyp'), offset: 4, name: 'an MP4/MOV video' },
  { bytes: [...ascii('ID3'), 0x03, 0x00], name: 'an MP3 audio file' },
  { bytes: [...ascii('ID3'), 0x04, 0x00], name: 'an MP3 audio file' },
  { bytes: ascii('%PDF'), name: 'a PDF document' },
  { bytes: ascii('{\\rtf'), name: 'an RTF document' },
  { bytes: [0x1f, 0x8b], name: 'a gzip archive' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], name: 'a 7-Zip archive' },
  { bytes: ascii('Rar!\x1a\x07'), name: 'a RAR archive' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'an xz archive' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], name: 'a zstd archive' },
  { bytes: [...ascii('BZh'), null, ...ascii('1AY&SY')], name: 'a bzip2 archive' },
  { bytes: [0x50, 0x4b, 0x05, 0x06], name: 'an empty ZIP archive' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], name: 'an ELF executable' },
  { bytes: [0xcf, 0xfa, 0xed, 0xfe], name: 'a Mach-O executable' },
  { bytes: [0xfe, 0xed, 0xfa, 0xcf], name: 'a Mach-O executable' },
  { bytes: ascii('SQLite format 3\x00'), name: 'an SQLite database' },
];

// Text formats that are not tables of values; matched after a BOM and leading whitespace.
const OTHER_TEXT: ReadonlyArray<{ pattern: RegExp; name: string }> = [
  { pattern: /^<!doctype html|^<html/i, name: 'an HTML page' },
  { pattern: /^<\?xml/i, name: 'an XML document' },
];

const UTF16_BOMS = [
  [0xff, 0xfe],
  [0xfe, 0xff],
];
const UTF32BE_BOM = [0x00, 0x00, 0xfe, 0xff];
const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWith(head: Buffer, bytes: ReadonlyArray<number | null>, offset = 0): boolean {
  if (head.length < offset + bytes.length) return false;
  return bytes.every((byte, i) => byte === null || head[offset + i] === byte);
}

function notSpreadsheet(fileName: string, what: string): ImportError {
  return new ImportError('UNSUPPORTED_FILE', `${fileName} is not a spreadsheet (looks like ${what})`, {
    file: fileName,
    hint: 'upload a CSV, TSV, XLSX or XLS file',
  });
}

// The BOF record of Excel 2.x–4.0 worksheets (BIFF2/3/4): id 0x0009/0x0209/0x0409, length 4 or 6.
const OLD_EXCEL = /^\x09[\x00\x02\x04][\x04\x06]\x00/;

/**
 * Reads the head of `input` and tells what the bytes are (never trusting a name or a MIME
 * type). The returned stream still yields every byte, head included; on refusal the input is
 * released.
 */
export async function sniffFileKind(input: Readable, fileName: string, encoding?: string): Promise<{ kind: FileKind; stream: Readable }> {
  const bytes = new ByteSource(input, fileName);
  try {
    const kind = detectFileKind((await bytes.head(MAGIC_HEAD_BYTES)).head, fileName, encoding);
    return { kind, stream: bytes.stream() };
  } catch (error) {
    bytes.close();
    throw error;
  }
}

/** Encodings whose text is full of NUL bytes: declared by the caller, they pass the binary check. */
const WIDE_ENCODING = /^(utf-?16|utf-?32|ucs-?2)/i;

/**
 * The kind of file from its first bytes (see MAGIC_HEAD_BYTES); throws for anything else.
 * `encoding`, when the caller declared one, is honoured before the binary check: UTF-16 without
 * a BOM is every other byte NUL.
 */
export function detectFileKind(head: Buffer, fileName: string, encoding?: string): FileKind {
  if (head.length === 0) {
    throw new ImportError('EMPTY_FILE', `${fileName} is empty`, {
      file: fileName,
      hint: 'upload a file with a header row and at least one contact',
    });
  }
  for (const { bytes, kind } of SPREADSHEET_SIGNATURES) {
    if (startsWith(head, bytes)) return kind;
  }
  // Excel's "Unicode Text" is UTF-16 and full of NUL bytes; the BOM vouches for it.
  if (UTF16_BOMS.some((bom) => startsWith(head, bom)) || startsWith(head, UTF32BE_BOM)) {
    return 'csv';
  }
  if (OLD_EXCEL.test(head.subarray(0, 4).toString('latin1'))) {
    throw new ImportError('UNSUPPORTED_FILE', `${fileName} is an Excel 4.0 (or older) worksheet, an old Excel format (BIFF2–4) that is not read`, {
      file: fileName,
      hint: 'open it in Excel or LibreOffice and save it as an Excel Workbook (.xlsx) or as CSV, then upload that',
    });
  }
  if (encoding !== undefined && WIDE_ENCODING.test(encoding.trim())) return 'csv';
  for (const { bytes, offset, name } of OTHER_SIGNATURES) {
    if (startsWith(head, bytes, offset)) throw notSpreadsheet(fileName, name);
  }
  const text = head
    .subarray(startsWith(head, UTF8_BOM) ? UTF8_BOM.length : 0, 512)
    .toString('latin1')
    .trimStart();
  for (const { pattern, name } of OTHER_TEXT) {
    if (pattern.test(text)) throw notSpreadsheet(fileName, name);
  }
  if (looksBinary(head)) throw notSpreadsheet(fileName, 'a binary file');
  return 'csv';
}

/**
 * Binary formats are full of NUL and other control bytes; text has at most a stray one (a
 * NUL-padded field from an old database, an ESC from a terminal), which the field rules
 * report or the reader removes, so one such byte must not refuse a whole contact list.
 * UTF-16 without a BOM (every other byte NUL) counts as binary: it is not supported.
 */
function looksBinary(head: Buffer): boolean {
  let nul = 0;
  let control = 0;
  for (const byte of head) {
    if (byte === 0) nul++;
    // Controls other than TAB, LF, VT, FF, CR and ESC, which text files do carry.
    if (byte < 0x20 && (byte < 0x09 || (byte > 0x0d && byte !== 0x1b))) control++;
  }
  return control * 10 > head.length || (nul > 8 && nul * 32 > head.length);
}
