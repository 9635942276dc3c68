// A spreadsheet cell, as SheetJS describes it ({t, v, w}), turned into the text the rest of
// the pipeline sees. Both XLSX readers (SheetJS and the streaming one) build such cells, so
// this is the one place where numbers, dates and booleans get their text.

import type * as XLSX from 'xlsx';

export type Cell = Pick<XLSX.CellObject, 't' | 'v' | 'w'>;

/** Whether a cell holds anything: formatted-but-empty cells and blank text do not. */
export function hasContent(cell: Cell | undefined): boolean {
  if (!cell || cell.t === 'z' || cell.v === undefined || cell.v === null) return cell?.t === 'e';
  return !(cell.t === 's' && String(cell.v).trim() === '');
}

/** A cell as the text a user sees, in a form the validators understand. */
export function cellText(cell: Cell | undefined): string {
  if (!cell || cell.v === undefined || cell.v === null) return '';
  const { v, w } = cell;
  switch (cell.t) {
    case 's':
      return String(v);
    case 'b':
      return v ? 'TRUE' : 'FALSE';
    case 'n':
      if (typeof v !== 'number') return String(v);
      // Phone numbers and IDs are integers: never `5.55E+09`. A digits-only formatted text is
      // kept, so a zip code formatted `00000` keeps its leading zero.
      if (Number.isInteger(v)) return w !== undefined && /^-?\d+$/.test(w) ? w : integerText(v);
      return w ?? String(v);
    case 'd':
      return v instanceof Date ? isoDate(v) : String(v);
    case 'e':
    case 'z':
      return '';
    default:
      return w ?? String(v);
  }
}

function integerText(value: number): string {
  return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString();
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/**
 * Spreadsheet dates carry no time zone; SheetJS returns them with the sheet's wall-clock
 * time in the UTC fields, so they are formatted from those, without a zone suffix.
 */
export function isoDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const h = date.getUTCHours();
  const m = date.getUTCMinutes();
  const s = date.getUTCSeconds();
  const ms = date.getUTCMilliseconds();
  if (h === 0 && m === 0 && s === 0 && ms === 0) return day;
  return `${day}T${pad(h)}:${pad(m)}:${pad(s)}${ms === 0 ? '' : `.${pad(ms, 3)}`}`;
}
