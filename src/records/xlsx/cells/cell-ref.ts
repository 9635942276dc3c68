// A1-style cell references: row and column are 0-based here, as SheetJS numbers them.

/** `{r: 4, c: 2}` → `C5`. */
export function cellRef(row: number, column: number): string {
  let letters = '';
  for (let c = column + 1; c > 0; c = Math.floor((c - 1) / 26)) letters = String.fromCharCode(65 + ((c - 1) % 26)) + letters;
  return `${letters}${row + 1}`;
}

/** `C5` (or `$C$5`) → `{row: 4, column: 2}`; undefined for anything else. */
export function parseCellRef(ref: string): { row: number; column: number } | undefined {
  // By hand rather than by regular expression: this runs for every cell of a sheet.
  let at = ref.charCodeAt(0) === 36 ? 1 : 0;
  let column = 0;
  const lettersFrom = at;
  for (let code = ref.charCodeAt(at); code >= 65 && code <= 90; code = ref.charCodeAt(++at)) column = column * 26 + code - 64;
  if (at === lettersFrom || at - lettersFrom > 3) return undefined;
  if (ref.charCodeAt(at) === 36) at++;
  const digitsFrom = at;
  let row = 0;
  for (let code = ref.charCodeAt(at); code >= 48 && code <= 57; code = ref.charCodeAt(++at)) row = row * 10 + code - 48;
  if (at !== ref.length || at === digitsFrom || ref.charCodeAt(digitsFrom) === 48 || at - digitsFrom > 7) return undefined;
  return { row: row - 1, column: column - 1 };
}
