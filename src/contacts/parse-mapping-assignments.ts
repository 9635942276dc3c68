import { ImportError } from '../errors.js';

/**
 * Turns `Column=field` assignments (the CLI's repeatable --set) into a column → field record
 * for compileMapping. Splits on the LAST '=' because field names never contain one while
 * headers may ("a=b=email" maps column "a=b"). `Col=` and `Col=skip` skip the column. A
 * column given two different fields is refused, naming both: neither can be meant to win.
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
    const value = field === '' ? 'skip' : field;
    const before = assignments[column];
    if (before !== undefined && before !== value) {
      throw new ImportError('USAGE', `column "${column}" is assigned twice: ${column}=${before} and ${column}=${value}`, {
        column,
        hint: 'assign each column once',
      });
    }
    assignments[column] = value;
  }
  return assignments;
}
