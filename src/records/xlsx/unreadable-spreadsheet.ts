import { ImportError } from '../../errors.js';

export function unreadableSpreadsheet(file: string, kind: 'xlsx' | 'xls', reason: string, cause?: unknown): ImportError {
  return new ImportError('UNREADABLE_FILE', `${file} could not be read as ${kind.toUpperCase()}: ${reason}`, {
    file,
    hint: 'open it in Excel or LibreOffice and save it again, or export the sheet as CSV',
    cause,
  });
}
