// One part (file) of a workbook's ZIP, inflated: whole, for the small XML parts that
// describe the workbook, or as a UTF-8 text stream for the sheet and its strings. The sizes
// were checked before (check-workbook-zip.ts).

import { StringDecoder } from 'node:string_decoder';
import { inflateRawSync, createInflateRaw } from 'node:zlib';
import type { RandomAccess } from './random-access.js';
import type { ZipEntry } from './read-zip-entries.js';

export function readZipPart(zip: RandomAccess, entry: ZipEntry): string {
  const data = zip.read(entry.dataOffset, entry.compressedSize);
  return withoutBom((entry.method === 0 ? data : inflateRawSync(data)).toString('utf8'));
}

/** The part's text in chunks, pulled from the file as they are read. */
export async function* streamZipPart(zip: RandomAccess, entry: ZipEntry): AsyncGenerator<string> {
  const raw = zip.stream(entry.dataOffset, entry.compressedSize);
  // Large output chunks: fewer hops between zlib's thread and the parser.
  const bytes = entry.method === 0 ? raw : raw.pipe(createInflateRaw({ chunkSize: 256 * 1024 }));
  const decoder = new StringDecoder('utf8');
  let first = true;
  try {
    for await (const chunk of bytes) {
      let text = decoder.write(chunk as Buffer);
      if (first && text !== '') {
        text = withoutBom(text);
        first = false;
      }
      if (text !== '') yield text;
    }
    const rest = decoder.end();
    if (rest !== '') yield rest;
  } finally {
    raw.destroy();
    bytes.destroy();
  }
}

const withoutBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
