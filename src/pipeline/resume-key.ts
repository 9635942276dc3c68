import { createHash } from 'node:crypto';
import type { OnDuplicate } from '../types.js';
import type { OnInvalidValue } from '../contacts/validate-contact.js';
import { MAX_RECORD_BYTES } from '../records/csv/max-record-size.js';

export interface ResumeKeyParts {
  mapping: Record<string, string>;
  onDuplicate: OnDuplicate;
  excluded: Iterable<number>;
  defaultCountry: string;
  /** What a bad optional value does: it decides whether the row is imported. */
  onInvalidValue?: OnInvalidValue;
  /** CSV record-size limit in bytes: it decides whether a large record is a row or a rejection. */
  maxRecordSize?: number;
}

/**
 * A digest of everything that decides each row's outcome. An unfinished run is only resumed
 * under the same key: finishing it with another mapping would mix two imports in one.
 */
export function resumeKey(parts: ResumeKeyParts): string {
  const canonical = JSON.stringify({
    mapping: Object.entries(parts.mapping).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    onDuplicate: parts.onDuplicate,
    excluded: [...new Set(parts.excluded)].sort((a, b) => a - b),
    defaultCountry: parts.defaultCountry,
    // Left out when 'reject' (the default), so runs recorded before the option resume as before.
    ...(parts.onInvalidValue === 'blank' ? { onInvalidValue: 'blank' } : {}),
    // Likewise left out at the default limit.
    ...(parts.maxRecordSize !== undefined && parts.maxRecordSize !== MAX_RECORD_BYTES ? { maxRecordSize: parts.maxRecordSize } : {}),
  });
  return createHash('sha256').update(canonical).digest('hex');
}
