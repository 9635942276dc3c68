// xl/sharedStrings.xml: every distinct text of the workbook, which cells refer to by index.
// It is read once, as a stream, and kept: it is the one part of a workbook whose size the
// streaming reader holds in memory, so it is kept compactly (texts joined into a few large
// strings, an offset per item: no object per string) and bounded by the XLSX limits.

import type { RandomAccess } from '../zip/random-access.js';
import { StringItem } from './string-item.js';
import { xmlParser } from '../xml/xml-parser.js';
import type { ZipEntry } from '../zip/read-zip-entries.js';
import { streamZipPart } from '../zip/zip-part.js';
import { limitText, xlsxTooLarge, type XlsxLimits } from '../xlsx-limits.js';

/** Items per block: a block is one string of its items' texts joined. */
const BLOCK_SHIFT = 12;
const BLOCK_ITEMS = 1 << BLOCK_SHIFT;
/** Set in an item's offset for an item without text. */
const NO_TEXT = 0x80000000;

/** The strings by index, as one table of few large strings. */
export class SharedStrings {
  #blocks: string[] = [];
  #offsets = new Uint32Array(BLOCK_ITEMS);
  #count = 0;
  #pending: string[] = [];
  #pendingLength = 0;
  #chars = 0;

  /** Items so far. */
  get count(): number {
    return this.#count;
  }

  /** Characters so far. */
  get chars(): number {
    return this.#chars;
  }

  add(text: string | undefined): void {
    const i = this.#count++;
    if (i >= this.#offsets.length) {
      const grown = new Uint32Array(this.#offsets.length * 2);
      grown.set(this.#offsets);
      this.#offsets = grown;
    }
    this.#offsets[i] = text === undefined ? (this.#pendingLength | NO_TEXT) >>> 0 : this.#pendingLength;
    if (text !== undefined && text !== '') {
      this.#pending.push(text);
      this.#pendingLength += text.length;
      this.#chars += text.length;
    }
    if (this.#count % BLOCK_ITEMS === 0) this.#seal();
  }

  /** The string (once finished); undefined for an item without text or an index past the table. */
  get(index: number): string | undefined {
    if (!(index >= 0 && index < this.#count)) return undefined;
    const block = index >>> BLOCK_SHIFT;
    const offset = this.#offsets[index]!;
    if (offset & NO_TEXT) return undefined;
    const text = this.#blocks[block]!;
    const next = index + 1;
    const end = next < this.#count && next >>> BLOCK_SHIFT === block ? this.#offsets[next]! & ~NO_TEXT : text.length;
    return text.slice(offset, end);
  }

  /** Called once every item is added. */
  finish(): this {
    if (this.#count > this.#blocks.length * BLOCK_ITEMS) this.#seal();
    return this;
  }

  /** Joins the items of the current block. */
  #seal(): void {
    this.#blocks.push(this.#pending.join(''));
    this.#pending = [];
    this.#pendingLength = 0;
  }
}

export async function readSharedStrings(zip: RandomAccess, entry: ZipEntry, file: string, limits: XlsxLimits): Promise<SharedStrings> {
  const strings = new SharedStrings();
  const { maxSharedStrings, maxSharedStringChars } = limits;
  let item: StringItem | undefined;
  let inTable = false;
  const add = (text: string | undefined): void => {
    if (strings.count >= maxSharedStrings) {
      throw xlsxTooLarge(file, `it has more than ${maxSharedStrings} shared strings (the limit)`, 'XLSX_MAX_SHARED_STRINGS');
    }
    strings.add(text);
    if (strings.chars > maxSharedStringChars) {
      throw xlsxTooLarge(
        file,
        `its shared strings add up to more than ${limitText.mib(maxSharedStringChars)} MiB of text (the limit)`,
        'XLSX_MAX_SHARED_STRINGS_MB',
      );
    }
  };
  const parser = xmlParser(
    entry.name,
    {
      open(name, _attributes, selfClosing) {
        if (name === 'sst') inTable = true;
        else if (item !== undefined) item.open(name, selfClosing);
        else if (inTable && name === 'si') {
          // An empty item is an empty string. (SheetJS, which splits the table on `<si>` and
          // `</si>` text, merges `<si/>` into the next item and shifts every later index.)
          if (selfClosing) add(undefined);
          else item = new StringItem(file, limits.maxCellChars);
        }
      },
      close(name) {
        if (item === undefined) {
          if (name === 'sst') inTable = false;
        } else if (name === 'si') {
          add(item.value());
          item = undefined;
        } else item.close(name);
      },
      text(text) {
        item?.text(text);
      },
    },
    { file, maxTextRun: textRunLimit(limits) },
  );
  for await (const chunk of streamZipPart(zip, entry)) parser.write(chunk);
  parser.end();
  // SheetJS's table ends with one more, empty, item (the text after the last `</si>`).
  strings.add('');
  return strings.finish();
}

/**
 * The longest run of XML without a `<` (a text node, or one tag with its attributes): the
 * parser holds it whole, so it is bounded too. A cell's text may be escaped (`&amp;` is one
 * character), so the run allowed is several times the cell limit.
 */
export function textRunLimit(limits: XlsxLimits): number {
  return limits.maxCellChars * 6 + 64 * 1024;
}
