// xl/sharedStrings.xml: every distinct text of the workbook, which cells refer to by index.
// It is read once, as a stream, and kept: it is the one part of a workbook whose size the
// streaming reader holds in memory.

import { NotStreamable } from '../not-streamable.js';
import type { RandomAccess } from '../zip/random-access.js';
import { StringItem } from './string-item.js';
import { xmlParser } from '../xml/xml-parser.js';
import type { ZipEntry } from '../zip/read-zip-entries.js';
import { streamZipPart } from '../zip/zip-part.js';

/** The strings by index; undefined for an item without text. */
export type SharedStrings = ReadonlyArray<string | undefined>;

export async function readSharedStrings(zip: RandomAccess, entry: ZipEntry): Promise<SharedStrings> {
  const strings: Array<string | undefined> = [];
  let item: StringItem | undefined;
  let inTable = false;
  const parser = xmlParser(entry.name, {
    open(name, _attributes, selfClosing) {
      if (name === 'sst') inTable = true;
      else if (item !== undefined) item.open(name, selfClosing);
      else if (inTable && name === 'si') {
        // SheetJS splits the table on `<si>`/`</si>` text; an empty `<si/>` would shift it.
        if (selfClosing) throw new NotStreamable(`${entry.name} has an empty <si/> item`);
        item = new StringItem();
      }
    },
    close(name) {
      if (item === undefined) {
        if (name === 'sst') inTable = false;
      } else if (name === 'si') {
        strings.push(item.value());
        item = undefined;
      } else item.close(name);
    },
    text(text) {
      item?.text(text);
    },
  });
  for await (const chunk of streamZipPart(zip, entry)) parser.write(chunk);
  parser.end();
  // SheetJS's table ends with one more, empty, item (the text after the last `</si>`).
  strings.push('');
  return strings;
}
