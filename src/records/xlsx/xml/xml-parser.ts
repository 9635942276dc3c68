// A thin layer over saxes for the workbook's XML parts: element names without their
// namespace prefix (Excel writes `x:row` as readily as `row`), text and CDATA as one event,
// and malformed XML reported as NotStreamable, so SheetJS gets to judge (and word) it.
// What the parser itself holds is bounded: its stack of open elements (MAX_XML_DEPTH) and,
// with `maxTextRun`, the longest stretch without a `<` (one text node or one tag).

import { SaxesParser } from 'saxes';
import { NotStreamable } from '../not-streamable.js';
import { limitText, MAX_XML_DEPTH, xlsxTooLarge } from '../xlsx-limits.js';
import { ImportError } from '../../../errors.js';

export interface XmlHandlers {
  open?(name: string, attributes: Record<string, string>, selfClosing: boolean): void;
  close?(name: string): void;
  text?(text: string): void;
}

export interface XmlParser {
  /** `check` then `parse`. */
  write(chunk: string): void;
  /** Refuses the text if it makes a stretch without a `<` too long (`maxTextRun`). */
  check(chunk: string): void;
  /** Parses text already checked, for a caller that reads some of the text itself. */
  parse(chunk: string): void;
  end(): void;
  /** Elements open now. */
  depth(): number;
  /** The version in the XML declaration, once read. */
  version(): string | undefined;
}

const localName = (name: string): string => {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
};

/** An attribute by its local name (`r:id` → `id`), or undefined. */
export function attribute(attributes: Record<string, string>, name: string): string | undefined {
  const value = attributes[name];
  if (value !== undefined) return value;
  for (const key in attributes) if (localName(key) === name) return attributes[key];
  return undefined;
}

export interface XmlLimits {
  /** Shown in a refusal. */
  file: string;
  /** Characters without a `<`; default unbounded (parts read whole were bounded before). */
  maxTextRun?: number;
}

export function xmlParser(part: string, handlers: XmlHandlers, limits?: XmlLimits): XmlParser {
  const parser = new SaxesParser({ position: false });
  parser.on('error', (error) => {
    throw new NotStreamable(`${part} is not well-formed XML (${error.message})`);
  });
  const { open, close, text } = handlers;
  const file = limits?.file ?? part;
  let depth = 0;
  parser.on('opentag', (tag) => {
    // Self-closing elements are closed at once (saxes sends closetag for them too).
    if (++depth > MAX_XML_DEPTH) {
      throw new ImportError('UNREADABLE_FILE', `${file} could not be read as XLSX: ${part} nests elements more than ${MAX_XML_DEPTH} deep`, {
        file,
        hint: 'open it in Excel or LibreOffice and save it again, or export the sheet as CSV',
      });
    }
    open?.(localName(tag.name), tag.attributes as Record<string, string>, tag.isSelfClosing);
  });
  parser.on('closetag', (tag) => {
    depth--;
    close?.(localName(tag.name));
  });
  if (text) {
    parser.on('text', text);
    parser.on('cdata', text);
  }
  const maxRun = limits?.maxTextRun ?? Infinity;
  let run = 0;
  const check = (chunk: string): void => {
    const first = chunk.indexOf('<');
    if (first < 0) run += chunk.length;
    else {
      // Chunks are far shorter than the limit, so a run is checked where it ends; a
      // longer chunk is looked through.
      if (run + first > maxRun || (chunk.length > maxRun && longestRun(chunk) > maxRun)) run = Infinity;
      else run = chunk.length - chunk.lastIndexOf('<');
    }
    if (run > maxRun) {
      throw xlsxTooLarge(file, `${part} has a text or tag longer than ${limitText.mib(maxRun)} MiB`, 'XLSX_MAX_CELL_KB');
    }
  };
  const parse = (chunk: string): void => void parser.write(chunk);
  return {
    write(chunk) {
      check(chunk);
      parse(chunk);
    },
    check,
    parse,
    end: () => void parser.close(),
    depth: () => depth,
    version: () => parser.xmlDecl.version,
  };
}

/** The longest stretch of a text without a `<`. */
function longestRun(text: string): number {
  let longest = 0;
  let from = 0;
  for (let at = text.indexOf('<'); at >= 0; at = text.indexOf('<', from)) {
    longest = Math.max(longest, at - from);
    from = at + 1;
  }
  return Math.max(longest, text.length - from);
}

/** Parses a whole (small) part. */
export function parseXml(part: string, xml: string, handlers: XmlHandlers): void {
  const parser = xmlParser(part, handlers);
  parser.write(xml);
  parser.end();
}
