import { distance } from 'fastest-levenshtein';
import { SYSTEM_FIELDS, type FieldKey, type Mapping } from '../types.js';
import { EXACT_ONLY_HEADERS, FULL_NAME_HEADERS, HEADER_SYNONYMS } from './header-synonyms.js';
import { normalizeHeader } from './normalize-header.js';

/** Normalized header → field, from each field's key, label, table column and synonyms. */
const EXACT = new Map<string, FieldKey>();
for (const f of SYSTEM_FIELDS) {
  for (const name of [f.key, f.label, f.column, ...HEADER_SYNONYMS[f.key]]) {
    EXACT.set(normalizeHeader(name), f.key);
  }
}
const EXACT_ONLY = new Set(EXACT_ONLY_HEADERS.map(normalizeHeader));
const FUZZY_TARGETS = [...EXACT].filter(([name]) => name.length >= 5 && !EXACT_ONLY.has(name));
const FULL_NAME = new Set(FULL_NAME_HEADERS.map(normalizeHeader));

/**
 * Guesses a column → field mapping from header names: exact matches (after folding case,
 * spaces, punctuation and diacritics) against field names and synonyms first, then a fuzzy
 * pass for typos ("Emial", "Adress") on headers of 5+ characters. A field gets at most one
 * column: exact beats fuzzy, then the leftmost column wins. A lone "Name"/"Full Name" column
 * becomes firstName only when no first-name column exists. Unknown columns stay unmapped.
 */
export function suggestMapping(columns: readonly string[]): Mapping {
  const mapping: Mapping = Object.create(null);
  const taken = new Set<FieldKey>();
  const unmatched: Array<{ column: string; name: string }> = [];
  const assign = (column: string, field: FieldKey): void => {
    // A repeated header name is one key: its first occurrence keeps the field.
    if (taken.has(field) || column in mapping) return;
    mapping[column] = field;
    taken.add(field);
  };

  for (const column of columns) {
    const name = normalizeHeader(column);
    const field = EXACT.get(name);
    if (field !== undefined) assign(column, field);
    else if (name !== '') unmatched.push({ column, name });
  }
  for (const { column, name } of unmatched) {
    const field = fuzzyField(name);
    if (field !== undefined) assign(column, field);
  }
  if (!taken.has('firstName')) {
    const fullName = unmatched.find(({ column, name }) => FULL_NAME.has(name) && !(column in mapping));
    if (fullName) assign(fullName.column, 'firstName');
  }
  return mapping;
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
