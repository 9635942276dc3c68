// The streaming XLSX reader reads what Excel, Google Sheets, LibreOffice and CRM exports
// write. Anything else it meets before the first record (a binary or OpenDocument workbook,
// malformed XML, rows out of order, ISO date cells...) is left to SheetJS, which reads the
// workbook whole and tolerates more, so such files read exactly as they always did.

export class NotStreamable extends Error {}
