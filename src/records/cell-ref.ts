// A1-style cell references: row and column are 0-based here, as SheetJS numbers them.

/** `{r: 4, c: 2}` → `C5`. */
export function cellRef(row: number, column: number): string {
  let letters = '';
  for (let c = column + 1; c > 0; c = Math.floor((c - 1) / 26)) letters = String.fromCharCode(65 + ((c - 1) % 26)) + letters;
  return `${letters}${row + 1}`;
}

/** `C5` (or `$C$5`) → `{row: 4, column: 2}`; undefined for anything else. */
export function parseCellRef(ref: string): { row: number; column: number } | undefined {
  const match = /^\$?([A-Z]{1,3})\$?([1-9]\d{0,6})$/.exec(ref);
  if (match === null) return undefined;
  let column = 0;
  for (const letter of match[1]!) column = column * 26 + letter.charCodeAt(0) - 64;
  return { row: Number(match[2]) - 1, column: column - 1 };
}
