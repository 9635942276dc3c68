// What Excel, LibreOffice and Google Sheets show (and write into a CSV export) for a formula
// that failed: such a cell holds no value of the contact.
const ERROR_VALUES = new Set([
  '#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA',
  '#SPILL!', '#CALC!', '#FIELD!', '#BLOCKED!', '#CONNECT!', '#BUSY!', '#UNKNOWN!', '#ERROR!', 'ERR:502', 'ERR:503', 'ERR:504', 'ERR:508', 'ERR:522', 'ERR:532',
]);

/** The error code when a cell's text is a spreadsheet error value (`#N/A`, `#DIV/0!`…). */
export function spreadsheetError(value: string): string | undefined {
  const c = value.charCodeAt(0);
  if (c !== 0x23 /* # */ && c !== 0x45 /* E */ && c !== 0x20 && c !== 0x09) return undefined;
  const text = value.trim().toUpperCase();
  return ERROR_VALUES.has(text) ? text : undefined;
}
