// A thin layer over saxes for the workbook's XML parts: element names without their
// namespace prefix (Excel writes `x:row` as readily as `row`), text and CDATA as one event,
// and malformed XML reported as NotStreamable, so SheetJS gets to judge (and word) it.

import { SaxesParser } from 'saxes';
import { NotStreamable } from '../not-streamable.js';

export interface XmlHandlers {
  open?(name: string, attributes: Record<string, string>, selfClosing: boolean): void;
  close?(name: string): void;
  text?(text: string): void;
}

export interface XmlParser {
  write(chunk: string): void;
  end(): void;
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

export function xmlParser(part: string, handlers: XmlHandlers): XmlParser {
  const parser = new SaxesParser({ position: false });
  parser.on('error', (error) => {
    throw new NotStreamable(`${part} is not well-formed XML (${error.message})`);
  });
  const { open, close, text } = handlers;
  if (open) parser.on('opentag', (tag) => open(localName(tag.name), tag.attributes as Record<string, string>, tag.isSelfClosing));
  if (close) parser.on('closetag', (tag) => close(localName(tag.name)));
  if (text) {
    parser.on('text', text);
    parser.on('cdata', text);
  }
  return {
    write: (chunk) => void parser.write(chunk),
    end: () => void parser.close(),
  };
}

/** Parses a whole (small) part. */
export function parseXml(part: string, xml: string, handlers: XmlHandlers): void {
  const parser = xmlParser(part, handlers);
  parser.write(xml);
  parser.end();
}
