import { distance } from 'fastest-levenshtein';
import { SYSTEM_FIELDS, type FieldKey, type Mapping } from './fields.js';
import { AMBIGUOUS_HEADERS, EXACT_ONLY_HEADERS, FULL_NAME_HEADERS, HEADER_QUALIFIERS, HEADER_SYNONYMS } from './header-synonyms.js';
import { normalizeHeader } from './normalize-header.js';

/**
 * Normalized header → field, from each field's key, label and synonyms. A snake_case column
 * name ("first_name", "zip_code") folds to its key.
 */
const EXACT = new Map<string, FieldKey>();
for (const f of SYSTEM_FIELDS) {
  for (const name of [f.key, f.label, ...HEADER_SYNONYMS[f.key]]) {
    EXACT.set(normalizeHeader(name), f.key);
  }
}
const AMBIGUOUS = new Set(AMBIGUOUS_HEADERS.map(normalizeHeader));
const QUALIFIERS = HEADER_QUALIFIERS.map(normalizeHeader);
const EXACT_ONLY = new Set(EXACT_ONLY_HEADERS.map(normalizeHeader));
const FUZZY_TARGETS = [...EXACT].filter(([name]) => name.length >= 5 && !EXACT_ONLY.has(name));
const FULL_NAME = new Set(FULL_NAME_HEADERS.map(normalizeHeader));

/** How sure a match is: a field goes to its surest column (then the leftmost). */
enum Tier {
  Exact = 0,
  Ambiguous = 1,
  Qualified = 2,
  Typo = 3,
}

/**
 * Guesses a column → field mapping from header names, compared after folding case, spaces,
 * punctuation and diacritics: exact names and synonyms first, then ambiguous single words
 * ("Title"), then qualified names ("Mailing City", "Address 1 - Street"), then one-letter
 * typos on headers of 5+ characters ("Emial"). A field gets one column — the surest, then the
 * leftmost. A lone "Name"/"Full Name"/"Display Name" column, when no first-name column exists,
 * becomes fullName (split into first and last name), or firstName beside a last-name column.
 * Unknown columns stay unmapped. Given `filled` (non-blank values per column, in a sample),
 * a block of qualified columns with more values is preferred over an emptier one.
 */
export function suggestMapping(columns: readonly string[], filled?: readonly number[]): Mapping {
  const mapping: Mapping = Object.create(null);
  const taken = new Set<FieldKey>();
  const candidates: Array<{ column: string; field: FieldKey; tier: Tier; index: number; qualifier?: string }> = [];
  columns.forEach((column, index) => {
    const match = matchHeader(normalizeHeader(column));
    if (match) candidates.push({ column, index, ...match });
  });
  // Two blocks of qualified columns for the same fields (Thunderbird's "Home …" and "Work …"):
  // with fill counts, the block with more values wins each field, not simply the leftmost.
  const blockFill = new Map<string, number>();
  if (filled) {
    for (const c of candidates) if (c.qualifier) blockFill.set(c.qualifier, (blockFill.get(c.qualifier) ?? 0) + (filled[c.index] ?? 0));
  }
  const fillOf = (c: { qualifier?: string }): number => (c.qualifier ? (blockFill.get(c.qualifier) ?? 0) : 0);
  candidates.sort((a, b) => a.tier - b.tier || (a.tier === Tier.Qualified ? fillOf(b) - fillOf(a) : 0) || a.index - b.index);
  for (const { column, field } of candidates) {
    // A repeated header name is one key: its first occurrence keeps the field.
    if (taken.has(field) || column in mapping) continue;
    mapping[column] = field;
    taken.add(field);
  }
  if (!taken.has('firstName')) {
    const fullName = columns.find((column) => FULL_NAME.has(normalizeHeader(column)) && !(column in mapping));
    // Split into first and last name, unless a last-name column exists: then it is the first name.
    if (fullName !== undefined) mapping[fullName] = taken.has('lastName') ? 'firstName' : 'fullName';
  }
  return mapping;
}

function matchHeader(name: string): { field: FieldKey; tier: Tier; qualifier?: string } | undefined {
  if (name === '') return undefined;
  const exact = EXACT.get(name);
  if (exact !== undefined) return { field: exact, tier: AMBIGUOUS.has(name) ? Tier.Ambiguous : Tier.Exact };
  for (const qualifier of QUALIFIERS) {
    if (name.length <= qualifier.length || !name.startsWith(qualifier)) continue;
    const field = EXACT.get(name.slice(qualifier.length));
    if (field !== undefined) return { field, tier: Tier.Qualified, qualifier };
  }
  const typo = fuzzyField(name);
  return typo === undefined ? undefined : { field: typo, tier: Tier.Typo };
}

/** The one field whose names are a single typo away, or undefined when none or ambiguous. */
function fuzzyField(name: string): FieldKey | undefined {
  if (name.length < 5 || FULL_NAME.has(name)) return undefined;
  let found: FieldKey | undefined;
  for (const [target, field] of FUZZY_TARGETS) {
    if (Math.abs(target.length - name.length) > 1 || !oneTypoApart(name, target)) continue;
    if (found !== undefined && found !== field) return undefined;
    found = field;
  }
  return found;
}

/**
 * One swap of adjacent letters ("emial"), or — for names of 6+ characters, where a single
 * edit is less likely to turn one real word into another ("stats"/"state") — one Levenshtein
 * edit ("adress", "compnay" is a swap).
 */
function oneTypoApart(name: string, target: string): boolean {
  if (isAdjacentSwap(name, target)) return true;
  return name.length >= 6 && target.length >= 5 && distance(name, target) <= 1;
}

function isAdjacentSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (i >= a.length - 1) return false;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}
