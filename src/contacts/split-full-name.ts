import humanparser from 'humanparser';

export interface SplitName {
  firstName: string;
  lastName: string;
}

/**
 * A whole name in one cell (`Name`, `Full Name`, `Display Name` columns) as first and last
 * name, by humanparser: particles stay with the last name (`Mary Ann de la Cruz` → `Mary Ann` /
 * `de la Cruz`, `Ludwig van der Rohe` → `Ludwig` / `van der Rohe`), a suffix follows it
 * (`Martin Luther King Jr.` → `Martin Luther` / `King Jr.`, `Henry Ford III`), `Last, First` is
 * turned round, a salutation (`Dr.`, `Mrs.`) is dropped, and a single word is a first name;
 * a name without a first name (`Mrs. Smith`) is kept whole as the first name.
 * Middle names go with the first name. Text it cannot split is kept whole as the first name.
 */
export function splitFullName(text: string): SplitName {
  const value = text.trim();
  if (value === '') return { firstName: '', lastName: '' };
  let parsed: humanparser.NameOutput;
  try {
    parsed = humanparser.parseName(value);
  } catch {
    return { firstName: value, lastName: '' };
  }
  const first = [parsed.firstName, parsed.middleName].filter((p) => p !== undefined && p !== '').join(' ');
  const last = [parsed.lastName, parsed.suffix].filter((p) => p !== undefined && p !== '').join(' ');
  if (first === '') return { firstName: value, lastName: '' };
  return { firstName: first, lastName: last };
}
