// xl/styles.xml, as far as a cell's value needs it: each cell style's number format, which
// tells a date from a number and how SheetJS would format the number (its SSF formatter is
// used, so both readers give a number the same text).

import type * as XLSX from 'xlsx';
import { BUILTIN_NUMBER_FORMATS } from './builtin-number-formats.js';
import { NotStreamable } from '../not-streamable.js';
import { attribute, parseXml } from '../xml/xml-parser.js';
import { decodeEscapes } from '../xml/xml-text.js';

type Ssf = typeof XLSX.SSF;

export interface CellFormat {
  format: string;
  isDate: boolean;
  isGeneral: boolean;
}

const GENERAL: CellFormat = { format: 'General', isDate: false, isGeneral: true };

export class CellFormats {
  readonly #ssf: Ssf;
  /** Undefined without a `<cellXfs>` table: then no number is taken for a date. */
  readonly #styles: CellFormat[] | undefined;

  constructor(ssf: Ssf, styles: CellFormat[] | undefined) {
    this.#ssf = ssf;
    this.#styles = styles;
  }

  /** The format of style `s` (a cell's `s` attribute). */
  of(s: string | undefined): CellFormat {
    if (s === undefined || this.#styles === undefined) return GENERAL;
    return this.#styles[Number(s)] ?? GENERAL;
  }

  get datesKnown(): boolean {
    return this.#styles !== undefined;
  }

  /** The number as the format shows it; undefined when the format cannot (as SheetJS). */
  text(format: CellFormat, value: number): string | undefined {
    try {
      return this.#ssf.format(format.format, value, {});
    } catch {
      return undefined;
    }
  }
}

/** Reads the number formats (`<numFmts>`) and cell styles (`<cellXfs>`) of styles.xml. */
export function parseCellFormats(ssf: Ssf, part: string, xml: string | undefined): CellFormats {
  if (xml === undefined) return new CellFormats(ssf, undefined);
  const custom = new Map<number, string>();
  const ids: number[] = [];
  let section: 'numFmts' | 'cellXfs' | undefined;
  let seenNumFmts = false;
  let seenCellXfs = false;
  let hasCellXfs = false;
  parseXml(part, xml, {
    open(name, attributes, selfClosing) {
      if (name === 'numFmts' && !seenNumFmts && !selfClosing) section = 'numFmts';
      else if (name === 'cellXfs' && !seenCellXfs && !selfClosing) {
        section = 'cellXfs';
        hasCellXfs = true;
      } else if (section === 'numFmts' && name === 'numFmt') {
        const id = Number.parseInt(attribute(attributes, 'numFmtId') ?? '', 10);
        const code = attribute(attributes, 'formatCode');
        if (Number.isNaN(id) || code === undefined) throw new NotStreamable(`${part} has a number format without an id or code`);
        if (id > 0) custom.set(id, decodeEscapes(code));
      } else if (section === 'cellXfs' && name === 'xf') {
        const raw = attribute(attributes, 'numFmtId');
        const id = raw === undefined || raw === '' ? 0 : Number.parseInt(raw, 10);
        if (Number.isNaN(id)) throw new NotStreamable(`${part} has a cell style with a bad number format id`);
        ids.push(id);
      }
    },
    close(name) {
      if (name === 'numFmts' && section === 'numFmts') [section, seenNumFmts] = [undefined, true];
      else if (name === 'cellXfs' && section === 'cellXfs') [section, seenCellXfs] = [undefined, true];
    },
  });
  if (!hasCellXfs) return new CellFormats(ssf, undefined);
  const byId = new Map<number, CellFormat>();
  const styles = ids.map((id) => {
    let known = byId.get(id);
    if (known === undefined) {
      const format = id === 0 ? 'General' : (custom.get(id) ?? BUILTIN_NUMBER_FORMATS[id] ?? 'General');
      known = { format, isDate: ssf.is_date(format), isGeneral: id === 0 || format === 'General' };
      byId.set(id, known);
    }
    return known;
  });
  return new CellFormats(ssf, styles);
}
