import { ImportError } from '../errors.js';

/**
 * Turns `Column=field` assignments (the CLI's repeatable --set) into a column → field record
 * for compileMapping. Splits on the LAST '=' because field names never contain one while
 * headers may ("a=b=email" maps column "a=b"). `Col=` and `Col=skip` skip the column; a
 * column assigned twice keeps the last assignment, as with repeated flags.
 */
export function parseAssignments(list: readonly string[]): Record<string, string> {
  const assignments: Record<string, string> = Object.create(null);
  for (const item of list) {
    const eq = item.lastIndexOf('=');
    if (eq <= 0) {
      throw new ImportError('USAGE', `"${item}" is not a Column=field assignment`, {
        hint: 'Write it as "Column name=field", e.g. "E-mail=email", or "Column name=skip"',
      });
    }
    const column = item.slice(0, eq);
    const field = item.slice(eq + 1).trim();
    assignments[column] = field === '' ? 'skip' : field;
  }
  return assignments;
}
