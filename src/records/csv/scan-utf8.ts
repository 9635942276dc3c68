// UTF-8 validation that says where each invalid sequence is (node's isUtf8 only says
// whether there is one), for reporting bad bytes by position and for telling UTF-8 with a few
// bad bytes from a Windows-1252 file.

export interface InvalidUtf8 {
  /** Offset in the file of the first byte of the invalid sequence. */
  offset: number;
  byte: number;
}

const isContinuation = (b: number | undefined): boolean => b !== undefined && (b & 0xc0) === 0x80;

/**
 * Appends each invalid sequence of `bytes` (whose first byte is at file offset `base`) to
 * `found`, and returns how many valid multi-byte characters there are. Like a decoder, a bad
 * sequence is skipped as far as it looked valid, so one stray byte is one finding. A sequence
 * cut off by the end of `bytes` counts as invalid: callers that stream hold such a tail back.
 */
export function scanUtf8(bytes: Buffer, base: number, found: InvalidUtf8[]): number {
  let multibyte = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Expected length and the range the second byte must fall in (overlongs, surrogates and
    // code points above U+10FFFF are invalid).
    let length = 0;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    }
    let valid = 1;
    if (length > 0) {
      const second = bytes[i + 1];
      if (second !== undefined && second >= low && second <= high) {
        valid = 2;
        while (valid < length && isContinuation(bytes[i + valid])) valid++;
      }
    }
    if (length > 0 && valid === length) {
      multibyte++;
      i += length;
      continue;
    }
    found.push({ offset: base + i, byte: b });
    i += Math.max(1, valid);
  }
  return multibyte;
}
