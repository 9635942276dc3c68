/**
 * OWASP's CSV-injection rule for files the tool writes for people to open in a spreadsheet:
 * a cell starting with = + - @ TAB or CR is prefixed with a quote so it is never run as a
 * formula. Only reports are neutralized; stored contacts stay verbatim.
 */
export function neutralizeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
