import { distance } from 'fastest-levenshtein';
import { ImportError } from '../errors.js';
import { FIELD_KEYS, REQUIRED_FIELDS, SYSTEM_FIELDS, fieldByKey, isFieldKey, type FieldKey, type Mapping, type MappingField } from './fields.js';
import { normalizeHeader } from './normalize-header.js';
import { splitFullName } from './split-full-name.js';

export interface MappingEntry {
  /** Position of the column in each row's values. */
  index: number;
  column: string;
  field: MappingField;
}

export interface MappingPlan {
  /** The checked mapping, skipped columns removed (a prototype-less object). */
  mapping: Mapping;
  /** One entry per imported column, in column order. */
  entries: MappingEntry[];
}

export interface CompileMappingOptions {
  /**
   * Throw when email or firstName is unmapped (default true). `analyze` passes false to
   * judge rows under a suggested mapping that may lack them: those rows are simply invalid.
   */
  requireFields?: boolean;
}

/** Mapping values that mean "do not import this column". */
const SKIP_VALUES = new Set<unknown>([null, undefined, '', 'skip']);

// Lenient field names for hand-written mappings: "first_name", "First Name" and "FIRSTNAME"
// all mean firstName; the normalized key and label of each field are accepted.
const FIELD_BY_NAME = new Map<string, MappingField>();
for (const f of SYSTEM_FIELDS) {
  for (const name of [f.key, f.label]) FIELD_BY_NAME.set(normalizeHeader(name), f.key);
}
FIELD_BY_NAME.set(normalizeHeader('fullName'), 'fullName');

/** The fields a mapping target fills: fullName fills two. */
function fieldsOf(field: MappingField): readonly FieldKey[] {
  return field === 'fullName' ? FULL_NAME_FIELDS : [field];
}
const FULL_NAME_FIELDS: readonly FieldKey[] = ['firstName', 'lastName'];

/**
 * Checks a column → field mapping against a file's header and turns it into a plan rows can
 * be mapped with. Throws BAD_MAPPING, with a hint, for a column the file lacks, an unknown
 * field, two columns on one field, or (unless `requireFields: false`) a required field left
 * unmapped.
 */
export function compileMapping(
  mapping: Mapping | Readonly<Record<string, string | null | undefined>>,
  columns: readonly string[],
  options: CompileMappingOptions = {},
): MappingPlan {
  if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
    throw new ImportError('BAD_MAPPING', 'The mapping must be an object of column → field', {
      hint: 'Write it as {"Column name": "fieldKey", ...}',
    });
  }
  const indexOf = columnIndex(columns);
  const checked: Mapping = Object.create(null);
  const entries: MappingEntry[] = [];
  const columnOf = new Map<FieldKey, string>();

  // Object.keys lists an own "__proto__" key (as JSON.parse makes it) like any other.
  for (const column of Object.keys(mapping)) {
    const value: unknown = (mapping as Record<string, unknown>)[column];
    if (SKIP_VALUES.has(value)) continue;
    const field = resolveField(column, value);
    const index = findColumn(column, columns, indexOf);
    for (const filled of fieldsOf(field)) {
      const other = columnOf.get(filled);
      if (other === undefined) continue;
      const shown = field === 'fullName' || checked[other] === 'fullName' ? `${filled} (fullName fills firstName and lastName)` : filled;
      throw new ImportError(
        'BAD_MAPPING',
        `Columns "${other}" and "${column}" are both mapped to ${shown}`,
        { column, hint: `Map only one column to ${filled} and skip the other` },
      );
    }
    const actual = columns[index] as string;
    if (actual in checked) {
      throw new ImportError('BAD_MAPPING', `Column "${actual}" is mapped twice`, {
        column: actual,
        hint: `Give "${actual}" a single field`,
      });
    }
    for (const filled of fieldsOf(field)) columnOf.set(filled, actual);
    checked[actual] = field;
    entries.push({ index, column: actual, field });
  }

  const missing = REQUIRED_FIELDS.filter((key) => !columnOf.has(key));
  if (missing.length > 0 && options.requireFields !== false) {
    const names = missing.map((key) => `${fieldByKey(key).label} (${key})`).join(' and ');
    throw new ImportError(
      'BAD_MAPPING',
      `Required field${missing.length > 1 ? 's' : ''} ${names} not mapped`,
      { hint: `Map a column of the file to ${missing.join(' and to ')}` },
    );
  }

  entries.sort((a, b) => a.index - b.index);
  return { mapping: checked, entries };
}

/** Picks the mapped values out of one row: one plain property per imported field. */
export function applyMapping(
  plan: MappingPlan,
  values: readonly string[],
): Partial<Record<FieldKey, string>> {
  const fields: Partial<Record<FieldKey, string>> = {};
  const { entries } = plan;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as MappingEntry;
    if (entry.field === 'fullName') {
      const name = splitFullName(values[entry.index] ?? '');
      fields.firstName = name.firstName;
      if (name.lastName !== '') fields.lastName = name.lastName;
    } else {
      fields[entry.field] = values[entry.index] ?? '';
    }
  }
  return fields;
}

// First occurrence wins when a header repeats a name; a Map so "__proto__" is just a name.
function columnIndex(columns: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  columns.forEach((c, i) => {
    if (!map.has(c)) map.set(c, i);
  });
  return map;
}

function resolveField(column: string, value: unknown): MappingField {
  if (typeof value === 'string') {
    if (isFieldKey(value) || value === 'fullName') return value;
    const lenient = FIELD_BY_NAME.get(normalizeHeader(value));
    if (lenient !== undefined) return lenient;
  }
  const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  throw new ImportError('BAD_MAPPING', `Column "${column}" is mapped to unknown field ${shown}`, {
    column,
    hint: `Valid fields: ${FIELD_KEYS.join(', ')}, fullName (split into firstName and lastName), or "skip"`,
  });
}

function findColumn(
  column: string,
  columns: readonly string[],
  indexOf: ReadonlyMap<string, number>,
): number {
  const exact = indexOf.get(column);
  if (exact !== undefined) return exact;
  // Forgive stray spaces ("Email " typed for "Email") when exactly one column fits.
  const trimmed = column.trim();
  const loose = columns.flatMap((c, i) => (c.trim() === trimmed ? [i] : []));
  if (loose.length === 1) return loose[0] as number;
  throw new ImportError('BAD_MAPPING', `Column "${column}" is not in the file`, {
    column,
    hint: closestColumnsHint(column, columns),
  });
}

function closestColumnsHint(column: string, columns: readonly string[]): string {
  if (columns.length === 0) return 'The file has no columns';
  const target = column.toLowerCase();
  const ranked = columns
    .map((c) => ({ c, d: distance(target, c.toLowerCase()) }))
    .sort((a, b) => a.d - b.d);
  const close = ranked
    .filter(({ c, d }) => d <= Math.max(2, Math.ceil(Math.max(c.length, column.length) / 2)))
    .slice(0, 3)
    .map(({ c }) => `"${c}"`);
  if (close.length > 0) return `Did you mean ${close.join(' or ')}?`;
  const shown = columns.slice(0, 10).map((c) => `"${c}"`);
  const more = columns.length > 10 ? `, … (${columns.length} in all)` : '';
  return `The file's columns are ${shown.join(', ')}${more}`;
}
