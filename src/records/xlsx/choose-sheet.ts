import { ImportError } from '../../errors.js';

/** By exact name first, then as a 1-based number; the first sheet by default. */
export function chooseSheet(names: string[], wanted: string | undefined, file: string): string {
  const available = names.map((name) => JSON.stringify(name)).join(', ');
  if (names.length === 0) {
    throw new ImportError('EMPTY_FILE', `${file} has no sheets`, { file, hint: 'add a sheet with your contacts' });
  }
  if (wanted === undefined || wanted === '') return names[0]!;
  if (names.includes(wanted)) return wanted;
  if (/^\s*\d+\s*$/.test(wanted)) {
    const index = Number(wanted);
    if (index >= 1 && index <= names.length) return names[index - 1]!;
  }
  throw new ImportError('NOT_FOUND', `${file} has no sheet ${JSON.stringify(wanted)}`, {
    file,
    hint: `set sheet to one of its sheets, by name or number (1-${names.length}): ${available}`,
    options: ['sheet'],
  });
}
