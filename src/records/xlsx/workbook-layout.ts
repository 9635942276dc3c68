// Where a workbook keeps what the streaming reader needs, found as SheetJS finds it: the
// workbook part named in [Content_Types].xml, its sheets in order (names, date system), each
// sheet's part through the workbook's relationships, and the shared strings and styles parts.

import { NotStreamable } from './not-streamable.js';
import type { RandomAccess } from './zip/random-access.js';
import { attribute, parseXml } from './xml/xml-parser.js';
import { decodeEscapes } from './xml/xml-text.js';
import type { ZipEntry } from './zip/read-zip-entries.js';
import { readZipPart } from './zip/zip-part.js';

export interface WorkbookSheet {
  name: string;
  /** The sheet's part; undefined when the workbook names none that exists. */
  part: ZipEntry | undefined;
  /** False for a chart sheet, dialog or macro sheet: not a grid of cells. */
  worksheet: boolean;
}

export interface WorkbookLayout {
  sheets: WorkbookSheet[];
  date1904: boolean;
  sharedStrings: ZipEntry | undefined;
  styles: ZipEntry | undefined;
}

const CONTENT_TYPES_NS = 'http://schemas.openxmlformats.org/package/2006/content-types';
const WORKBOOK_TYPES = new Set([
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
  'application/vnd.ms-excel.sheet.macroEnabled.main+xml',
  'application/vnd.ms-excel.sheet.binary.macroEnabled.main',
  'application/vnd.ms-excel.addin.macroEnabled.main+xml',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml',
]);
const SHARED_STRINGS_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml';
const STYLES_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml';

const withoutSlash = (name: string): string => (name.startsWith('/') ? name.slice(1) : name);

export function readWorkbookLayout(zip: RandomAccess, entries: readonly ZipEntry[]): WorkbookLayout {
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const part = (name: string): ZipEntry | undefined => byName.get(withoutSlash(name));
  const text = (entry: ZipEntry): string => readZipPart(zip, entry);

  // OpenDocument (and Numbers) files are SheetJS's to read.
  if (byName.has('META-INF/manifest.xml') || byName.has('objectdata.xml')) throw new NotStreamable('not an OOXML workbook');
  const types = part('[Content_Types].xml');
  if (types === undefined) throw new NotStreamable('no [Content_Types].xml');
  const workbooks: string[] = [];
  let sharedStrings: string | undefined;
  let styles: string | undefined;
  let namespace: string | undefined;
  parseXml(types.name, text(types), {
    open(name, attributes) {
      if (name === 'Types') namespace = attributes.xmlns;
      if (name !== 'Override') return;
      const type = attribute(attributes, 'ContentType') ?? '';
      const partName = attribute(attributes, 'PartName') ?? '';
      if (WORKBOOK_TYPES.has(type)) workbooks.push(partName);
      else if (type === SHARED_STRINGS_TYPE) sharedStrings ??= partName;
      else if (type === STYLES_TYPE) styles ??= partName;
    },
  });
  if (namespace !== CONTENT_TYPES_NS) throw new NotStreamable('unknown content types namespace');
  const workbookName = withoutSlash(workbooks[0] ?? 'xl/workbook.xml');
  const workbook = part(workbookName);
  if (workbook === undefined || !workbookName.endsWith('.xml')) throw new NotStreamable('no XML workbook part');

  const sheets: Array<{ name: string; id: string | undefined }> = [];
  let date1904 = false;
  parseXml(workbook.name, text(workbook), {
    open(name, attributes) {
      if (name === 'sheet') {
        const sheetName = attribute(attributes, 'name');
        if (sheetName === undefined) throw new NotStreamable('a sheet without a name');
        sheets.push({ name: decodeEscapes(sheetName), id: attributes['r:id'] ?? attribute(attributes, 'id') });
      } else if (name === 'workbookPr') {
        const value = attribute(attributes, 'date1904');
        if (value !== undefined) date1904 = value === '1' || value === 'true';
      }
    },
  });

  const slash = workbookName.lastIndexOf('/');
  const folder = workbookName.slice(0, slash + 1);
  let relsName = `${folder}_rels/${workbookName.slice(slash + 1)}.rels`;
  if (!byName.has(relsName)) relsName = 'xl/_rels/workbook.xml.rels';
  const relations = new Map<string, { target: string; type: string }>();
  const rels = byName.get(relsName);
  if (rels !== undefined) {
    parseXml(rels.name, text(rels), {
      open(name, attributes) {
        if (name !== 'Relationship') return;
        const id = attribute(attributes, 'Id');
        const target = attribute(attributes, 'Target');
        if (id !== undefined && target !== undefined) relations.set(id, { target, type: attribute(attributes, 'Type') ?? '' });
      },
    });
  }
  // A part the workbook declares but lacks: SheetJS's way of failing is kept.
  const declared = (name: string | undefined): ZipEntry | undefined => {
    if (name === undefined) return undefined;
    const found = part(name);
    if (found === undefined) throw new NotStreamable(`${name} is missing`);
    return found;
  };
  // SheetJS uses the relationships only when every sheet has one; else sheetN.xml by position.
  const related = sheets.every((sheet) => sheet.id !== undefined && relations.has(sheet.id));
  const relsFolder = relsName.replace(/_rels\/[\S\s]*$/, '');
  return {
    sheets: sheets.map((sheet, i) => {
      if (!related) return { name: sheet.name, part: part(`xl/worksheets/sheet${i + 1}.xml`), worksheet: true };
      const { target, type } = relations.get(sheet.id!)!;
      const found = part(`xl/${target.replace(/[/]?xl\//, '')}`) ?? part(target) ?? part(relsFolder + target);
      return { name: sheet.name, part: found, worksheet: type.endsWith('/worksheet') };
    }),
    date1904,
    sharedStrings: declared(sharedStrings),
    styles: declared(styles),
  };
}
