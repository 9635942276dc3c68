// Spreadsheets saved as CSV come in UTF-8 (with or without a BOM), UTF-16 ("Unicode Text")
// or the Windows ANSI code page. A BOM settles it; otherwise valid UTF-8 means UTF-8, and
// anything else is taken as windows-1252, the code page Excel uses for Western languages,
// unless it is mostly UTF-8 with a few bad bytes (see looksLikeDamagedUtf8).

import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { ImportError } from '../../errors.js';
import { scanUtf8, withoutIncompleteTail, type InvalidUtf8 } from '../csv/utf8-check.js';

export interface DetectedEncoding {
  /** An iconv-lite encoding name. */
  encoding: string;
  /** Length of the byte order mark at the start of the sample (0 if none). */
  bomLength: number;
}

const BOMS: ReadonlyArray<{ bytes: readonly number[]; encoding: string }> = [
  // UTF-32LE's BOM starts with UTF-16LE's, so it is checked first.
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'utf-32le' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'utf-32be' },
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/**
 * Guesses the encoding of a file from its first bytes. `complete` says the sample is the
 * whole file, so a partial character at its end is a real error, not a cut.
 */
export function detectEncoding(sample: Buffer, complete = false): DetectedEncoding {
  for (const { bytes, encoding } of BOMS) {
    if (sample.length >= bytes.length && bytes.every((byte, i) => sample[i] === byte)) {
      return { encoding, bomLength: bytes.length };
    }
  }
  const checked = complete ? sample : withoutIncompleteTail(sample);
  const encoding = isUtf8(checked) || looksLikeDamagedUtf8(checked) ? 'utf-8' : 'windows-1252';
  return { encoding, bomLength: 0 };
}

/**
 * Windows-1252 text practically never forms valid multi-byte UTF-8 (an accented capital
 * followed by a symbol, at most), so a sample with several valid UTF-8 characters, or at
 * least as many as bad bytes, is UTF-8 with a few bad bytes. Read as windows-1252, every one
 * of its good characters would silently turn into mojibake (`é` → `Ã©`); read as UTF-8, the
 * bad bytes are reported with their rows instead (utf8-check.ts).
 */
function looksLikeDamagedUtf8(sample: Buffer): boolean {
  const invalid: InvalidUtf8[] = [];
  const multibyte = scanUtf8(sample, 0, invalid);
  return multibyte > 0 && multibyte >= Math.min(invalid.length, 3);
}

/** True for the names under which the parser can take the bytes as they are. */
export function isUtf8Encoding(encoding: string): boolean {
  return /^utf-?8$/i.test(encoding);
}

/** Validates an encoding the user asked for; returns it lower-cased. */
export function checkEncoding(encoding: string, fileName: string): string {
  const name = encoding.trim().toLowerCase();
  if (name === '' || !iconv.encodingExists(name)) {
    throw new ImportError('USAGE', `unknown encoding "${encoding}"`, {
      file: fileName,
      hint: 'set encoding to one such as utf-8, utf-16le, windows-1252 or iso-8859-1, or leave it out to detect it',
      options: ['encoding'],
    });
  }
  return name;
}
